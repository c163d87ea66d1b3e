"""Who a report is for, as the querysets it may read: every report is built for one reader.

The doors make an :class:`Audience` from the publication rules (``hrtrack.portal.publication``:
anonymous visitors and contributors read the published only; the staff site's people read
everything, and coordinators the restricted data too); the builders read only through it, so a
public report cannot reach what its reader may not see.
"""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Audience:
    """What one reader may see, for the report builders.

    ``items`` and ``dialogues`` are those the reader may open; ``reports`` the *validated* progress
    reports they may read (reports set an item's status only once validated, so a report shows no
    other); ``evidence`` the evidence they may open; ``staff`` whether they are the staff site's
    people (the reports say so on their cover); ``restricted`` whether they may read restricted
    data (cases raised, the names of victims and defenders)."""

    staff: bool
    restricted: bool
    items: QuerySet
    reports: QuerySet
    evidence: QuerySet
    dialogues: QuerySet

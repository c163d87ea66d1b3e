"""Who a report is for, as the querysets it may read: every report is built for one reader.

:func:`audience_of` holds the publication rule of ``hrtrack.portal.publication``, which this layer
may not import (the portal is the top door; ``hrtrack/tests/test_layers.py``), and
``tests/test_audience.py`` checks the two agree: anonymous visitors and contributors read the
published only (validated and published reports on published items, published evidence on those);
the staff site's people read everything, and coordinators restricted data too. The builders read
only through an :class:`Audience`, so a public report cannot reach what its reader may not see.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from hrtrack.dialogues.models import Dialogue
from hrtrack.followup.models import Evidence, ProgressReport
from hrtrack.lib.web import is_staff_member
from hrtrack.recommendations.models import Recommendation


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


def sees_unpublished(user) -> bool:
    """The staff site's people (everyone signed in but civil-society contributors)."""
    return bool(user and is_staff_member(user))


def public_reports() -> QuerySet:
    """Validated, published reports on published items: what anyone may read."""
    return ProgressReport.objects.published().validated().filter(
        assignment__recommendation__published_at__isnull=False)


def audience_of(user) -> Audience:
    """What ``user`` may read, as the report builders take it."""
    if sees_unpublished(user):
        return Audience(staff=True, restricted=user.can_see_restricted(), items=Recommendation.objects.all(),
                        reports=ProgressReport.objects.validated(), evidence=Evidence.objects.all(),
                        dialogues=Dialogue.objects.all())
    return Audience(staff=False, restricted=False, items=Recommendation.objects.published(),
                    reports=public_reports(), evidence=Evidence.objects.published().filter(report__in=public_reports()),
                    dialogues=Dialogue.objects.published())

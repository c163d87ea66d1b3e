"""Who a report is for, as the querysets it may read: every report is built for one reader.

:func:`audience_of` applies the publication rule (``hrtrack.followup.publication``), and
``tests/test_audience.py`` checks what each reader gets: anonymous visitors and contributors read the
published only (validated and published reports on published items, published evidence on those);
the staff site's people read everything, and coordinators restricted data too. The builders read
only through an :class:`Audience`, so a public report cannot reach what its reader may not see.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from hrtrack.dialogues.models import Dialogue
from hrtrack.dialogues.restricted import RestrictedNames, restricted_names
from hrtrack.followup.models import Evidence, ProgressReport
from hrtrack.followup.publication import public_evidence, public_reports, sees_unpublished
from hrtrack.recommendations.models import Recommendation


@dataclass(frozen=True)
class Audience:
    """What one reader may see, for the report builders.

    ``items`` and ``dialogues`` are those the reader may open; ``reports`` the *validated* progress
    reports they may read (reports set an item's status only once validated, so a report shows no
    other); ``evidence`` the evidence they may open; ``staff`` whether they are the staff site's
    people (the reports say so on their cover); ``restricted`` whether they may read restricted
    data (cases raised, the names of victims and defenders); :meth:`withhold` is a free text (an
    item's, a report's, a round's outcome) as they may read it."""

    staff: bool
    restricted: bool
    items: QuerySet
    reports: QuerySet
    evidence: QuerySet
    dialogues: QuerySet
    names: RestrictedNames | None = None

    def withhold(self, text: str) -> str:
        """``text`` with the restricted people it names withheld, unless the reader may see them."""
        return text if self.names is None or not text else self.names.withhold(text)[0]


def audience_of(user) -> Audience:
    """What ``user`` may read, as the report builders take it."""
    if sees_unpublished(user):
        restricted = user.can_see_restricted()
        return Audience(staff=True, restricted=restricted, items=Recommendation.objects.all(),
                        reports=ProgressReport.objects.validated(), evidence=Evidence.objects.all(),
                        dialogues=Dialogue.objects.all(), names=None if restricted else _names())
    return Audience(staff=False, restricted=False, items=Recommendation.objects.published(),
                    reports=public_reports(), evidence=public_evidence(),
                    dialogues=Dialogue.objects.published(), names=_names())


def _names() -> RestrictedNames:
    return restricted_names(list(Dialogue.objects.values_list("pk", flat=True)))

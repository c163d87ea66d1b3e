"""Who sees what is published, and publishing (coordinators and administrators): the domain's rule,
read by every door (pages, JSON, CSV, search, exports, the API) and the layers below them.

Anonymous visitors and civil-society contributors see only what is published; the staff site's
people see everything their role lets them (``hrtrack.followup.rules`` for reports). Every door
asks here: the pages and their JSON and CSV twins, the search, the exports and the API.

- An item or a dialogue is public once published.
- A progress report is public once validated and published, on a published item.
- Evidence is public once published, on a public report. Publishing a report publishes its
  evidence with it; a piece of evidence can be unpublished on its own.
- Restricted data (cases raised, the names of victims and defenders) is never public: the public
  parts of a dialogue leave it out whatever the dialogue's state.

Publishing and unpublishing are recorded in each row's history (who and when), in bulk too, and
tell the search what changed.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from hrtrack.dialogues.models import Dialogue
from hrtrack.followup.models import Evidence, ProgressReport
from hrtrack.recommendations import changes
from hrtrack.recommendations.models import Recommendation

BATCH = 1000


class NotPublishable(ValueError):
    """What was asked cannot be published (a report not validated); nothing changed."""


def sees_unpublished(user) -> bool:
    """The staff site's people (everyone signed in but civil-society contributors)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff_member)


def can_publish(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_coordinator)


def visible_items(user, items: models.QuerySet | None = None) -> models.QuerySet:
    items = Recommendation.objects.all() if items is None else items
    return items if sees_unpublished(user) else items.published()


def visible_dialogues(user, dialogues: models.QuerySet | None = None) -> models.QuerySet:
    dialogues = Dialogue.objects.all() if dialogues is None else dialogues
    return dialogues if sees_unpublished(user) else dialogues.published()


def public_reports(reports: models.QuerySet | None = None) -> models.QuerySet:
    """Validated, published reports on published items: what anyone may read."""
    reports = ProgressReport.objects.all() if reports is None else reports
    return reports.published().validated().filter(assignment__recommendation__published_at__isnull=False)


def public_evidence(evidence: models.QuerySet | None = None) -> models.QuerySet:
    evidence = Evidence.objects.all() if evidence is None else evidence
    return evidence.published().filter(report__in=public_reports())


def is_public(obj) -> bool:
    """Whether anyone, signed in or not, may see ``obj`` (an item, dialogue, report or evidence)."""
    if isinstance(obj, ProgressReport):
        return public_reports().filter(pk=obj.pk).exists()
    if isinstance(obj, Evidence):
        return public_evidence().filter(pk=obj.pk).exists()
    return obj.published_at is not None


def _set(model, rows: list, user, when, reason: str) -> int:
    changed = [row for row in rows if (row.published_at is None) != (when is None)]
    for row in changed:
        row.published_at, row.published_by = when, (user if when else None)
    if changed:
        bulk_update_with_history(changed, model, ["published_at", "published_by"], batch_size=BATCH,
                                 default_user=user, default_change_reason=reason)
    return len(changed)


def publish(objects: Iterable | models.QuerySet, user, *, published: bool = True) -> int:
    """Publish (or with ``published=False`` unpublish) these objects, all of one model; returns
    how many changed. Reports must be validated; publishing a report publishes its evidence, and
    unpublishing it unpublishes its evidence. Raises :class:`NotPublishable` and changes nothing
    when one of them cannot be published."""
    rows = list(objects)
    if not rows:
        return 0
    model = type(rows[0])
    if any(type(row) is not model for row in rows):
        raise TypeError("publish() takes objects of one model at a time")
    if published and model is ProgressReport:
        waiting = [row for row in rows if row.state != ProgressReport.State.VALIDATED]
        if waiting:
            raise NotPublishable(_("Only validated reports are published; %(count)d of these are not.")
                                 % {"count": len(waiting)})
    if published and model is Evidence:
        unpublished = [row for row in rows if row.report.published_at is None]
        if unpublished:
            raise NotPublishable(_("Evidence is published with its report: publish the report first."))
    when = timezone.now() if published else None
    reason = "publish" if published else "unpublish"
    # A large change is left to the search's job rather than indexed on the spot.
    with transaction.atomic(), changes.collecting(in_bulk=len(rows) > 200):
        count = _set(model, rows, user, when, reason)
        if model is ProgressReport:
            evidence = list(Evidence.objects.filter(report__in=rows))
            _set(Evidence, evidence, user, when, reason)
            changes.record(items=ProgressReport.objects.filter(pk__in=[r.pk for r in rows]).values_list(
                "assignment__recommendation_id", flat=True), content=False)
        elif model is Recommendation:
            changes.record(items=[row.pk for row in rows], content=False)
        elif model is Dialogue:
            changes.record(dialogues=[row.pk for row in rows], content=False)
    return count

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

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from hrtrack.dialogues.models import Dialogue
from hrtrack.followup.models import Evidence, ProgressReport
from hrtrack.recommendations import changes
from hrtrack.recommendations.models import Recommendation

BATCH = 1000
#: Ids per statement (well under SQLite's limit on parameters).
CHUNK = 900


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
    """Set the publication of the ``rows`` that differ: one UPDATE a chunk (they all take the same
    values), and their history records copied from the rows as they now are with INSERT ... SELECT,
    their many-to-many copies with them (an item's countries, a dialogue's parties and topics), so
    that the history reads "published" and nothing else; tens of thousands in seconds."""
    changed = [row for row in rows if (row.published_at is None) != (when is None)]
    if not changed:
        return 0
    publisher = user if when else None
    ids = [row.pk for row in changed]
    history = model.history.model
    quote = connection.ops.quote_name
    table, history_table = quote(model._meta.db_table), quote(history._meta.db_table)
    columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user else None
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            model.objects.filter(pk__in=chunk).update(published_at=when, published_by=publisher)
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {history_table} ({columns}, history_date, history_change_reason, history_type, "
                f"history_user_id) SELECT {columns}, %s, %s, '~', %s FROM {table} WHERE id IN ({marks}) "
                f"RETURNING id, history_id", [stamp, reason, user_id, *chunk])
            # Each new record's id, as the INSERT returns it: joining the history table on the stamp
            # instead matched every record of the publication (one stamp for all) for each row, a
            # minute a chunk on PostgreSQL for the demo's 33,908 items.
            records = dict(cursor.fetchall())
            for field in history._history_m2m_fields:
                through = field.remote_field.through
                own = quote(through._meta.get_field(field.m2m_field_name()).column)
                other = quote(through._meta.get_field(field.m2m_reverse_field_name()).column)
                copy = quote(HistoricalRecords.m2m_models[field]._meta.db_table)
                cursor.execute(f"SELECT id, {own}, {other} FROM {quote(through._meta.db_table)} "
                               f"WHERE {own} IN ({marks})", chunk)
                links = [(pk, row, linked, records[row]) for pk, row, linked in cursor.fetchall()]
                if links:
                    cursor.executemany(f"INSERT INTO {copy} (id, {own}, {other}, history_id) "
                                       f"VALUES (%s, %s, %s, %s)", links)
    for row in changed:
        row.published_at, row.published_by = when, publisher
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

"""The reminders' daily job, on the database queue (queue ``background``).

:func:`daily_reminders_job` sends the day's digests (:mod:`.reminders`) and, whatever happened,
queues itself again for the next morning at :data:`REMINDERS_AT` (``run_after``), so that one
queued job keeps the reminders going. :func:`ensure_scheduled` queues it when none is waiting:
the worker (``hrtrack worker``, which ``hrtrack serve`` starts) and ``hrtrack demo`` call it,
and it never queues a second one.

**At most one digest per person per day**: :class:`~.models.ReminderSent` holds who was sent
which day's digest, claimed before the e-mail goes (and given back if the mail server refuses
it, for the next run to try again), so a second run the same day, by hand or at the same time,
sends nobody a second one. Each run's result row says whom it reached.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from hrtrack.lib.locks import lock_for_transaction
from hrtrack.lib.progress import current_task_id

from . import reminders

#: When the daily job runs, in the site's time zone (settings.TIME_ZONE).
REMINDERS_AT = datetime.time(7, 0)
#: A queued-and-started daily job older than this is taken as killed: a new one may be queued.
STALE_RUN = datetime.timedelta(hours=6)
#: Who ran a job started by hand, as its row says (``worker_ids``).
BY_HAND = "hrtrack reminders send"


def _rows():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def _paths() -> list[str]:
    return [daily_reminders_job.module_path, send_reminders_job.module_path]


def sent_on(day: datetime.date) -> set[int]:
    """The ids of the people already sent ``day``'s digest."""
    from .models import ReminderSent

    return set(ReminderSent.objects.filter(day=day).values_list("user_id", flat=True))


def _message(report: reminders.SendReport) -> str:
    names = ", ".join(line["username"] for line in report.sent)
    return f"{len(report.sent)} digest(s) sent for {report.day.isoformat()}" + (f": {names}" if names else "")


def send_for(day: datetime.date, record_id=None) -> dict:
    """Send ``day``'s digests to those not yet sent one that day; after each e-mail, write who
    was sent what into the row ``record_id`` (the running job's when not given)."""
    record_id = record_id or current_task_id()

    def record(report: reminders.SendReport) -> None:
        if record_id:
            _rows().filter(id=record_id).update(return_value={**report.as_dict(), "message": _message(report)})

    report = reminders.send_digests(day, skip=sent_on(day), on_sent=record)
    return {**report.as_dict(), "message": _message(report)}


def next_run(now: datetime.datetime | None = None, *, ran_today: bool = True) -> datetime.datetime:
    """When the daily job runs next: tomorrow at :data:`REMINDERS_AT` once today's run has happened
    (``ran_today``); otherwise today at that hour, or now if the hour has passed."""
    now = timezone.localtime(now or timezone.now())

    def at_hour(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, REMINDERS_AT), now.tzinfo)

    if ran_today:
        return at_hour(now.date() + datetime.timedelta(days=1))
    return max(now, at_hour(now.date()))


def _waiting(exclude=None):
    """The daily jobs queued and not started (and, unless ``exclude`` is the one asking, those
    started lately and still running: they queue the next themselves)."""
    from django.db.models import Q

    recent = timezone.now() - STALE_RUN
    rows = _rows().filter(task_path=daily_reminders_job.module_path).filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=recent))
    if exclude:
        rows = rows.exclude(id=exclude).exclude(status=TaskResultStatus.RUNNING)
    return rows


def _queue(run_after: datetime.datetime, exclude=None) -> bool:
    with transaction.atomic():
        # Two workers starting at once: they take turns, and the second finds the first's job.
        lock_for_transaction("hrtrack.followup.reminders.schedule")
        if _waiting(exclude).exists():
            return False
        daily_reminders_job.using(run_after=run_after).enqueue()
    return True


def ensure_scheduled(now: datetime.datetime | None = None) -> bool:
    """Queue the daily job unless one is already waiting (or running). Returns whether it queued one.

    With the database backend only: another backend (the immediate one of a test setting) would
    run it at once, and keeps no queue to look in."""
    from django_tasks_db import DatabaseBackend

    if not isinstance(daily_reminders_job.get_backend(), DatabaseBackend):
        return False
    today = timezone.localdate(now or timezone.now())
    ran_today = _rows().filter(task_path__in=_paths(), return_value__day=today.isoformat()).exists()
    return _queue(next_run(now, ran_today=ran_today))


@task(queue_name="background")
def daily_reminders_job() -> dict:
    """Send today's reminder digests, then queue this job again for tomorrow morning."""
    try:
        return send_for(timezone.localdate())
    finally:
        from django_tasks_db import DatabaseBackend

        if isinstance(daily_reminders_job.get_backend(), DatabaseBackend):
            _queue(next_run(), exclude=current_task_id())


@task(queue_name="background")
def send_reminders_job(day: str) -> dict:
    """Send the reminder digests of ``day`` (YYYY-MM-DD) once, without queuing anything after."""
    return send_for(datetime.date.fromisoformat(day))


def run_now(day: datetime.date | None = None) -> dict:
    """Send ``day``'s digests (today's by default) here and now, as ``hrtrack reminders send``
    does: in a job row of its own, started at once and never waiting in the queue, so that the
    day's record counts what was sent by hand."""
    from django_tasks_db.models import DBTaskResult

    day = day or timezone.localdate()
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [day.isoformat()], "kwargs": {}}, task_path=send_reminders_job.module_path,
        queue_name=send_reminders_job.queue_name, backend_name=send_reminders_job.backend,
        run_after=timezone.now(), status=TaskResultStatus.RUNNING, started_at=timezone.now(),
        worker_ids=[BY_HAND],
    )
    try:
        result = send_for(day, record_id=row.id)
    except BaseException as error:
        row.set_failed(error)
        raise
    row.set_successful(result)
    return result

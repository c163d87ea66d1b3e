"""How far a background job has got, for the pages to show while it runs.

A job calls :func:`report_progress` as it goes; nothing else is needed, and outside a job the
call does nothing, so the same code runs from the command line. The progress is kept in the
cache under the id of the job's task result: the job's own transaction may keep its rows
invisible to the pages until it commits, and the cache is shared by the worker and the web
processes (settings.CACHES).

django-tasks hands a task its result only through ``takes_context=True``, which would change
every job's signature; the worker's ``task_started`` and ``task_finished`` signals, sent in
the thread that runs the job, tell this module which job is running instead.
"""

import threading

from django.core.cache import cache
from django.db.models import Case, F, Value, When
from django.dispatch import receiver
from django_tasks.signals import task_finished, task_started

#: A job not heard from for this long is taken as dead: its progress goes from the cache.
PROGRESS_TIMEOUT = 24 * 3600

_running = threading.local()


def progress_key(task_id) -> str:
    return f"hrtrack:job-progress:{task_id}"


def _stack() -> list[str]:
    # A stack, not one value: the immediate backend (tests, a development setting) runs a job
    # queued by another job's receiver inside the first one.
    if not hasattr(_running, "ids"):
        _running.ids = []
    return _running.ids


def current_task_id() -> str | None:
    """The id of the job this thread is running, or None outside a job."""
    stack = _stack()
    return stack[-1] if stack else None


def report_progress(done: int, total: int, message: str = "", task_id=None) -> None:
    """Record that the running job (or the job ``task_id``) has done ``done`` of ``total`` steps.

    ``message`` says what it is doing ("Embedding items"). Outside a job this does nothing.
    """
    task_id = task_id or current_task_id()
    if task_id is None:
        return
    cache.set(progress_key(task_id), {"done": int(done), "total": int(total), "message": str(message)},
              timeout=PROGRESS_TIMEOUT)


def progress_of(task_id) -> dict | None:
    """The last progress the job ``task_id`` reported: done, total, percent and message; None if
    it reported none."""
    value = cache.get(progress_key(task_id))
    if not value:
        return None
    done, total = value.get("done", 0), value.get("total", 0)
    return {**value, "percent": percent(done, total)}


def percent(done: int, total: int) -> int:
    """``done`` of ``total`` as a whole percentage from 0 to 100 (0 when the total is unknown)."""
    return max(0, min(100, int(100 * done / total))) if total else 0


def pending_job(*task_paths: str):
    """The running job among ``task_paths`` (dotted paths of task functions), else the oldest
    queued one, else None; a running job has its ``progress`` attribute set (None if it reported
    none)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    # One query (each search made before the semantic index exists asks): the running first, the
    # latest started of them; then the queued, the oldest first.
    running_first = Case(When(status=TaskResultStatus.RUNNING, then=Value(0)), default=Value(1))
    job = (DBTaskResult.objects.filter(task_path__in=task_paths,
                                       status__in=[TaskResultStatus.RUNNING, TaskResultStatus.READY])
           .only("id", "status", "task_path", "enqueued_at", "started_at")
           .order_by(running_first, F("started_at").desc(nulls_last=True), "enqueued_at").first())
    if job is not None:
        job.progress = progress_of(job.id) if job.status == TaskResultStatus.RUNNING else None
    return job


@receiver(task_started, dispatch_uid="hrtrack.lib.progress.started")
def _job_started(sender, task_result, **kwargs) -> None:
    _stack().append(str(task_result.id))


@receiver(task_finished, dispatch_uid="hrtrack.lib.progress.finished")
def _job_finished(sender, task_result, **kwargs) -> None:
    stack = _stack()
    if str(task_result.id) in stack:
        stack.remove(str(task_result.id))
    # A finished job shows its result, not its progress.
    cache.delete(progress_key(task_result.id))

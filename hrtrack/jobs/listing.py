"""The background jobs as a person reads them: a name, a status, times, progress or result.

The rows are django-tasks-db's DBTaskResult. Each kind of job the project queues has a name
and a way to say its result in one line (:data:`KINDS`); a job of a kind unknown here shows its
function's name and its return value's ``message`` if it has one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import TaskResultStatus

from hrtrack.lib.progress import percent, progress_of

IMPORT_JOB = "hrtrack.ingest.tasks.run_import_job"

#: The status as the JSON twin says it, in the words the import page uses.
STATUS_NAMES = {
    TaskResultStatus.READY: "queued",
    TaskResultStatus.RUNNING: "running",
    TaskResultStatus.SUCCESSFUL: "done",
    TaskResultStatus.FAILED: "failed",
}

STATUS_LABELS = {
    "queued": gettext_lazy("Queued"),
    "running": gettext_lazy("Running"),
    "done": gettext_lazy("Done"),
    "failed": gettext_lazy("Failed"),
}


@dataclass
class Job:
    """One background job, ready for the page and its JSON twin."""

    row: object
    name: str
    status: str
    progress: dict | None = None
    result: str = ""
    error: str = ""
    url: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def is_active(self) -> bool:
        return self.status in ("queued", "running")

    def as_json(self) -> dict:
        row = self.row

        def when(moment):
            return moment.isoformat() if moment else None

        return {
            "id": str(row.id), "name": self.name, "task": row.task_path, "queue": row.queue_name,
            "status": self.status, "status_label": self.status_label,
            "enqueued_at": when(row.enqueued_at), "started_at": when(row.started_at),
            "finished_at": when(row.finished_at), "progress": self.progress,
            "result": self.result or None, "error": self.error or None, "url": self.url or None,
        }


def error_line(traceback: str) -> str:
    """The last line of a traceback: the exception and its message ("ValueError: no rows")."""
    lines = [line.strip() for line in (traceback or "").strip().splitlines() if line.strip()]
    return lines[-1][:500] if lines else _("The job failed.")


def _message(value) -> str:
    if isinstance(value, dict) and value.get("message"):
        return str(value["message"])
    if isinstance(value, str):
        return value
    return ""


# What each kind of job is called and how its result reads ---------------------------------


def _import_facts(rows: list) -> dict:
    """The import runs of the import jobs among ``rows``, by run id: one query for the page."""
    from hrtrack.ingest.models import ImportRun

    ids = {_first_arg(row) for row in rows if row.task_path == IMPORT_JOB}
    ids.discard(None)
    return ImportRun.objects.in_bulk(list(ids)) if ids else {}


def _first_arg(row):
    args = (row.args_kwargs or {}).get("args") or []
    value = args[0] if args else (row.args_kwargs or {}).get("kwargs", {}).get("run_id")
    return value if isinstance(value, int) else None


def _import_name(row, facts) -> str:
    run = facts["imports"].get(_first_arg(row))
    return _("Import of %(file)s") % {"file": run.file_name if run else _("a file no longer listed")}


def _import_progress(row, facts) -> dict | None:
    from hrtrack.ingest.tasks import live_progress

    run = facts["imports"].get(_first_arg(row))
    live = live_progress(run) if run else None
    if not live:
        return None
    return {**live, "percent": percent(live["done"], live["total"]), "message": _("Importing rows")}


def _import_result(row, facts) -> str:
    run = facts["imports"].get(_first_arg(row))
    report = (run.report if run else None) or {}
    if (row.return_value or {}).get("status") == "done":
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": number_format(report.get("created", 0)), "updated": number_format(report.get("updated", 0)),
            "unchanged": number_format(report.get("unchanged", 0))}
    error = report.get("error")
    if error:
        return " ".join(error) if isinstance(error, list) else str(error)
    problems = len(report.get("problems") or [])
    message = ngettext("%(count)s row with problems: nothing was imported.",
                       "%(count)s rows with problems: nothing was imported.", problems)
    return message % {"count": number_format(problems)}


def _rebuild_result(row, facts) -> str:
    return _links_line(row.return_value or {})


def _links_line(value: dict) -> str:
    return _("%(items)s items (%(embedded)s embedded now): %(similar)s similar and %(repeated)s repeated links") % {
        "items": value.get("items", 0), "embedded": value.get("embedded", 0),
        "similar": value.get("similar", 0), "repeated": value.get("repeated", 0)}


def _sync_result(row, facts) -> str:
    value = row.return_value or {}
    line = _("%(changes)s changes followed: %(documents)s search documents written, %(repaired)s repaired") % {
        "changes": value.get("changes", 0), "documents": value.get("documents", 0),
        "repaired": value.get("repaired", 0)}
    if value.get("links"):
        line += "; " + _links_line(value["links"])
    return "; ".join([line, *value.get("skipped", [])])


def _statement_name(row, facts) -> str:
    kwargs = (row.args_kwargs or {}).get("kwargs") or {}
    args = (row.args_kwargs or {}).get("args") or []
    title = kwargs.get("source_title") or (args[1] if len(args) > 1 else "")
    return _("Saving the statement %(title)s") % {"title": title} if title else _("Saving a statement")


def _statement_result(row, facts) -> str:
    value = row.return_value or {}
    if value.get("ok"):
        return _("A new dialogue was saved.") if value.get("created") else _("The dialogue was updated.")
    problems = value.get("problems") or []
    return str(problems[0]) if problems else _("Nothing was saved.")


def _named(label) -> Callable:
    return lambda row, facts: str(label)


@dataclass(frozen=True)
class Kind:
    """How a kind of job reads: each part takes the row and the facts :func:`describe` gathered."""

    name: Callable
    result: Callable = lambda row, facts: _message(row.return_value)
    progress: Callable = lambda row, facts: progress_of(row.id)
    url: Callable = lambda row, facts: ""
    #: Whether a job that ran to its end did not do what it was for (an import of invalid rows):
    #: it reads as failed, its result as the error.
    refused: Callable = lambda row, facts: False


def _import_url(row, facts) -> str:
    run = facts["imports"].get(_first_arg(row))
    return reverse("ingest:import", args=[run.pk]) if run and facts["coordinator"] else ""


#: Every kind of job the project queues, by the dotted path of its task.
KINDS = {
    IMPORT_JOB: Kind(_import_name, _import_result, _import_progress, _import_url,
                     refused=lambda row, facts: (row.return_value or {}).get("status") == "failed"),
    "hrtrack.nlp.similar_tasks.rebuild_similar_job": Kind(
        _named(gettext_lazy("Embedding items and finding similar ones")), _rebuild_result),
    "hrtrack.nlp.tasks.train_and_suggest_job": Kind(_named(gettext_lazy("Training models and suggesting themes"))),
    "hrtrack.nlp.tasks.suggest_themes_job": Kind(
        _named(gettext_lazy("Suggesting themes, affected groups and SDG goals"))),
    "hrtrack.search.tasks.sync_derived_job": Kind(
        _named(gettext_lazy("Bringing search, suggestions and similar items up to date")), _sync_result),
    "hrtrack.ingest.tasks.save_record_job": Kind(
        _statement_name, _statement_result, refused=lambda row, facts: not (row.return_value or {}).get("ok")),
    "hrtrack.followup.tasks.daily_reminders_job": Kind(_named(gettext_lazy("Sending the daily reminder digests"))),
    "hrtrack.followup.tasks.send_reminders_job": Kind(_named(gettext_lazy("Sending the reminder digests"))),
}

_UNKNOWN = Kind(lambda row, facts: row.task_path.rsplit(".", 1)[-1])


def describe(rows, user) -> list[Job]:
    """The jobs of ``rows`` (DBTaskResult) as ``user`` (a staff member) sees them."""
    rows = list(rows)
    facts = {"imports": _import_facts(rows), "coordinator": bool(getattr(user, "is_coordinator", False))}
    jobs = []
    for row in rows:
        kind = KINDS.get(row.task_path, _UNKNOWN)
        job = Job(row=row, name=kind.name(row, facts), status=STATUS_NAMES.get(row.status, row.status.lower()),
                  url=kind.url(row, facts))
        if row.status == TaskResultStatus.RUNNING:
            job.progress = kind.progress(row, facts)
        elif row.status == TaskResultStatus.SUCCESSFUL and kind.refused(row, facts):
            job.status, job.error = "failed", kind.result(row, facts)
        elif row.status == TaskResultStatus.SUCCESSFUL:
            job.result = kind.result(row, facts)
        elif row.status == TaskResultStatus.FAILED:
            job.error = error_line(row.traceback)
        jobs.append(job)
    return jobs

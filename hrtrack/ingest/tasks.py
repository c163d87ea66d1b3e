"""Background jobs for imports, run by `hrtrack worker`."""

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.changes import follow_up_now

from .importing import ImportFailed
from .models import ImportRun
from .records import save_record
from .service import import_files


def progress_key(run_id: int) -> str:
    return f"hrtrack:import-progress:{run_id}"


def live_progress(run: ImportRun) -> dict | None:
    """How far a running import has got (``done`` and ``total`` rows), from the cache: its rows
    stay invisible to the pages until its transaction commits. None when it reported nothing."""
    live = cache.get(progress_key(run.pk))
    if not live:
        return None
    return {"done": live["done"], "total": run.rows_total or live.get("total") or 0}


@task()
def run_import_job(run_id: int) -> dict:
    """Import the file of an ImportRun. Progress goes to the cache, because the import's own
    transaction keeps its rows invisible to the pages until it commits."""
    run = ImportRun.objects.get(pk=run_id)
    run.status = ImportRun.Status.RUNNING
    run.save(update_fields=["status"])
    total = run.rows_total

    def progress(done: int, _total: int) -> None:
        cache.set(progress_key(run_id), {"done": done, "total": total}, timeout=3600)

    try:
        report = import_files(
            run.source, [run.file.path], skip_invalid=run.skip_invalid, mapping=run.mapping or None,
            user=run.started_by, progress=progress,
        )
    except ImportFailed as error:
        run.status, run.report = ImportRun.Status.FAILED, error.report.as_dict()
    except InvalidInput as error:
        run.status, run.report = ImportRun.Status.FAILED, {"error": error.problems, "problems": []}
    else:
        run.status, run.report = ImportRun.Status.DONE, report.as_dict()
        run.rows_done = report.rows_read
        # Searchable when the person sees "done", not once the background queue reaches the
        # follow-up job (which still does the rest: suggestions, embeddings, links).
        follow_up_now()
    if run.status == ImportRun.Status.FAILED and run.file:
        # A file that imported nothing is not kept: the run's report says what was wrong with it.
        run.file.delete(save=False)
    run.finished_at = timezone.now()
    run.save()
    cache.delete(progress_key(run_id))
    return {"status": run.status}


@task()
def save_record_job(record: dict, source_title: str = "") -> dict:
    """Save a statement/1 record as a dialogue in the background; the result says what happened."""
    try:
        report = save_record(record, source_title=source_title)
    except InvalidInput as error:
        return {"ok": False, "problems": error.problems}
    return {"ok": True, "dialogue": report.dialogue.pk, "created": report.created, "changes": report.changes}

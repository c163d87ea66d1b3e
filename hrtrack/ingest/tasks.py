"""Background jobs for imports, run by `hrtrack worker`: checking an uploaded file, then importing it.

Both run in the worker, never in a web request: a file of half a million rows takes longer to
read than a web worker may take to answer.
"""

import logging
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.changes import follow_up_now

from .importing import ImportFailed, ImportReport, ItemRow, run_import
from .models import ImportRun
from .records import save_record
from .service import import_files, read_source

logger = logging.getLogger(__name__)

#: How many of a checked file's first items the import page shows.
PREVIEW_ROWS = 20


def progress_key(run_id: int) -> str:
    return f"hrtrack:import-progress:{run_id}"


def live_progress(run: ImportRun) -> dict | None:
    """How far a running import has got (``done`` and ``total`` rows), from the cache: its rows
    stay invisible to the pages until its transaction commits. None when it reported nothing."""
    live = cache.get(progress_key(run.pk))
    if not live:
        return None
    return {"done": live["done"], "total": run.rows_total or live.get("total") or 0}


def preview_entry(item: ItemRow) -> dict:
    """What the import page shows of an item before it is saved: codes, which the page names in
    the reader's language (countries, concepts, kinds and responses in words)."""
    return {"row": item.row, "text": item.text[:300], "heading": item.heading, "kind": item.kind,
            "recipients": item.recipients, "from": item.recommending_states, "body": item.recommending_body,
            "response": item.response, "session": item.session,
            "issued_on": item.issued_on.isoformat() if item.issued_on else "",
            "concepts": [[c.scheme, c.code] for c in item.concepts]}


def check_file(run: ImportRun, progress=None) -> tuple[ImportReport, list[ItemRow], int]:
    """Read every row of the run's file and compare it with the database, saving nothing (the
    import's own dry run, so memory stays bounded whatever the file's size): counts, problems,
    what the import would create, update and leave unchanged, the first items, and how many data
    rows the file has (with or without problems). ``progress(rows)`` hears how far it has got."""
    path = Path(run.file.path)
    options = {"encoding": (run.report or {}).get("encoding") or None, "mapping": run.mapping or None,
               "sheet": (run.report or {}).get("sheet") or None}
    report = run_import(run.source, read_source(run.source, [path], **options, frozen=True), files=[run.file_name],
                        skip_invalid=True, dry_run=True,
                        progress=(lambda done, _total: progress(done)) if progress else None)
    return report, first_items(read_source(run.source, [path], **options), PREVIEW_ROWS), report.rows_read


def first_items(rows, count: int) -> list[ItemRow]:
    """The first ``count`` items of a source's rows, the rest left unread."""
    items: list[ItemRow] = []
    try:
        for entry in rows:
            if isinstance(entry, ItemRow):
                items.append(entry)
                if len(items) >= count:
                    break
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()  # a generator's finally closes the file it reads
    return items


def kept_settings(run: ImportRun) -> dict:
    """What a run's report holds about how to read its file (its encoding, sheet and saved
    mapping's name), kept when the report is replaced by the check's or the import's."""
    return {k: v for k, v in (run.report or {}).items() if k in ("encoding", "sheet", "saved_mapping")}


def checking_key(run_id: int) -> str:
    return f"hrtrack:import-check:{run_id}"


@task()
def check_import_job(run_id: int) -> dict:
    """Check every row of an uploaded file: the run becomes "checked" with its counts, problems and
    first items, or "failed" saying why the file cannot be read. The file is kept only when it can
    be imported."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.CHECKING).first()
    if run is None:
        return {"status": "gone"}
    kept = kept_settings(run)

    def progress(rows: int) -> None:
        cache.set(checking_key(run_id), {"done": rows}, timeout=3600)

    try:
        report, preview, rows = check_file(run, progress)
    except InvalidInput as error:
        run.status, run.report = ImportRun.Status.FAILED, {**kept, "error": error.problems, "problems": []}
    except Exception as error:  # a file no reader foresaw: said on the page, not a worker's crash
        logger.exception("checking import %s failed", run_id)
        run.status = ImportRun.Status.FAILED
        run.report = {**kept, "problems": [],
                      "error": [_("The file could not be read (%(error)s): nothing was imported.")
                                % {"error": type(error).__name__}]}
    else:
        run.rows_total = rows
        run.report = {**report.as_dict(), **kept, "preview": [preview_entry(i) for i in preview]}
        run.status = ImportRun.Status.PREVIEWED
        if report.problems and not run.skip_invalid:
            # It cannot be imported as it is: the run keeps its problems to show, not the file.
            run.file.delete(save=False)
    if run.status == ImportRun.Status.FAILED and run.file:
        run.file.delete(save=False)
    run.finished_at = timezone.now() if run.status == ImportRun.Status.FAILED else None
    run.save()
    cache.delete(checking_key(run_id))
    return {"status": run.status}


@task()
def run_import_job(run_id: int) -> dict:
    """Import the file of an ImportRun. Progress goes to the cache, because the import's own
    transaction keeps its rows invisible to the pages until it commits."""
    run = ImportRun.objects.get(pk=run_id)
    kept = kept_settings(run)
    run.status = ImportRun.Status.RUNNING
    run.save(update_fields=["status"])
    total = run.rows_total

    def progress(done: int, _total: int) -> None:
        cache.set(progress_key(run_id), {"done": done, "total": total}, timeout=3600)

    try:
        report = import_files(
            run.source, [run.file.path], skip_invalid=run.skip_invalid, mapping=run.mapping or None,
            encoding=(run.report or {}).get("encoding") or None, sheet=(run.report or {}).get("sheet") or None,
            user=run.started_by, progress=progress,
        )
    except ImportFailed as error:
        run.status, run.report = ImportRun.Status.FAILED, {**error.report.as_dict(), **kept}
    except InvalidInput as error:
        run.status, run.report = ImportRun.Status.FAILED, {**kept, "error": error.problems, "problems": []}
    except Exception as error:  # nothing was saved (one transaction): the page says so, not a crash
        logger.exception("import %s failed", run_id)
        run.status, run.report = ImportRun.Status.FAILED, {
            **kept, "problems": [], "error": [_("The file could not be imported (%(error)s): nothing was imported.")
                                      % {"error": type(error).__name__}]}
    else:
        run.status, run.report = ImportRun.Status.DONE, {**report.as_dict(), **kept}
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

"""Import: upload a file, check every row, preview, then import in the background."""

from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.progress import percent
from hrtrack.lib.web import coordinator_required, json_error

from ..forms import ImportForm
from ..importing import ImportReport, Problem, collect, problems_csv, tally
from ..models import ImportRun
from ..service import read_source
from ..tasks import live_progress, run_import_job
from .common import IMPORTS_REFUSED, importers_only

PREVIEW_ROWS = 20


def _check(run: ImportRun) -> tuple[ImportReport, list]:
    """Read every row of the run's file without saving: counts, problems, the first items."""
    report = ImportReport(source=run.source, files=[run.file_name])
    path = Path(run.file.path)
    rows = read_source(run.source, [path], encoding=run.report.get("encoding") or None,
                       mapping=run.mapping or None)
    preview = []

    def keep_first(entries):
        for entry in entries:
            if not isinstance(entry, Problem) and len(preview) < PREVIEW_ROWS:
                preview.append(entry)
            yield entry

    items = collect(keep_first(rows), report)
    tally(report, items)
    return report, preview


@importers_only
def import_list(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = ImportRun(source=form.cleaned_data["source"], file_name=Path(upload.name).name[:300],
                        mapping=form.cleaned_data["mapping"], skip_invalid=form.cleaned_data["skip_invalid"],
                        status=ImportRun.Status.PREVIEWED, started_by=request.user,
                        report={"encoding": form.cleaned_data["encoding"].strip()})
        run.file.save(run.file_name, upload, save=False)
        try:
            report, preview = _check(run)
        except InvalidInput as error:
            run.file.delete(save=False)
            for problem in error.problems:
                form.add_error("file", problem)
        except BaseException:
            run.file.delete(save=False)  # a file that breaks the check leaves nothing behind either
            raise
        else:
            run.rows_total = report.rows_read + report.skipped
            run.report = {**report.as_dict(), "encoding": run.report.get("encoding", ""),
                          "preview": [{"row": i.row, "text": i.text[:300], "kind": i.kind,
                                       "recipients": i.recipients, "from": i.recommending_states,
                                       "response": i.response, "session": i.session,
                                       "concepts": [c.code for c in i.concepts]} for i in preview]}
            if report.problems and not run.skip_invalid:
                # It cannot be imported as it is: the run keeps its problems to show, not the file.
                run.file.delete(save=False)
            run.save()
            return redirect("ingest:import", pk=run.pk)
    runs = ImportRun.objects.select_related("started_by")[:20]
    return render(request, "ingest/import_list.html", {"form": form, "runs": runs})


def _progress(run: ImportRun) -> dict:
    live = live_progress(run) if run.status == ImportRun.Status.RUNNING else None
    done, total = (live["done"], live["total"]) if live else (run.rows_done, run.rows_total or 0)
    return {"id": run.pk, "status": run.status, "done": done, "total": total,
            "percent": percent(done, total) if total else (100 if run.status == "done" else 0)}


@importers_only
def import_detail(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    report = run.report or {}
    can_start = run.status == ImportRun.Status.PREVIEWED and (run.skip_invalid or not report.get("problems"))
    return render(request, "ingest/import_detail.html", {
        "run": run, "report": report, "progress": _progress(run), "can_start": can_start,
        "problems": (report.get("problems") or [])[:100], "preview": report.get("preview") or [],
        "refresh": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
    })


@coordinator_required(IMPORTS_REFUSED, json=True)
def import_detail_json(request, pk):
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None:
        return json_error(_("No such import."), 404)
    report = {k: v for k, v in (run.report or {}).items() if k != "preview"}
    return JsonResponse({**_progress(run), "file": run.file_name, "source": run.source, "report": report})


@require_POST
@importers_only
def import_start(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    if run.status != ImportRun.Status.PREVIEWED:
        return redirect("ingest:import", pk=run.pk)
    if (run.report or {}).get("problems") and not run.skip_invalid:
        return redirect("ingest:import", pk=run.pk)
    run.status = ImportRun.Status.QUEUED
    run.save(update_fields=["status"])
    run_import_job.enqueue(run.pk)
    return redirect("ingest:import", pk=run.pk)


@importers_only
def import_problems_csv(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    response = HttpResponse(problems_csv((run.report or {}).get("problems") or []),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.csv"'
    return response

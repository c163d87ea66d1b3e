"""The import page: upload, check every row, preview, then import in the background."""

from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtrack.accounts.permissions import staff_required
from hrtrack.lib.errors import InvalidInput

from .forms import ImportForm
from .importing import ImportReport, Problem, collect, problems_csv, tally
from .models import ImportRun
from .service import read_source
from .tasks import progress_key, run_import_job

PREVIEW_ROWS = 20


def _coordinators_only(request):
    # Imports change thousands of items at once: the national mechanism's staff only.
    if not request.user.is_coordinator:
        raise PermissionDenied(_("Only coordinators and administrators import files."))


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


@staff_required
def import_list(request):
    _coordinators_only(request)
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
        else:
            run.rows_total = report.rows_read + report.skipped
            run.report = {**report.as_dict(), "encoding": run.report.get("encoding", ""),
                          "preview": [{"row": i.row, "text": i.text[:300], "kind": i.kind,
                                       "recipients": i.recipients, "from": i.recommending_states,
                                       "response": i.response, "session": i.session,
                                       "concepts": [c.code for c in i.concepts]} for i in preview]}
            run.save()
            return redirect("ingest:import", pk=run.pk)
    runs = ImportRun.objects.select_related("started_by")[:20]
    return render(request, "ingest/import_list.html", {"form": form, "runs": runs})


def _progress(run: ImportRun) -> dict:
    live = cache.get(progress_key(run.pk)) if run.status == ImportRun.Status.RUNNING else None
    done = live["done"] if live else run.rows_done
    total = run.rows_total or (live or {}).get("total") or 0
    return {"id": run.pk, "status": run.status, "done": done, "total": total,
            "percent": min(100, int(100 * done / total)) if total else (100 if run.status == "done" else 0)}


@staff_required
def import_detail(request, pk):
    _coordinators_only(request)
    run = get_object_or_404(ImportRun, pk=pk)
    report = run.report or {}
    can_start = run.status == ImportRun.Status.PREVIEWED and (run.skip_invalid or not report.get("problems"))
    return render(request, "ingest/import_detail.html", {
        "run": run, "report": report, "progress": _progress(run), "can_start": can_start,
        "problems": (report.get("problems") or [])[:100], "preview": report.get("preview") or [],
        "refresh": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
    })


@staff_required(json=True)
def import_detail_json(request, pk):
    if not request.user.is_coordinator:
        return JsonResponse({"error": _("Only coordinators and administrators import files.")}, status=403)
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None:
        return JsonResponse({"error": _("No such import.")}, status=404)
    report = {k: v for k, v in (run.report or {}).items() if k != "preview"}
    return JsonResponse({**_progress(run), "file": run.file_name, "source": run.source, "report": report})


@require_POST
@staff_required
def import_start(request, pk):
    _coordinators_only(request)
    run = get_object_or_404(ImportRun, pk=pk)
    if run.status != ImportRun.Status.PREVIEWED:
        return redirect("ingest:import", pk=run.pk)
    if (run.report or {}).get("problems") and not run.skip_invalid:
        return redirect("ingest:import", pk=run.pk)
    run.status = ImportRun.Status.QUEUED
    run.save(update_fields=["status"])
    run_import_job.enqueue(run.pk)
    return redirect("ingest:import", pk=run.pk)


@staff_required
def import_problems_csv(request, pk):
    _coordinators_only(request)
    run = get_object_or_404(ImportRun, pk=pk)
    response = HttpResponse(problems_csv((run.report or {}).get("problems") or []),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.csv"'
    return response



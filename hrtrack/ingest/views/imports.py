"""Import: upload a file, map a table's columns in the page, check every row in the background,
preview, then import in the background.

No request reads a whole file: the check and the import are jobs (``tasks``), and the page
follows them through its JSON twin. The upload is opened only for its header (a file that cannot
be read at all is refused next to the field, and nothing is saved), and the mapping page reads
only a file's first rows.
"""

import datetime
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtrack.directory.models import Country
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.progress import percent
from hrtrack.lib.uploads import limit_uploads
from hrtrack.lib.web import coordinator_required, json_error
from hrtrack.recommendations.models import Kind, Response
from hrtrack.taxonomy.models import Concept

from ..files import check_opens, max_import_bytes
from ..forms.imports import ImportForm, MappingForm
from ..importing import problems_csv
from ..models import ImportMapping, ImportRun
from ..sources.table import (
    RowReader,
    dump_mapping,
    first_rows,
    guess_mapping,
    load_mapping,
    mapping_problems,
    sheet_names,
)
from ..tasks import check_import_job, checking_key, live_progress, preview_entry, run_import_job
from .common import IMPORTS_REFUSED, importers_only

#: How many of a file's first rows the mapping page shows as they are, and as items.
RAW_ROWS = 5
PREVIEW_ROWS = 10
#: How many rows the mapping page reads for the words a column holds.
SAMPLE_ROWS = 200


def _enqueue_check(run: ImportRun) -> None:
    run.status = ImportRun.Status.CHECKING
    run.save()
    check_import_job.enqueue(run.pk)


#: The import form's own limits (JSON larger than tables), applied as the upload arrives.
@limit_uploads(lambda name: max_import_bytes(Path(name).suffix.lower().lstrip(".")))
@importers_only
def import_list(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _opens(form):
        data = form.cleaned_data
        upload = data["file"]
        run = ImportRun(source=data["source"], file_name=Path(upload.name).name[:300],
                        skip_invalid=data["skip_invalid"], started_by=request.user,
                        report={"encoding": data["encoding"]})
        run.file.save(run.file_name, upload, save=False)
        if run.source == "table" and not data["mapping"]:
            # The columns are mapped in the next page, from the file's own headers.
            run.status = ImportRun.Status.MAPPING
            saved = data.get("saved_mapping")
            if saved is not None:
                run.mapping = dump_mapping(saved.mapping)
                run.report["saved_mapping"] = saved.name
            run.save()
            return redirect("ingest:import_mapping", pk=run.pk)
        run.mapping = data["mapping"]
        _enqueue_check(run)
        return redirect("ingest:import", pk=run.pk)
    runs = ImportRun.objects.select_related("started_by")[:20]
    return render(request, "ingest/import_list.html", {"form": form, "runs": runs,
                                                       "mappings": ImportMapping.objects.all()})


def _opens(form: ImportForm) -> bool:
    """Whether the uploaded file opens as a table (its header read, not its rows); if not, the
    reason goes next to the file and nothing is saved. Read under its own name, for the messages."""
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as folder:
        path = Path(folder) / (Path(upload.name).name or "upload")
        try:
            if hasattr(upload, "temporary_file_path"):
                os.symlink(upload.temporary_file_path(), path)
            else:
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
            check_opens(path, encoding=form.cleaned_data.get("encoding") or None)
        except InvalidInput as error:
            for problem in error.problems:
                form.add_error("file", problem)
            return False
        finally:
            upload.seek(0)
    return True


def _lenient(text: str) -> dict:
    """A stored mapping as far as it reads (the page shows what is wrong with it)."""
    try:
        return load_mapping(text) if text else {}
    except InvalidInput:
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return {}


@importers_only
def import_mapping(request, pk):
    """Map a table's columns to fields: the file's headers in a select for each field, and its
    first rows as items under the mapping, drawn again each time the mapping changes."""
    run = get_object_or_404(ImportRun, pk=pk)
    if run.status != ImportRun.Status.MAPPING or not run.file:
        return redirect("ingest:import", pk=run.pk)
    encoding = (run.report or {}).get("encoding") or None
    sheets = sheet_names(Path(run.file.path))
    if request.GET.get("sheet") in sheets:
        run.report = {**(run.report or {}), "sheet": request.GET["sheet"]}
        run.save(update_fields=["report"])
    sheet = (run.report or {}).get("sheet") or None
    try:
        columns, rows = first_rows(Path(run.file.path), encoding=encoding, sheet=sheet, limit=SAMPLE_ROWS)
    except InvalidInput as error:
        run.file.delete(save=False)
        run.status, run.report = ImportRun.Status.FAILED, {"error": error.problems, "problems": []}
        run.save()
        return redirect("ingest:import", pk=run.pk)
    saved_mappings = ImportMapping.objects.all()
    chosen = saved_mappings.filter(pk=request.GET.get("saved")).first() if request.GET.get("saved", "").isdigit() \
        else None
    if chosen is not None:
        base = chosen.mapping
    elif run.mapping:
        base = _lenient(run.mapping)
    else:
        base = guess_mapping(columns)
    form = MappingForm(request.POST or None, columns=columns, samples=rows, base=base,
                       initial=MappingForm.initial_from(base))
    problems: list[str] = []
    mapping = base
    if request.method == "POST":
        if form.is_valid():
            mapping = form.mapping()
            if request.POST.get("action") == "check":
                problems = mapping_problems(mapping) + _missing_columns(mapping, columns)
                if not problems:
                    name = form.cleaned_data.get("save_as", "").strip()
                    if name:
                        _save_mapping(name, mapping, request.user)
                    run.mapping = dump_mapping(mapping)
                    run.report = {**(run.report or {}), "saved_mapping": name or run.report.get("saved_mapping", "")}
                    _enqueue_check(run)
                    return redirect("ingest:import", pk=run.pk)
        else:
            mapping = {}
    preview, preview_problems = [], []
    if mapping:
        try:
            reader = RowReader(mapping)
        except InvalidInput as error:
            problems += error.problems
        else:
            for row in rows[:PREVIEW_ROWS]:
                found = []
                item = reader.item(run.file_name, row.number, row.cells, found)
                preview.append({**preview_entry(item), "problems": [p.reason for p in found]})
                preview_problems += found
    raw_rows = [[_shown(row.cells.get(c)) for c in columns] for row in rows[:RAW_ROWS]]
    return render(request, "ingest/import_mapping.html", {
        "run": run, "form": form, "columns": columns, "raw_rows": raw_rows, "preview": named(preview),
        "problems": problems, "saved_mappings": saved_mappings, "chosen": chosen,
        "toml": dump_mapping(mapping) if mapping else "", "sheets": sheets if len(sheets) > 1 else [],
        "sheet": sheet or (sheets[0] if sheets else ""),
    })


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _missing_columns(mapping: dict, columns: list[str]) -> list[str]:
    wanted = list((mapping.get("columns") or {}).values()) + list((mapping.get("concepts") or {}).values())
    key = (mapping.get("options") or {}).get("key")
    wanted += [key] if key else []
    return [_("The file has no column %(name)s.") % {"name": name} for name in wanted if name not in columns]


def _save_mapping(name: str, mapping: dict, user) -> ImportMapping:
    saved = ImportMapping.objects.filter(name=name).first() or ImportMapping(name=name, created_by=user)
    saved.mapping = mapping
    saved._history_user = user
    saved.save()
    return saved


def named(entries: list[dict]) -> list[dict]:
    """Preview entries with names for their codes, in the reader's language: countries by their
    names, concepts by their labels, kinds and responses in words."""
    spanish = (get_language() or "").startswith("es")
    codes = {c for e in entries for c in [*e.get("recipients", []), *e.get("from", [])]}
    countries = {code: (es if spanish and es else en)
                 for code, en, es in Country.objects.filter(code__in=codes).values_list("code", "name_en", "name_es")}
    pairs = [tuple(c) for e in entries for c in e.get("concepts", []) if isinstance(c, list | tuple)]
    labels = {}
    if pairs:
        found = Concept.objects.filter(code__in={code for _scheme, code in pairs},
                                       scheme__slug__in={scheme for scheme, _code in pairs}).select_related("scheme")
        labels = {(c.scheme.slug, c.code): c.label for c in found}
    kinds, responses = dict(Kind.choices), dict(Response.choices)
    shown = []
    for entry in entries:
        concepts = []
        for concept in entry.get("concepts", []):
            if isinstance(concept, list | tuple):
                concepts.append(labels.get(tuple(concept), concept[1]))
            else:  # an older run's preview kept the codes alone
                concepts.append(str(concept))
        shown.append({
            **entry,
            "recipients": [countries.get(c, c) for c in entry.get("recipients", [])],
            "from": [countries.get(c, c) for c in entry.get("from", [])],
            "kind": kinds.get(entry.get("kind"), entry.get("kind", "")),
            "response": responses.get(entry.get("response"), entry.get("response", "")),
            "concepts": concepts,
            "issued_on": datetime.date.fromisoformat(entry["issued_on"]) if entry.get("issued_on") else None,
        })
    return shown


def _progress(run: ImportRun) -> dict:
    if run.status == ImportRun.Status.CHECKING:
        from django.core.cache import cache

        live = cache.get(checking_key(run.pk)) or {}
        return {"id": run.pk, "status": run.status, "done": live.get("done", 0), "total": 0, "percent": None}
    live = live_progress(run) if run.status == ImportRun.Status.RUNNING else None
    done, total = (live["done"], live["total"]) if live else (run.rows_done, run.rows_total or 0)
    return {"id": run.pk, "status": run.status, "done": done, "total": total,
            "percent": percent(done, total) if total else (100 if run.status == "done" else 0)}


def counts(run: ImportRun) -> dict:
    """The figures the page shows: rows read, rows with problems, problems, and what the import did."""
    report = run.report or {}
    problems = report.get("problems") or []
    return {
        "rows_read": max(run.rows_total, report.get("rows_read") or 0),
        "rows_with_problems": len({(p.get("file"), p.get("row")) for p in problems}),
        "problems": len(problems),
        "items": report.get("items") or 0,
        "merged": len(report.get("merged") or []),
    }


@importers_only
def import_detail(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    report = run.report or {}
    can_start = run.status == ImportRun.Status.PREVIEWED and (run.skip_invalid or not report.get("problems"))
    return render(request, "ingest/import_detail.html", {
        "run": run, "report": report, "progress": _progress(run), "can_start": can_start, "counts": counts(run),
        "problems": (report.get("problems") or [])[:100], "preview": named(report.get("preview") or []),
        "refresh": run.status in (ImportRun.Status.CHECKING, ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
    })


@coordinator_required(IMPORTS_REFUSED, json=True)
def import_detail_json(request, pk):
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None:
        return json_error(_("No such import."), 404)
    report = {k: v for k, v in (run.report or {}).items() if k != "preview"}
    return JsonResponse({**_progress(run), "file": run.file_name, "source": run.source, "report": report,
                         "counts": counts(run), "status_display": run.get_status_display()})


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


@importers_only
def mapping_toml(request, pk):
    """A saved mapping as TOML, for `hrtrack import table FILE --mapping FILE.toml`."""
    saved = get_object_or_404(ImportMapping, pk=pk)
    response = HttpResponse(dump_mapping(saved.mapping), content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mapping-{saved.pk}.toml"'
    return response

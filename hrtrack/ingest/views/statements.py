"""Add a statement: upload a file or paste text, check and correct the extracted record, save it
as a dialogue with its commitments. The record goes through ``validate_record`` before it is
saved, the same check the CLI and ``hrtrack dialogues load`` use, and each problem is shown next
to its field."""

from pathlib import Path

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtrack.ingest.records import save_record
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.uploads import is_oversized, limit_uploads
from hrtrack.lib.web import coordinator_required, json_error

from ..extract import extract
from ..extract.text import max_bytes
from ..forms.statements import StatementReview, StatementSourceForm
from .common import STATEMENTS_REFUSED, statement_writers_only

#: A source text kept in the review form up to this size; past it, the extracted text is kept.
MAX_KEPT_SOURCE = 1_000_000


def _source_of(form: StatementSourceForm) -> tuple[bytes | str, str]:
    """The statement's bytes (or pasted text) and its name; InvalidInput for a file over the limit,
    refused as it arrived (hrtrack.lib.uploads), whose content was never kept."""
    upload = form.cleaned_data.get("file")
    if upload:
        name = Path(upload.name).name
        if is_oversized(upload) or (upload.size or 0) > max_bytes():
            raise InvalidInput(
                _("%(file)s is more than %(limit)d MB; a statement is read up to %(limit)d MB "
                  "(HRTRACK_EXTRACT_MAX_MB).")
                % {"file": name, "limit": max_bytes() // 2**20})
        return upload.read(), name
    return form.cleaned_data["text"], _("pasted text")


#: A statement is read whole, in memory: its upload is refused as it arrives past the extractor's limit.
statement_uploads = limit_uploads(lambda _name: max_bytes())


@statement_uploads
@statement_writers_only
def statement_new(request):
    """Step 1: the statement. Step 2 (a POST with ``step=review``): the record, checked, then saved."""
    if request.method == "POST" and request.POST.get("step") == "review":
        return _review(request)
    form = StatementSourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            source, name = _source_of(form)
            result = extract(source, name)
        except InvalidInput as error:
            for problem in error.problems:
                form.add_error("file" if form.cleaned_data.get("file") else "text", problem)
        else:
            statement = result.statement
            kept = statement.source_text if len(statement.source_text) <= MAX_KEPT_SOURCE else statement.text
            published = getattr(statement, "page_date", None)
            review = StatementReview(record=result.record, source={
                "source_text": kept, "source_name": name, "source_url": form.cleaned_data.get("url") or "",
                "published_on": (published.iso() if published and published.year else None),
            })
            return render(request, "ingest/statement_review.html", {
                "review": review, "warnings": result.warnings, "statement_text": statement.text,
                "source_name": name, "show_errors": False,
            })
    return render(request, "ingest/statement_new.html", {"form": form})


def _review(request):
    more = request.POST.get("more_rows")
    if more in StatementReview.PREFIXES:
        # "Add a row" without JavaScript: the same fields, one more empty row, nothing checked yet.
        data = request.POST.copy()
        total = f"{more}-TOTAL_FORMS"
        try:
            data[total] = str(min(int(data.get(total, 0)) + 1, 500))
        except ValueError:
            data[total] = "1"
        return _review_page(request, StatementReview(data), show_errors=False)
    review = StatementReview(request.POST)
    if review.is_valid():
        data = review.form.cleaned_data
        try:
            report = save_record(review.record, source_title=data.get("source_name") or "",
                                 source_text=data.get("source_text") or "", source_url=data.get("source_url") or "",
                                 published_on=review.published_on)
        except InvalidInput as error:
            for problem in error.problems:
                review.form.add_error(None, problem)
        else:
            return redirect(reverse("dialogues:dialogue", args=[report.dialogue.pk]))
    return _review_page(request, review, show_errors=True, status=400)


def _review_page(request, review: StatementReview, *, show_errors: bool, status: int = 200):
    return render(request, "ingest/statement_review.html", {
        "review": review, "warnings": [], "statement_text": review.form.data.get("source_text", ""),
        "source_name": review.form.data.get("source_name", ""), "show_errors": show_errors,
    }, status=status)


@statement_uploads
@require_POST
@coordinator_required(STATEMENTS_REFUSED, json=True)
def statement_extract_json(request):
    """The JSON twin: POST a file (``file``) or text (``text``), get ``{"record", "warnings"}``."""
    form = StatementSourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return json_error(" ".join(e for errors in form.errors.values() for e in errors), 400)
    try:
        source, name = _source_of(form)
        result = extract(source, name)
    except InvalidInput as error:
        return json_error("; ".join(error.problems), 400)
    return JsonResponse({"record": result.record, "warnings": result.warnings})

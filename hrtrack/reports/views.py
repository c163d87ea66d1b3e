"""The reports' doors: the matrix for the UN (XLSX, CSV), the progress of an agency or a theme
and the briefing for a dialogue's next round (PDF, DOCX), and the page that lists them.

Everyone may download them; each reader gets what they may see (the publication rules): the
public the published only, the staff site's people everything, coordinators restricted data too.
A parameter that cannot be read is a 400 that says which and why, in plain text.
"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hrtrack.dialogues.models import Dialogue
from hrtrack.lib.web import absolute
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import Recommendation
from hrtrack.recommendations.views import PublicItemFilterSet

from . import matrix
from .audience import Audience, audience_of
from .briefing import briefing_document, is_after
from .documents import write_document
from .forms import ProgressForm, agency_choices, problems, theme_choices
from .progress import progress_document

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def bad_request(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def _download(response: HttpResponse, name: str, staff: bool) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # A staff version holds unpublished things: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store" if staff else "private, max-age=0"
    response["Content-Language"] = get_language() or "en"
    return response


def _stamp() -> str:
    return timezone.localdate().isoformat()


# The matrix ---------------------------------------------------------------------------------


def _filter_set(audience: Audience) -> type[ItemFilterSet]:
    """The item list's filters as this reader has them: the public's leave out the administration's
    own work (``assigned``, ``agency``) and read the status from public reports."""
    return ItemFilterSet if audience.staff else PublicItemFilterSet


@require_safe
def matrix_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every item the filters select (the list's filters, ``ItemFilterSet``), one row each."""
    audience = audience_of(request.user)
    filters = _filter_set(audience)(request.GET, queryset=audience.items)
    if not filters.form.is_valid():
        return bad_request([_("The matrix cannot be made with these filters:")] + problems(filters.form))
    rows = matrix.matrix_rows(filters.qs, audience, absolute(request))
    name = f"{_('recommendations-matrix')}-{_stamp()}.{fmt}"
    if fmt == "csv":
        language = get_language()

        def lines():
            # Streamed after the view returns: in the request's language all the same.
            with translation.override(language):
                yield from matrix.csv_lines(rows)

        response = StreamingHttpResponse(lines(), content_type=CONTENT_TYPES["csv"])
    else:
        response = FileResponse(matrix.write_xlsx(rows, _("Matrix")), content_type=CONTENT_TYPES["xlsx"])
    return _download(response, name, audience.staff)


# PDF and DOCX -------------------------------------------------------------------------------


@require_safe
def progress_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The progress of ``agency`` or ``theme`` over ``from``–``to``."""
    form = ProgressForm(request.GET)
    if not form.is_valid():
        return bad_request([_("The progress report cannot be made:")] + problems(form))
    audience = audience_of(request.user)
    agency, theme = form.cleaned_data["agency"], form.cleaned_data["theme"]
    document = progress_document(audience, absolute(request), agency=agency, theme=theme, period=form.period)
    document.language = get_language() or "en"
    subject = slugify(agency.acronym or agency.name if agency else "") or (theme.code if theme else "")
    name = f"{_('progress')}-{subject}-{_stamp()}.{fmt}"
    response = HttpResponse(write_document(document, fmt), content_type=CONTENT_TYPES[fmt])
    return _download(response, name, audience.staff)


@require_safe
def briefing_download(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    """The briefing for the round after dialogue ``pk``; a dialogue the reader may not see is a 404."""
    audience = audience_of(request.user)
    dialogue = audience.dialogues.select_related("series").filter(pk=int(pk)).first()
    if dialogue is None:
        raise Http404(_("There is no dialogue with the id %(pk)s.") % {"pk": pk})
    document = briefing_document(audience, dialogue, absolute(request))
    document.language = get_language() or "en"
    name = f"{_('briefing')}-{dialogue.series.slug[:60]}-{dialogue.pk}.{fmt}"
    response = HttpResponse(write_document(document, fmt), content_type=CONTENT_TYPES[fmt])
    return _download(response, name, audience.staff)


# The page that lists them -------------------------------------------------------------------


def latest_rounds(audience: Audience) -> list[Dialogue]:
    """The latest round the reader may see of each series: what a briefing is made from."""
    latest: dict[int, Dialogue] = {}
    for dialogue in audience.dialogues.select_related("series").order_by("pk"):
        current = latest.get(dialogue.series_id)
        # A round whose place is unknown beside the other (no dates, no numbers): the one added later.
        if current is None or not is_after(current, dialogue):
            latest[dialogue.series_id] = dialogue
    return sorted(latest.values(), key=lambda d: d.series.name.lower())


def _briefings(request: HttpRequest, audience: Audience) -> list[dict]:
    out = []
    for dialogue in latest_rounds(audience):
        urls = {fmt: reverse("reports:briefing", args=[dialogue.pk, fmt]) for fmt in ("pdf", "docx")}
        out.append({"dialogue": dialogue, "series": dialogue.series, "urls": urls,
                    "absolute": {fmt: request.build_absolute_uri(url) for fmt, url in urls.items()}})
    return out


@require_safe
def reports_page(request: HttpRequest) -> HttpResponse:
    audience = audience_of(request.user)
    filters = _filter_set(audience)(request.GET or None, queryset=Recommendation.objects.none())
    form = filters.form
    for name in list(form.fields):
        if name not in MATRIX_FILTERS:
            del form.fields[name]
    return render(request, "reports/reports.html", {
        "audience": audience,
        "matrix_form": form,
        "agencies": agency_choices(),
        "themes": theme_choices(),
        "briefings": _briefings(request, audience),
    })


#: The filters the reports page draws for the matrix (every item filter applies in the address).
MATRIX_FILTERS = ("kind", "recipient", "mechanism", "cycle", "session", "theme", "response", "status", "agency",
                  "scope")


@require_safe
def reports_json(request: HttpRequest) -> JsonResponse:
    """What the reports page lists, for programs: each download's address and parameters."""
    audience = audience_of(request.user)

    def urls(name: str, formats: tuple[str, ...]) -> dict:
        return {fmt: request.build_absolute_uri(reverse(name, args=[fmt])) for fmt in formats}

    return JsonResponse({
        "version": "staff" if audience.staff else "public",
        "matrix": urls("reports:matrix", ("xlsx", "csv")),
        "matrix_parameters": "the item filters of /recommendations/ (recipient, cycle, theme, kind, ...)",
        "progress": urls("reports:progress", ("pdf", "docx")),
        "progress_parameters": ["agency", "theme", "from", "to"],
        "agencies": [{"id": int(pk), "name": name} for pk, name in agency_choices()],
        "briefings": [{"dialogue": b["dialogue"].pk, "series": {"slug": b["series"].slug, "name": b["series"].name},
                       "round": str(b["dialogue"]), "pdf": b["absolute"]["pdf"], "docx": b["absolute"]["docx"]}
                      for b in _briefings(request, audience)],
    })


"""The REST API under /api/v1/ (docs/api.md), on Django REST framework.

Each operation answers what the page or JSON twin of the same thing answers, by calling the same
function: the item and dialogue lists go through the pages' filter sets, a report's steps through
the follow-up's views (hrtrack.followup.views.*, which ask hrtrack.followup.rules and take each
step in hrtrack.followup.workflow), an import through the import page. Who sees what comes from
hrtrack.followup.publication and hrtrack.dialogues.restricted, as on every other door; nothing
here decides it anew. What this module adds is the API's own: tokens, rate limits, JSON errors
for everything, pagination links and the schema.

Every link in an answer is absolute and leads to a page the caller may open: the public pages
for anonymous visitors and contributors (an item's public page, a theme's, a state's), the staff
pages for the staff.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.urls import resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from hrtrack.dialogues import views as dialogue_views
from hrtrack.dialogues.filters import DialogueFilterSet
from hrtrack.dialogues.restricted import restricted_names
from hrtrack.directory.models import Country
from hrtrack.followup import rules, workflow
from hrtrack.followup.dashboard import anonymous_answer
from hrtrack.followup.models import Evidence, ProgressReport
from hrtrack.followup.publication import public_reports, sees_unpublished
from hrtrack.followup.restricted import withhold_for
from hrtrack.followup.views import assign as assign_views
from hrtrack.followup.views import reports as report_views
from hrtrack.followup.views.common import payload, report_or_404, twin
from hrtrack.ingest import views as ingest_views
from hrtrack.ingest.files import max_import_bytes
from hrtrack.ingest.forms.imports import ImportForm
from hrtrack.ingest.models import ImportRun
from hrtrack.ingest.views.common import IMPORTS_REFUSED
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.files import check_upload
from hrtrack.lib.web import BoundedIntegerField, absolute, invalid_filters, json_error, page_json, paginate
from hrtrack.nlp import views as nlp_views
from hrtrack.nlp.forms import DecisionForm
from hrtrack.recommendations import views as item_views
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import MECHANISM_SCHEMES, THEME_SCHEMES
from hrtrack.search.engine import parse_request, result_json, search
from hrtrack.taxonomy.models import Concept

from . import serializers as s
from .permissions import SignedIn

#: The error answers every operation may give, for the schema.
ERRORS = {code: OpenApiResponse(s.ErrorSerializer, description=text) for code, text in (
    (400, "Bad input: the message says what, and ``fields`` which field."),
    (401, "Not signed in, or the token is not valid or revoked."),
    (403, "Signed in, but the person's role or agency does not allow it."),
    (404, "Nothing of that id the caller may see."),
    (405, "Not a method this address takes."),
    (413, "The request is larger than the platform takes."),
    (429, "Too many requests: wait Retry-After seconds."),
)}
WRITE_ERRORS = {**ERRORS, 409: OpenApiResponse(s.ErrorSerializer, description=(
    "Someone saved a newer version in between: ``changes`` says what, ``version`` the version now."))}


def _filter_parameters(filterset) -> list[OpenApiParameter]:
    """The query parameters of a page's filter set, each repeatable (the values are alternatives)."""
    parameters = []
    for name, field in filterset.base_filters.items():
        parameters.append(OpenApiParameter(name, OpenApiTypes.STR, many=True, explode=True,
                                           description=str(field.label or "")))
    return parameters


PAGE = OpenApiParameter("page", OpenApiTypes.STR, description="The page's number (past the end: the last page).")


class JsonOnly(BaseContentNegotiation):
    """Every answer is JSON, whatever the Accept header asks (never a 406)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(APIView):
    """An API operation: a token or the session signs it in (a session's write needs CSRF), the
    rate limits apply, and a request body larger than ``max_body`` is refused (413) unread."""

    content_negotiation_class = JsonOnly

    def max_body(self) -> int | None:
        """The most bytes a request's body may have here: Django's own limit, unless a door takes files."""
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def initial(self, request, *args, **kwargs):
        limit = self.max_body()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            raise TooLarge()
        super().initial(request, *args, **kwargs)


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")


def delegate(view, request, *args, **kwargs) -> HttpResponse:
    """The answer of the page's own view (its JSON twin) to this request, as its signed-in user."""
    return view(request._request, *args, **kwargs)


def kept_for_anonymous(name: str):
    """A GET operation whose answer to an anonymous caller is drawn from the counted data alone:
    kept in the figures' cache until the data change (:func:`~hrtrack.followup.dashboard.anonymous_answer`),
    after the rate limits (which DRF applies before the operation). Lists only: one entry for each
    of thousands of items would cull the figures' cache for little (an item is seldom read twice
    before the data change)."""

    def decorator(get):
        @wraps(get)
        def wrapper(self, request, *args, **kwargs):
            def compute():
                response = get(self, request, *args, **kwargs)
                return response.status_code, response.content

            status, content = anonymous_answer(request._request, name, compute)
            return HttpResponse(content, status=status, content_type="application/json")

        return wrapper

    return decorator


# Reading: what is published, for everyone ------------------------------------------------------


class IndexView(ApiView):
    @extend_schema(operation_id="index", responses={200: s.IndexSerializer, **ERRORS})
    def get(self, request):
        """Where to start: the schema, its documentation page and the lists anyone may read
        (personal tokens are made at /account/tokens/, signed in)."""
        to_absolute = absolute(request._request)
        names = ["recommendations", "dialogues", "reports", "themes", "mechanisms", "states", "search"]
        return JsonResponse({"schema": to_absolute(reverse("api:schema")), "docs": to_absolute(reverse("api:docs")),
                             "operations": {name: to_absolute(reverse(f"api:{name}")) for name in names}})


class SearchView(ApiView):
    @extend_schema(operation_id="search", parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="The query, as in the search page."),
        OpenApiParameter("limit", OpenApiTypes.STR), OpenApiParameter("sort", OpenApiTypes.STR),
        OpenApiParameter("mode", OpenApiTypes.STR), OpenApiParameter("kind", OpenApiTypes.STR),
        OpenApiParameter("recipient", OpenApiTypes.STR, many=True, explode=True),
        OpenApiParameter("date_from", OpenApiTypes.STR), OpenApiParameter("date_to", OpenApiTypes.STR),
        OpenApiParameter("session", OpenApiTypes.STR)],
        responses={200: s.SearchSerializer, **ERRORS})
    def get(self, request):
        """The ranked results, facets and time taken, of what the caller may see (parameters as in
        hrtrack.search.engine); restricted names find nothing for those who may not see them."""
        try:
            result = search(parse_request(request.GET), request.user)
        except InvalidInput as error:
            return json_error(str(error), 400)
        data = result_json(result)
        # The hits hold the links (theirs and their members'); the facets' hundreds of values hold none.
        data["results"] = with_absolute_links(data["results"], absolute(request._request))
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def with_absolute_links(data, to_absolute):
    """``data`` with every link (a ``url`` or ``…_url`` key holding a path) made absolute: the search's
    hits name their pages by path, as the search page and the command print them."""
    if isinstance(data, dict):
        return {key: to_absolute(value) if isinstance(value, str) and value.startswith("/") and key.endswith("url")
                else with_absolute_links(value, to_absolute) for key, value in data.items()}
    if isinstance(data, list):
        return [with_absolute_links(value, to_absolute) for value in data]
    return data


class RecommendationListView(ApiView):
    @extend_schema(operation_id="recommendations_list", parameters=[
        *_filter_parameters(ItemFilterSet), PAGE,
        OpenApiParameter("repeats", OpenApiTypes.STR, description="together: one row per group of repeated items.")],
                   responses={200: s.ItemPageSerializer, **ERRORS})
    def get(self, request):
        """Items (recommendations, commitments, pledges, observations) with the list page's filters:
        the published ones for anonymous visitors and contributors, every one for the staff."""
        return delegate(item_views.recommendation_list_json, request)


class RecommendationDetailView(ApiView):
    @extend_schema(operation_id="recommendations_detail", responses={200: s.ItemSerializer, **ERRORS})
    def get(self, request, pk):
        """An item as its page shows it to the caller (the public see a published one's public facts)."""
        return delegate(item_views.recommendation_detail_json, request, pk)


class DialogueListView(ApiView):
    @extend_schema(operation_id="dialogues_list", parameters=[*_filter_parameters(DialogueFilterSet), PAGE],
                   responses={200: s.DialoguePageSerializer, **ERRORS})
    def get(self, request):
        """Dialogues with the list page's filters (published ones for the public)."""
        return delegate(dialogue_views.dialogue_list_json, request)


class DialogueDetailView(ApiView):
    @extend_schema(operation_id="dialogues_detail", responses={200: s.DialogueSerializer, **ERRORS})
    def get(self, request, pk):
        """A dialogue (a round): restricted data only for those allowed to see it."""
        return delegate(dialogue_views.dialogue_detail_json, request, pk)


class SeriesDetailView(ApiView):
    @extend_schema(operation_id="series_detail", responses={200: s.SeriesSerializer, **ERRORS})
    def get(self, request, slug):
        """A dialogue series' rounds and topics by year."""
        return delegate(dialogue_views.series_detail_json, request, slug)


class ReportFilterForm(forms.Form):
    item = BoundedIntegerField(required=False, min_value=1)
    agency = BoundedIntegerField(required=False, min_value=1)


def _public_report_json(request, report: ProgressReport, to_absolute, names) -> dict:
    """A public report as the item's public page shows it, with its item's page and each
    evidence file's download address (the public download of published evidence)."""
    report.narrative = names.withhold(report.narrative)[0]
    data = item_views.public_report_json(report, to_absolute)
    item = report.assignment.recommendation
    data.update({"item": item.pk, "item_url": to_absolute(item.get_absolute_url())})
    for entry, evidence in zip(data["evidence"], report.evidence.all(), strict=True):
        if evidence.file:
            entry["url"] = to_absolute(reverse("followup:evidence", args=[report.pk, evidence.pk]))
    return data


def _staff_report_json(report: ProgressReport, to_absolute) -> dict:
    item = report.assignment.recommendation
    return {**report.as_json(to_absolute), "item_url": to_absolute(item.get_absolute_url())}


class ReportListView(ApiView):
    @extend_schema(operation_id="reports_list", parameters=[
        OpenApiParameter("item", OpenApiTypes.INT, description="Only the reports on this item."),
        OpenApiParameter("agency", OpenApiTypes.INT, description="Only this agency's reports."), PAGE],
        responses={200: s.ReportPageSerializer, **ERRORS})
    @kept_for_anonymous("api_reports")
    def get(self, request):
        """Progress reports: the public's are validated and published on published items, with their
        published evidence; agency members also read their agency's, coordinators every one."""
        form = ReportFilterForm(request.GET)
        if not form.is_valid():
            return invalid_filters(form)
        related = ProgressReport.objects.select_related("assignment__organization", "assignment__recommendation")
        if form.cleaned_data["item"]:
            related = related.filter(assignment__recommendation_id=form.cleaned_data["item"])
        if form.cleaned_data["agency"]:
            related = related.filter(assignment__organization_id=form.cleaned_data["agency"])
        to_absolute = absolute(request._request)
        if sees_unpublished(request.user):
            reports = rules.visible_reports(request.user, related).prefetch_related("evidence", "indicator_values")
            page = paginate(request._request, reports.order_by("-pk"))
            page.object_list = list(page.object_list)
            # An agency's people read restricted people's names withheld, as on the report's page.
            withhold_for(request.user, reports=page.object_list)
            results = [_staff_report_json(report, to_absolute) for report in page]
        else:
            evidence = Prefetch("evidence", Evidence.objects.published().order_by("pk"))
            page = paginate(request._request, public_reports(related).prefetch_related(evidence).order_by("-pk"))
            names = restricted_names(list({r.assignment.recommendation.dialogue_id for r in page} - {None}))
            results = [_public_report_json(request, report, to_absolute, names) for report in page]
        return page_json(request._request, page, results)


class ReportDetailView(ApiView):
    @extend_schema(operation_id="reports_detail", responses={200: s.ReportSerializer, **ERRORS})
    def get(self, request, pk):
        """A report: for the staff as its page shows it (with the steps they may take), for everyone
        else a public one only."""
        if sees_unpublished(request.user):
            return delegate(report_views.report_detail, request, pk, as_json=True)
        evidence = Prefetch("evidence", Evidence.objects.published().order_by("pk"))
        report = public_reports(ProgressReport.objects.select_related(
            "assignment__organization", "assignment__recommendation")).prefetch_related(evidence).filter(pk=pk).first()
        if report is None:
            return json_error(_("There is no report with the id %(pk)s.") % {"pk": pk}, 404)
        names = restricted_names([report.assignment.recommendation.dialogue_id] if
                                 report.assignment.recommendation.dialogue_id else [])
        return JsonResponse(_public_report_json(request, report, absolute(request._request), names))


def _terms(request, rows) -> JsonResponse:
    page = paginate(request._request, rows)
    return page_json(request._request, page, [row for row in page])


class _Terms:
    """A list of concepts or countries as the paginator reads it, each row built on its page only."""

    def __init__(self, queryset, row):
        self.queryset, self.row = queryset, row

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return [self.row(obj) for obj in self.queryset[index]]


def _concepts(request, schemes, route: str):
    to_absolute = absolute(request._request)

    def row(concept):
        args = [concept.scheme.slug, concept.code] if route == "portal:theme" else [concept.code]
        return {"code": concept.code, "label": concept.label, "scheme": concept.scheme.slug,
                "url": to_absolute(reverse(route, args=args))}

    queryset = Concept.objects.filter(scheme__slug__in=schemes).exclude(code__contains="/").select_related(
        "scheme").order_by("scheme__slug", "label_en", "pk")
    return _terms(request, _Terms(queryset, row))


class ThemeListView(ApiView):
    @extend_schema(operation_id="themes_list", parameters=[PAGE], responses={200: s.TermPageSerializer, **ERRORS})
    @kept_for_anonymous("api_themes")
    def get(self, request):
        """The themes items are tagged with (UPR Info issues, UHRI themes), each with its page."""
        return _concepts(request, THEME_SCHEMES, "portal:theme")


class MechanismListView(ApiView):
    @extend_schema(operation_id="mechanisms_list", parameters=[PAGE],
                   responses={200: s.TermPageSerializer, **ERRORS})
    @kept_for_anonymous("api_mechanisms")
    def get(self, request):
        """The international mechanisms that made the items, each with its page."""
        return _concepts(request, MECHANISM_SCHEMES, "portal:mechanism")


class StateListView(ApiView):
    @extend_schema(operation_id="states_list", parameters=[PAGE], responses={200: s.TermPageSerializer, **ERRORS})
    @kept_for_anonymous("api_states")
    def get(self, request):
        """Countries, each with its page as a recommending state."""
        to_absolute = absolute(request._request)

        def row(country):
            return {"code": country.code, "label": country.name,
                    "url": to_absolute(reverse("portal:state", args=[country.code]))}

        return _terms(request, _Terms(Country.objects.order_by("code"), row))


# Writing: with a token (or the session and CSRF), as the pages allow ------------------------------


class WriteView(ApiView):
    permission_classes = [SignedIn]


class AssignView(WriteView):
    @extend_schema(operation_id="recommendations_assign", request=s.AssignRequestSerializer,
                   responses={200: s.AssignResultSerializer, 201: s.AssignResultSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """Give the item to one or more of our state's agencies (coordinators and administrators)."""
        return delegate(assign_views.assign_item, request, pk, as_json=True)


class ReportNewView(WriteView):
    @extend_schema(operation_id="reports_create", request=s.ReportRequestSerializer,
                   responses={201: s.ReportSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """A new draft report on the assignment (its agency's focal points)."""
        return delegate(report_views.report_new, request, pk, as_json=True)


class ReportEditView(WriteView):
    @extend_schema(operation_id="reports_edit", request=s.ReportEditRequestSerializer,
                   responses={200: s.ReportSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """Correct a draft or returned report (its agency's focal points), at the version read."""
        return delegate(report_views.report_edit, request, pk, as_json=True)


class ReportSubmitView(WriteView):
    @extend_schema(operation_id="reports_submit", request=s.VersionRequestSerializer,
                   responses={200: s.ReportSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """Submit a draft or returned report for validation (its agency's focal points)."""
        return delegate(report_views.report_submit, request, pk, as_json=True)


class ReportValidateView(WriteView):
    @extend_schema(operation_id="reports_validate", request=s.VersionRequestSerializer,
                   responses={200: s.ReportSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """Validate a submitted report (its agency's validators)."""
        return delegate(report_views.report_validate, request, pk, as_json=True)


class ReportReturnView(WriteView):
    @extend_schema(operation_id="reports_return", request=s.ReturnRequestSerializer,
                   responses={200: s.ReportSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """Return a submitted report to its focal points with what to correct (its agency's validators)."""
        return delegate(report_views.report_return, request, pk, as_json=True)


class EvidenceForm(forms.Form):
    file = forms.FileField(required=False)
    url = forms.URLField(required=False, assume_scheme="https", max_length=2000)
    description = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("Send a file or a link."))
        if data.get("file") and data.get("url"):
            raise forms.ValidationError(_("Send a file or a link, not both."))
        return data


@twin
def _add_evidence(request, pk, as_json=True):
    """The evidence step of the report form (hrtrack.followup.workflow.add_evidence, behind the
    report's own permission check), for one file (checked by content) or one link."""
    report = report_or_404(request.user, pk)
    form = EvidenceForm(payload(request), request.FILES)
    if not form.is_valid():
        return json_error(_("Nothing was saved: see the fields."), 400, fields=form.errors)
    upload, address = form.cleaned_data["file"], form.cleaned_data["url"]
    if upload is not None:
        upload.checked_content_type = check_upload(upload)  # a ValidationError (400) says why not
    description = form.cleaned_data["description"] or (upload.name[:500] if upload is not None else address[:500])
    evidence = workflow.add_evidence(report, request.user, description=description, upload=upload, url=address)
    return JsonResponse({**evidence.as_json(absolute(request)), "report": report.pk,
                         "report_url": absolute(request)(report.get_absolute_url())}, status=201)


class EvidenceView(WriteView):
    def max_body(self) -> int:
        return settings.EVIDENCE_MAX_BYTES + 1024 * 1024  # the file, and room for the form's other fields

    @extend_schema(operation_id="evidence_create", request={"multipart/form-data": s.EvidenceRequestSerializer},
                   responses={201: s.EvidenceSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """Add a file (checked by its content: PDF, images, office documents, text) or a link to a
        draft or returned report (its agency's focal points)."""
        return delegate(_add_evidence, request, pk, as_json=True)


class SuggestionListView(WriteView):
    @extend_schema(operation_id="suggestions_list", parameters=[
        OpenApiParameter("scheme", OpenApiTypes.STR), OpenApiParameter("theme", OpenApiTypes.STR),
        OpenApiParameter("min_confidence", OpenApiTypes.STR),
        OpenApiParameter("scope", OpenApiTypes.STR, description="ours (the default) or world: whose items."),
        OpenApiParameter("order", OpenApiTypes.STR, description="uncertain (the default: the least sure "
                         "first) or confident (the most confident first)."), PAGE],
        responses={200: s.SuggestionPageSerializer, **ERRORS})
    def get(self, request):
        """The models' suggestions waiting for a person (coordinators and administrators)."""
        return delegate(nlp_views.review_json, request)


class DecisionView(WriteView):
    @extend_schema(operation_id="suggestions_decide", request=s.DecisionRequestSerializer,
                   responses={200: s.DecisionResultSerializer, **ERRORS})
    def post(self, request):
        """Confirm or reject suggestions (coordinators and administrators), as the review page does."""
        return delegate(_decide, request)


@twin
def _decide(request, as_json=True):
    if not request.user.is_coordinator:
        return json_error(nlp_views.REVIEW_REFUSED, 403)
    form = DecisionForm(payload(request))
    if not form.is_valid():
        return json_error(_("Choose at least one suggestion and a decision."), 400, fields=form.errors)
    count = nlp_views.decide_links(request.user, form.cleaned_data["link"], form.cleaned_data["decision"])
    return JsonResponse({"decision": form.cleaned_data["decision"], "decided": count})


class ImportView(WriteView):
    def max_body(self) -> int:
        return max(max_import_bytes("json"), max_import_bytes("table")) + 1024 * 1024

    @extend_schema(operation_id="imports_create", request={"multipart/form-data": s.ImportRequestSerializer},
                   responses={202: s.ImportRunSerializer, **ERRORS})
    def post(self, request):
        """Upload a file to import (coordinators and administrators): the import page's background
        job checks it; the answer (202) gives the run's address to follow. A table without a
        mapping waits for its columns to be mapped on the run's page."""
        user = request.user
        if not user.is_staff_member or not user.is_coordinator:
            raise exceptions.PermissionDenied(str(IMPORTS_REFUSED))
        form = ImportForm(request._request.POST, request._request.FILES)
        if not form.is_valid():
            return json_error(_("Nothing was imported: see the fields."), 400, fields=form.errors)
        answer = delegate(ingest_views.import_list, request)
        if answer.status_code != 302:
            return json_error(_("Nothing was imported."), 400)
        match = resolve(answer["Location"])
        run = ImportRun.objects.get(pk=match.kwargs["pk"])
        to_absolute = absolute(request._request)
        response = JsonResponse({"id": run.pk, "status": run.status,
                                 "url": to_absolute(reverse("api:import", args=[run.pk])),
                                 "page": to_absolute(reverse("ingest:import", args=[run.pk]))}, status=202)
        response["Location"] = to_absolute(reverse("api:import", args=[run.pk]))
        return response


class ImportDetailView(WriteView):
    @extend_schema(operation_id="imports_detail", responses={200: s.ImportRunSerializer, **ERRORS})
    def get(self, request, pk):
        """An import's progress and report (coordinators and administrators)."""
        return delegate(ingest_views.import_detail_json, request, pk)

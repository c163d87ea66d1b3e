"""/api/v1/: the operations of :mod:`.views`, the OpenAPI schema and its documentation page; any
other address under /api/v1/ is a JSON 404."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from hrtrack.followup.views.reports import evidence_uploads
from hrtrack.ingest.views import import_list
from hrtrack.lib import web  # noqa: F401  (registers the "id" converter)

from . import errors, views


def uploads_as(page_view, view):
    """``view`` takes files of at most what ``page_view`` takes, refused as they stream in
    (hrtrack.lib.uploads): the API's upload doors have the pages' limits."""
    view.upload_limit = page_view.upload_limit
    return view


app_name = "api"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("search", views.SearchView.as_view(), name="search"),
    path("recommendations", views.RecommendationListView.as_view(), name="recommendations"),
    path("recommendations/<id:pk>", views.RecommendationDetailView.as_view(), name="recommendation"),
    path("recommendations/<id:pk>/assign", views.AssignView.as_view(), name="assign"),
    path("dialogues", views.DialogueListView.as_view(), name="dialogues"),
    path("dialogues/<id:pk>", views.DialogueDetailView.as_view(), name="dialogue"),
    path("series/<slug:slug>", views.SeriesDetailView.as_view(), name="series"),
    path("reports", views.ReportListView.as_view(), name="reports"),
    path("reports/<id:pk>", views.ReportDetailView.as_view(), name="report"),
    path("assignments/<id:pk>/reports", views.ReportNewView.as_view(), name="report_new"),
    path("reports/<id:pk>/edit", views.ReportEditView.as_view(), name="report_edit"),
    path("reports/<id:pk>/submit", views.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/<id:pk>/validate", views.ReportValidateView.as_view(), name="report_validate"),
    path("reports/<id:pk>/return", views.ReportReturnView.as_view(), name="report_return"),
    path("reports/<id:pk>/evidence", evidence_uploads(views.EvidenceView.as_view()), name="evidence"),
    path("themes", views.ThemeListView.as_view(), name="themes"),
    path("mechanisms", views.MechanismListView.as_view(), name="mechanisms"),
    path("states", views.StateListView.as_view(), name="states"),
    path("suggestions", views.SuggestionListView.as_view(), name="suggestions"),
    path("suggestions/decide", views.DecisionView.as_view(), name="decide"),
    path("imports", uploads_as(import_list, views.ImportView.as_view()), name="imports"),
    path("imports/<id:pk>", views.ImportDetailView.as_view(), name="import"),
    re_path(r"^.*$", errors.not_found, name="not_found"),
]

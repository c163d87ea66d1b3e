from django.urls import path

from hrtrack.lib import web  # noqa: F401  (registers the "id" converter)

from . import views

app_name = "dialogues"
urlpatterns = [
    path("dialogues/", views.dialogue_list, name="dialogues"),
    path("dialogues.json", views.dialogue_list_json, name="dialogues_json"),
    path("dialogues.csv", views.dialogue_list_csv, name="dialogues_csv"),
    path("dialogues/<id:pk>/", views.dialogue_detail, name="dialogue"),
    path("dialogues/<id:pk>.json", views.dialogue_detail_json, name="dialogue_json"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("series/<slug:slug>.json", views.series_detail_json, name="series_json"),
    path("people/<id:pk>/", views.person_detail, name="person"),
    path("people/<id:pk>.json", views.person_detail_json, name="person_json"),
    path("organizations/<id:pk>/", views.organization_detail, name="organization"),
    path("organizations/<id:pk>.json", views.organization_detail_json, name="organization_json"),
    path("documents/<id:pk>/", views.document_detail, name="document"),
    path("documents/<id:pk>.json", views.document_detail_json, name="document_json"),
    path("documents/<id:pk>/file", views.document_file, name="document_file"),
]

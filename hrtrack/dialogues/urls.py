from django.urls import path

from hrtrack.lib import web  # noqa: F401  (registers the "id" converter)

from . import views

app_name = "dialogues"
urlpatterns = [
    path("dialogues/", views.dialogue_list, name="dialogues"),
    path("dialogues.json", views.dialogue_list_json, name="dialogues_json"),
    path("dialogues/<id:pk>/", views.dialogue_detail, name="dialogue"),
    path("dialogues/<id:pk>.json", views.dialogue_detail_json, name="dialogue_json"),
]

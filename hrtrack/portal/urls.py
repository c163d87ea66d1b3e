from django.urls import path, register_converter

from . import views


class IdConverter:
    """A primary key: digits, few enough to fit a 64-bit integer (longer ones are a plain 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dialogues/", views.dialogue_list, name="dialogues"),
    path("dialogues.json", views.dialogue_list_json, name="dialogues_json"),
    path("dialogues/<id:pk>/", views.dialogue_detail, name="dialogue"),
    path("dialogues/<id:pk>.json", views.dialogue_detail_json, name="dialogue_json"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations.json", views.recommendation_list_json, name="recommendations_json"),
    path("recommendations/<id:pk>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<id:pk>.json", views.recommendation_detail_json, name="recommendation_json"),
]

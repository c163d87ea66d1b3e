from django.urls import path

from hrtrack.lib import web  # noqa: F401  (registers the "id" converter)

from . import views

app_name = "recommendations"
urlpatterns = [
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations.json", views.recommendation_list_json, name="recommendations_json"),
    path("recommendations.csv", views.recommendation_list_csv, name="recommendations_csv"),
    path("recommendations/<id:pk>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<id:pk>.json", views.recommendation_detail_json, name="recommendation_json"),
]

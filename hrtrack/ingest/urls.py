from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>.json", views.import_detail_json, name="import_json"),
    path("imports/<int:pk>/start", views.import_start, name="import_start"),
    path("imports/<int:pk>/problems.csv", views.import_problems_csv, name="import_problems"),
]

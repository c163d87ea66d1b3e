from django.urls import path

from hrtrack.lib import web  # noqa: F401  (registers the "id" converter)

from . import views
from .views import imports

app_name = "ingest"
urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<id:pk>/", views.import_detail, name="import"),
    path("imports/<id:pk>.json", views.import_detail_json, name="import_json"),
    path("imports/<id:pk>/start", views.import_start, name="import_start"),
    path("imports/<id:pk>/problems.csv", views.import_problems_csv, name="import_problems"),
    path("imports/<id:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("imports/mappings/<id:pk>.toml", imports.mapping_toml, name="mapping_toml"),
    path("statements/new/", views.statement_new, name="statement_new"),
    path("statements/extract.json", views.statement_extract_json, name="statement_extract_json"),
]

"""The staff site's statement pages: add a statement and check what was extracted from it."""

from django.urls import path

from . import statement_views

app_name = "statements"
urlpatterns = [
    path("statements/new/", statement_views.statement_new, name="new"),
    path("statements/extract.json", statement_views.statement_extract_json, name="extract_json"),
]

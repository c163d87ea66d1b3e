from django.urls import path

from hrtrack.lib import web  # noqa: F401  (registers the "id" converter: digits that fit a 64-bit key)

from . import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search.csv", views.search_csv, name="search_csv"),
    path("search/saved/", views.saved_list, name="saved"),
    path("search/saved/<id:pk>/", views.saved_open, name="saved_open"),
    path("search/saved/<id:pk>/rename", views.saved_rename, name="saved_rename"),
    path("search/saved/<id:pk>/delete", views.saved_delete, name="saved_delete"),
]

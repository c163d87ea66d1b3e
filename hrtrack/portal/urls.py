from django.urls import path

from . import charts, profiles, publish_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("home.json", views.home_json, name="home_json"),
    path("publish/", publish_views.publish, name="publish"),
    path("publish.json", publish_views.publish, {"as_json": True}, name="publish_json"),
    path("charts/", charts.charts_page, name="charts"),
    path("charts.json", charts.charts_json, name="charts_json"),
    path("charts/<slug:name>.csv", charts.chart_csv, name="chart_csv"),
    path("themes/<slug:scheme>/<str:code>/", profiles.theme, name="theme"),
    path("themes/<slug:scheme>/<str:code>.json", profiles.theme_json, name="theme_json"),
    path("mechanisms/<str:code>/", profiles.mechanism, name="mechanism"),
    path("mechanisms/<str:code>.json", profiles.mechanism_json, name="mechanism_json"),
    path("states/<str:code>/", profiles.state, name="state"),
    path("states/<str:code>.json", profiles.state_json, name="state_json"),
]

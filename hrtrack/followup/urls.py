from hrtrack.lib import web  # noqa: F401  (registers the "id" converter)

from .views import assign, reports, work

app_name = "followup"
urlpatterns = [*work.urlpatterns, *assign.urlpatterns, *reports.urlpatterns]

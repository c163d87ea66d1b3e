from django.urls import path, re_path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.reports_page, name="reports"),
    path("reports.json", views.reports_json, name="reports_json"),
    re_path(r"^reports/matrix\.(?P<fmt>xlsx|csv)$", views.matrix_download, name="matrix"),
    re_path(r"^reports/progress\.(?P<fmt>pdf|docx)$", views.progress_download, name="progress"),
    # The briefing is the dialogue's: at its address, beside its page.
    re_path(r"^dialogues/(?P<pk>[0-9]{1,18})/briefing\.(?P<fmt>pdf|docx)$", views.briefing_download,
            name="briefing"),
]

from django.contrib import admin
from django.urls import include, path


def _admin_permission(request) -> bool:
    """The admin is for the staff site's people only: a civil-society contributor given the staff
    flag by mistake still stays out (each admin page then applies the platform's own rules)."""
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_staff_member)


admin.site.has_permission = _admin_permission

# Under /api/ an error Django answers itself (before any view runs) is JSON; elsewhere Django's pages.
handler400 = "hrtrack.api.errors.bad_request"
handler403 = "hrtrack.api.errors.permission_denied"
handler404 = "hrtrack.api.errors.page_not_found"
handler500 = "hrtrack.api.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("hrtrack.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("hrtrack.ingest.urls")),
    path("", include("hrtrack.dialogues.urls")),
    path("", include("hrtrack.recommendations.urls")),
    path("", include("hrtrack.nlp.urls")),
    path("", include("hrtrack.search.urls")),
    path("", include("hrtrack.jobs.urls")),
    path("", include("hrtrack.followup.urls")),
    path("", include("hrtrack.contributions.urls")),
    path("api/v1/", include("hrtrack.api.urls")),
    path("account/tokens/", include("hrtrack.api.pages")),
    path("", include("hrtrack.reports.urls")),
    path("", include("hrtrack.portal.urls")),
]

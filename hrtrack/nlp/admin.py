from django.contrib import admin

from hrtrack.lib.admin import DerivedDataAdmin

from .models import DatabaseIdentity


@admin.register(DatabaseIdentity)
class DatabaseIdentityAdmin(DerivedDataAdmin):
    """Which database this is, as the files in var/ record it: shown, never edited."""

    list_display = ("uuid", "created_at")

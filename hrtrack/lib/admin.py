"""Admin helpers shared by the apps."""

from django.contrib import admin


class DerivedDataAdmin(admin.ModelAdmin):
    """For tables computed from others (the search index, the repeat groups): read in the
    admin, never edited there; the command or job that derives them rewrites them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

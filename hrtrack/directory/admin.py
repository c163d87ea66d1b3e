from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from hrtrack.lib.admin import HidesRestricted, RestrictedAdmin, ScopedAdmin

from .models import Country, Organization, Person, PlatformSettings, Post, our_state


# Countries and organizations are no secret, but deleting one lists what it would take or is
# held by (cases raised, a restricted person's posts): ScopedAdmin refuses to list hidden rows.
@admin.register(Country)
class CountryAdmin(ScopedAdmin):
    list_display = ["code", "alpha3", "name_en", "name_es", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "alpha3", "name_en", "name_es"]


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    list_display = ["name", "acronym", "country", "level", "branch", "parent"]
    list_filter = ["level", "branch", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "parent"]
    search_fields = ["name", "name_es", "acronym"]
    autocomplete_fields = ["parent", "country", "mechanism"]


class PostInline(HidesRestricted, admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["organization"]
    restricted_lookup = "person__restricted"


@admin.register(Person)
class PersonAdmin(RestrictedAdmin):
    """People; a restricted person is not there for whoever may not see restricted data."""

    list_display = ["name", "restricted"]
    list_filter = ["restricted"]
    search_fields = ["name", "match_key"]
    readonly_fields = ["match_key"]
    inlines = [PostInline]
    restricted_lookup = "restricted"


@admin.register(Post)
class PostAdmin(RestrictedAdmin):
    list_display = ["person", "title", "organization", "start", "end"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organization"]
    search_fields = ["title", "person__name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["person", "organization"]
    restricted_lookup = "person__restricted"


def is_administrator(request) -> bool:
    return bool(request.user.is_active and request.user.is_administrator)


@admin.register(PlatformSettings)
class PlatformSettingsAdmin(SimpleHistoryAdmin):
    """Our state, set once: administrators only, one row (no second one is added, it is never deleted)."""

    list_display = ["__str__", "state"]
    list_select_related = ["state"]
    autocomplete_fields = ["state"]

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request):
        return is_administrator(request) and not PlatformSettings.objects.filter(pk=1).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        # The HRTRACK_STATE setting, if any, until an administrator saves a state.
        state = our_state()
        return {"state": state.pk} if state is not None else {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Pages link to the one row's change page; before it exists, that is its add page.
        if not PlatformSettings.objects.filter(pk=1).exists() and self.has_add_permission(request):
            return redirect(reverse("admin:directory_platformsettings_add"))
        return super().change_view(request, object_id, form_url, extra_context)

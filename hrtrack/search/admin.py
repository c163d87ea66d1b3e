from django.contrib import admin

from hrtrack.lib.admin import DerivedDataAdmin

from .models import SavedSearch, SearchDocument, SearchIndexState


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    # People save their searches from the search page; the admin shows them (to help someone
    # whose search no longer runs) and can delete them. A personal bookmark keeps no history:
    # who saved it and when is on the row, and a deleted one should be gone.
    list_display = ["name", "owner", "created_at", "updated_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["owner", "created_at", "updated_at"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(SearchDocument)
class SearchDocumentAdmin(DerivedDataAdmin):
    # Derived from the items it describes: `hrtrack search reindex` rebuilds it.
    list_display = ["kind", "object_id", "title", "date", "live"]
    list_filter = ["kind", "live", "language"]
    search_fields = ["title"]
    show_full_result_count = False


@admin.register(SearchIndexState)
class SearchIndexStateAdmin(DerivedDataAdmin):
    list_display = ["generation", "rebuilt_at"]

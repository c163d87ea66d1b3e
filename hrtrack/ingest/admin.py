from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Document, ImportMapping, ImportRun


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "language", "symbol", "published_on", "dialogue", "created_at"]
    list_filter = ["kind", "language"]
    list_select_related = ["dialogue__series"]
    search_fields = ["title", "symbol", "url", "sha256"]
    raw_id_fields = ["dialogue"]
    readonly_fields = ["sha256", "created_at"]
    date_hierarchy = "created_at"


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    # A record of what an import did, written by the importer: it keeps no history of its own
    # (the items it touched do), and nobody edits it by hand.
    list_display = ["file_name", "source", "status", "rows_total", "rows_done", "started_by", "created_at",
                    "finished_at"]
    list_filter = ["status", "source"]
    list_select_related = ["started_by"]
    search_fields = ["file_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(SimpleHistoryAdmin):
    # Made on the import page; an administrator may rename one, tidy its JSON or delete it here.
    list_display = ["name", "created_by", "updated_at"]
    list_select_related = ["created_by"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "updated_at"]

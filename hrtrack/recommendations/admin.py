from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from hrtrack.lib.admin import DerivedDataAdmin

from .models import Change, ConceptLink, ItemLink, Recommendation, RepeatGroupMember


class ConceptLinkInline(admin.TabularInline):
    model = ConceptLink
    extra = 0
    autocomplete_fields = ["concept"]
    raw_id_fields = ["set_by", "confirmed_by"]
    fields = ["concept", "origin", "set_by", "model_name", "confidence", "confirmed", "confirmed_by", "confirmed_at"]


def _codes(countries) -> str:
    return ", ".join(c.code for c in countries)


class PublishedFilter(admin.SimpleListFilter):
    """Published or not (items, dialogues, reports, evidence): published on the site's pages, by
    coordinators (``/publish/``), so that history and the search follow; here it is read only."""

    title = _("published")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Published")), ("no", _("Not published"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


#: The publication fields, read only in the admin (see :class:`PublishedFilter`).
PUBLICATION_FIELDS = ["published_at", "published_by"]


class CycleFilter(admin.SimpleListFilter):
    """The UPR cycles, named rather than read with a DISTINCT over every item on each page."""

    title = _("cycle")
    parameter_name = "cycle"

    def lookups(self, request, model_admin):
        return [(str(n), str(n)) for n in range(1, 7)]

    def queryset(self, request, queryset):
        return queryset.filter(cycle=self.value()) if self.value() and self.value().isdigit() else queryset


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    # Tens of thousands of rows: no full count on every filter, and every foreign key to
    # this model elsewhere is an autocomplete or a raw id.
    show_full_result_count = False
    list_display = ["__str__", "kind", "recipient_codes", "from_whom", "response", "session", "issued_on",
                    "published_at"]
    list_filter = [
        "kind", PublishedFilter, "response", "action_category", CycleFilter,
        ("mechanism", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "document_symbol", "external_key", "upr_info_id", "recommending_body"]
    autocomplete_fields = ["mechanism", "recommending_states", "recipients"]
    raw_id_fields = ["document", "dialogue"]
    readonly_fields = ["created_at", "updated_at", *PUBLICATION_FIELDS]
    # No date_hierarchy: its DISTINCT over the date of every item (tens of thousands) took most of
    # the page's time; the cycle and session filters date the items already.
    list_per_page = 50
    inlines = [ConceptLinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("recipients", "recommending_states")

    @admin.display(description=_("recipients"))
    def recipient_codes(self, item):
        return _codes(item.recipients.all())

    @admin.display(description=_("from"))
    def from_whom(self, item):
        return _codes(item.recommending_states.all()) or item.recommending_body


@admin.register(ConceptLink)
class ConceptLinkAdmin(SimpleHistoryAdmin):
    show_full_result_count = False
    list_display = ["recommendation", "concept", "origin", "model_name", "confidence", "confirmed"]
    list_filter = ["origin", "confirmed", "concept__scheme"]
    list_select_related = ["recommendation", "concept"]
    search_fields = ["concept__code", "concept__label_en", "recommendation__text"]
    autocomplete_fields = ["recommendation", "concept"]
    raw_id_fields = ["set_by", "confirmed_by"]


@admin.register(ItemLink)
class ItemLinkAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target", "score", "origin", "confirmed"]
    list_filter = ["kind", "origin", "confirmed"]
    list_select_related = ["source", "target"]
    search_fields = ["source__text", "target__text"]
    autocomplete_fields = ["source", "target"]


@admin.register(RepeatGroupMember)
class RepeatGroupMemberAdmin(DerivedDataAdmin):
    """Derived from the item links: read here, never edited (a rebuild of the similar items, or
    any change of an item link, recomputes it)."""

    list_display = ["item", "group_key"]
    list_select_related = ["item"]
    search_fields = ["item__text"]
    show_full_result_count = False


@admin.register(Change)
class ChangeAdmin(DerivedDataAdmin):
    """The changes the derived data has yet to follow: written by every writer, consumed by
    hrtrack.search.tasks.sync_derived_job (read here, never edited)."""

    list_display = ["subject", "object_id", "content", "indexed", "recorded_at"]
    list_filter = ["subject", "content", "indexed"]
    show_full_result_count = False

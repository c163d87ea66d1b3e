from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from hrtrack.lib.admin import EVERY_ROW, HidesRestricted, RestrictedAdmin, ScopedAdmin
from hrtrack.recommendations.admin import PUBLICATION_FIELDS, PublishedFilter

from .models import (
    CaseRaised,
    Delegation,
    DelegationMember,
    Dialogue,
    DialogueSeries,
    DialogueSource,
    Mention,
    SideMeeting,
)


@admin.register(DialogueSeries)
class DialogueSeriesAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind", "dialogue_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parties"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(dialogue_count=Count("dialogues"))

    @admin.display(description=_("rounds"), ordering="dialogue_count")
    def dialogue_count(self, series):
        return series.dialogue_count


class DelegationInline(admin.TabularInline):
    model = Delegation
    extra = 0
    show_change_link = True
    autocomplete_fields = ["party"]


class MentionInline(HidesRestricted, admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["person"]
    restricted_lookup = "person__restricted"


class SideMeetingInline(admin.StackedInline):
    model = SideMeeting
    extra = 0


@admin.register(Dialogue)
class DialogueAdmin(ScopedAdmin):
    """A round; its restricted mentions are hidden from whoever may not see them, and deleting a
    round that has cases raised or restricted mentions is theirs alone (see ScopedAdmin)."""

    list_display = ["__str__", "series", "edition", "date_start", "date_end", "venue_city", "venue_country",
                    "published_at"]
    list_filter = ["series", PublishedFilter, ("venue_country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["series", "venue_country"]
    search_fields = ["title", "series__name", "venue_city", "summary"]
    autocomplete_fields = ["series", "venue_country", "host", "parties", "topics", "mechanisms"]
    readonly_fields = ["starts_on", "ends_on", "inferred_year", "inferred_year_from", "languages",
                       "created_at", "updated_at", *PUBLICATION_FIELDS]
    inlines = [DelegationInline, MentionInline, SideMeetingInline]


class DelegationMemberInline(HidesRestricted, admin.TabularInline):
    model = DelegationMember
    extra = 0
    autocomplete_fields = ["person", "post"]
    restricted_lookup = "person__restricted"


@admin.register(Delegation)
class DelegationAdmin(ScopedAdmin):
    list_display = ["__str__", "dialogue", "party", "member_count"]
    list_filter = [("party", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["dialogue__series", "party"]
    search_fields = ["dialogue__title", "dialogue__series__name", "party__name_en", "party__code"]
    autocomplete_fields = ["dialogue", "party"]
    inlines = [DelegationMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, delegation):
        return delegation.member_count


@admin.register(DelegationMember)
class DelegationMemberAdmin(RestrictedAdmin):
    list_display = ["person", "role", "post", "delegation", "position"]
    restricted_lookup = "person__restricted"
    list_filter = ["role"]
    list_select_related = ["person", "post__organization", "delegation__party", "delegation__dialogue__series"]
    search_fields = ["person__name", "post__title"]
    autocomplete_fields = ["delegation", "person", "post"]


@admin.register(Mention)
class MentionAdmin(RestrictedAdmin):
    list_display = ["person", "title", "dialogue"]
    restricted_lookup = "person__restricted"
    list_select_related = ["person", "dialogue__series"]
    search_fields = ["person__name", "title"]
    autocomplete_fields = ["dialogue", "person"]


@admin.register(SideMeeting)
class SideMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "held_on", "dialogue"]
    list_select_related = ["dialogue__series"]
    search_fields = ["title", "participants", "summary"]
    autocomplete_fields = ["dialogue"]


@admin.register(CaseRaised)
class CaseRaisedAdmin(RestrictedAdmin):
    """Cases raised are restricted whole: only those who may see restricted data see any."""

    list_display = ["title", "dialogue", "raised_by", "created_by"]
    restricted_lookup = EVERY_ROW
    list_filter = [("raised_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["dialogue__series", "raised_by", "created_by"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["dialogue", "people", "raised_by"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DialogueSource)
class DialogueSourceAdmin(HidesRestricted, admin.ModelAdmin):
    """The records a round was read from, one per statement. A record may name victims and
    defenders: only those who may see restricted data see any; they are written by saving a
    statement, never here."""

    list_display = ["__str__", "language", "dialogue", "published_on", "updated_at"]
    list_select_related = ["dialogue__series"]
    search_fields = ["title"]
    restricted_lookup = EVERY_ROW
    readonly_fields = ["dialogue", "key", "language", "title", "record", "published_on", "document_checksum",
                       "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

"""The follow-up in the admin, under the same rules as the pages (:mod:`.rules`).

Reports are shown only to whom :func:`.rules.visible_reports` shows them, and evidence and
indicator values only of those reports: another agency's draft is not there, whatever id is typed
in the admin's address (the change page redirects, the history page is a 404). Assignments,
reports and evidence are changed on the site's own pages only, through :mod:`.workflow`, which
keeps the steps (nobody validates in the admin), the versions that catch two people saving one
report, the checks of an uploaded file, and the item's timeline. A file is reached through its
report's page (the same permission check), never by its storage address.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hrtrack.lib.admin import DerivedDataAdmin, ScopedAdmin, ScopedMixin
from hrtrack.recommendations.admin import PUBLICATION_FIELDS, PublishedFilter

from . import rules
from .models import (
    Assignment,
    Deadline,
    Evidence,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReminderSent,
    ReportingCycle,
)


class ReadOnly:
    """Seen in the admin, changed on the site's pages (see the module's docstring)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def visible_reports(request):
    return rules.visible_reports(request.user)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly, ScopedAdmin):
    list_display = ["recommendation", "organization", "role", "created_at"]
    list_filter = ["role", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["recommendation", "organization"]
    search_fields = ["recommendation__text", "organization__name", "organization__acronym"]
    autocomplete_fields = ["recommendation", "organization", "focal_points"]
    raw_id_fields = ["assigned_by"]


@admin.display(description=_("file"))
def download(evidence: Evidence):
    """The file through its report's permission check (never its storage address), or the link."""
    if evidence.file:
        return format_html('<a href="{}">{}</a>', evidence.get_absolute_url(), evidence.file_name or evidence.file.name)
    return format_html('<a href="{}" rel="noopener">{}</a>', evidence.url, evidence.url) if evidence.url else "—"


EVIDENCE_FIELDS = ["description", download, "content_type", "size", "sha256", "uploaded_by", "created_at",
                   *PUBLICATION_FIELDS]


class EvidenceInline(ReadOnly, ScopedMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = readonly_fields = EVIDENCE_FIELDS

    def scope(self, request, queryset):
        return queryset.filter(report__in=visible_reports(request))


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly, ScopedAdmin):
    list_display = ["assignment", "status", "state", "period_start", "period_end", "submitted_at", "validated_at",
                    "published_at"]
    list_filter = ["status", "state", PublishedFilter]
    list_select_related = ["assignment__organization", "assignment__recommendation"]
    search_fields = ["narrative", "assignment__recommendation__text", "assignment__organization__name"]
    autocomplete_fields = ["assignment"]
    raw_id_fields = ["submitted_by", "validated_by"]
    inlines = [EvidenceInline]

    def scope(self, request, queryset):
        return rules.visible_reports(request.user, queryset)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly, ScopedAdmin):
    list_display = ["description", "report", download, "created_at", "published_at"]
    list_filter = [PublishedFilter]
    list_select_related = ["report__assignment__organization"]
    search_fields = ["description", "url", "file_name"]
    fields = readonly_fields = ["report", *EVIDENCE_FIELDS]

    def scope(self, request, queryset):
        return queryset.filter(report__in=visible_reports(request))


def shown_values(request, queryset):
    """Indicator values recorded on their own or in a report the person may read."""
    return queryset.filter(Q(report__isnull=True) | Q(report__in=visible_reports(request)))


class IndicatorRules:
    """Who may change an indicator and its values (:func:`.rules.can_edit_indicator`): coordinators,
    and the focal points of the indicator's agency; only coordinators add one here."""

    def indicator_of(self, obj):
        return obj

    def _may_edit(self, request, obj) -> bool:
        return obj is None or rules.can_edit_indicator(request.user, self.indicator_of(obj))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and rules.can_edit_indicator(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


class IndicatorValueInline(ScopedMixin, admin.TabularInline):
    """An indicator's values; ``obj`` in its permissions is the indicator."""

    model = IndicatorValue
    extra = 0
    autocomplete_fields = ["report"]

    def scope(self, request, queryset):
        return shown_values(request, queryset)

    def _may_edit(self, request, indicator) -> bool:
        return rules.can_edit_indicator(request.user, indicator) if indicator is not None else \
            rules.can_edit_indicator(request.user)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


@admin.register(Indicator)
class IndicatorAdmin(IndicatorRules, ScopedAdmin):
    list_display = ["name", "unit", "baseline", "target", "target_date", "organization"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organization"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organization", "recommendations"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(IndicatorRules, ScopedAdmin):
    list_display = ["indicator", "observed_on", "value", "source"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "source"]
    autocomplete_fields = ["indicator", "report"]
    date_hierarchy = "observed_on"

    def indicator_of(self, obj):
        return obj.indicator

    def scope(self, request, queryset):
        return shown_values(request, queryset)


class AssignsOnly:
    """Deadlines and reporting cycles: set by those who assign (:func:`.rules.can_assign`)."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and rules.can_assign(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and rules.can_assign(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and rules.can_assign(request.user)


@admin.register(Deadline)
class DeadlineAdmin(AssignsOnly, ScopedAdmin):
    list_display = ["title", "kind", "due_on", "cycle", "assignment", "recommendation"]
    list_filter = ["kind", "cycle"]
    list_select_related = ["assignment__organization", "recommendation"]
    search_fields = ["title"]
    autocomplete_fields = ["assignment", "recommendation"]
    raw_id_fields = ["cycle"]
    date_hierarchy = "due_on"


@admin.register(ReportingCycle)
class ReportingCycleAdmin(AssignsOnly, ScopedAdmin):
    list_display = ["title", "kind", "due_on", "series", "created_by"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReminderSent)
class ReminderSentAdmin(DerivedDataAdmin):
    """Who was sent each day's digest: written by the daily job (followup.tasks), read here."""

    list_display = ["user", "day", "sent_at", "counts"]
    list_select_related = ["user"]
    date_hierarchy = "day"
    search_fields = ["user__username", "user__first_name", "user__last_name"]

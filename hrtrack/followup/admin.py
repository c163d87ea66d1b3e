from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Deadline, Evidence, Indicator, IndicatorValue, ProgressReport, ReportingCycle


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "organization", "role", "created_at"]
    list_filter = ["role", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["recommendation", "organization"]
    search_fields = ["recommendation__text", "organization__name", "organization__acronym"]
    autocomplete_fields = ["recommendation", "organization", "focal_points"]
    raw_id_fields = ["assigned_by"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "status", "state", "period_start", "period_end", "submitted_at", "validated_at"]
    list_filter = ["status", "state"]
    list_select_related = ["assignment__organization"]
    search_fields = ["narrative", "assignment__recommendation__text", "assignment__organization__name"]
    autocomplete_fields = ["assignment"]
    raw_id_fields = ["submitted_by", "validated_by"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["description", "report", "file", "url", "created_at"]
    list_select_related = ["report__assignment__organization"]
    search_fields = ["description", "url"]
    autocomplete_fields = ["report"]
    raw_id_fields = ["uploaded_by"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    autocomplete_fields = ["report"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "baseline", "target", "target_date", "organization"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organization"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organization", "recommendations"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "observed_on", "value", "source"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "source"]
    autocomplete_fields = ["indicator", "report"]
    date_hierarchy = "observed_on"


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "due_on", "cycle", "assignment", "recommendation"]
    list_filter = ["kind", "cycle"]
    list_select_related = ["assignment__organization", "recommendation"]
    search_fields = ["title"]
    autocomplete_fields = ["assignment", "recommendation"]
    raw_id_fields = ["cycle"]
    date_hierarchy = "due_on"


@admin.register(ReportingCycle)
class ReportingCycleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "due_on", "series", "created_by"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]

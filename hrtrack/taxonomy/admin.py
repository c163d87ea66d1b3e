from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Concept, ConceptMapping, ConceptScheme


@admin.register(ConceptScheme)
class ConceptSchemeAdmin(SimpleHistoryAdmin):
    # A scheme can hold thousands of concepts (SDG targets, UHRI themes): no inline here; the
    # concept list filters by scheme instead.
    list_display = ["slug", "name_en", "name_es", "concept_count", "source"]
    search_fields = ["slug", "name_en", "name_es"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(concept_count=Count("concepts"))

    @admin.display(description=_("concepts"), ordering="concept_count")
    def concept_count(self, scheme):
        return scheme.concept_count


@admin.register(Concept)
class ConceptAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label_en", "label_es", "scheme", "kind", "parent"]
    list_filter = ["scheme", "kind"]
    list_select_related = ["scheme", "parent"]
    search_fields = ["code", "label_en", "label_es"]
    autocomplete_fields = ["parent"]


@admin.register(ConceptMapping)
class ConceptMappingAdmin(SimpleHistoryAdmin):
    list_display = ["source", "relation", "target"]
    list_filter = ["relation", "source__scheme", "target__scheme"]
    list_select_related = ["source", "target"]
    search_fields = ["source__code", "source__label_en", "target__code", "target__label_en"]
    autocomplete_fields = ["source", "target"]

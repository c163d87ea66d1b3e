"""How dialogues are filtered: one definition for the list page and its JSON twin."""

import django_filters
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hrtrack.directory.countries import options_in_language
from hrtrack.directory.models import Country
from hrtrack.lib.filters import CodesFilter
from hrtrack.lib.web import BoundedIntegerField

from .models import Dialogue, DialogueSeries


class YearFilter(django_filters.NumberFilter):
    field_class = BoundedIntegerField


class DialogueFilterSet(django_filters.FilterSet):
    """Dialogues of a series, with a party, starting in a year, or whose title has some words."""

    series = CodesFilter(
        label=_("Series"), empty_label=_("Any series"), field_name="series__slug", lookup_expr="in",
        known=lambda slugs: DialogueSeries.objects.filter(slug__in=slugs).values_list("slug", flat=True),
        options=lambda: DialogueSeries.objects.order_by("name").values_list("slug", "name"),
    )
    party = CodesFilter(
        label=_("Party"), empty_label=_("Any party"), normalize=str.upper, method="filter_party",
        known=lambda codes: Country.objects.filter(code__in=codes).values_list("code", flat=True),
        options=lambda: options_in_language(Country.objects.values_list("code", "name_en", "name_es"),
                                            get_language()),
    )
    year = YearFilter(label=_("Year"), min_value=1900, max_value=2200, field_name="starts_on__year")
    q = django_filters.CharFilter(label=_("Title contains"), max_length=200, method="filter_title")

    class Meta:
        model = Dialogue
        fields: list[str] = []

    def narrowing(self) -> list[str]:
        """The filters given a value (of a bound, valid filter set): those that narrow the list."""
        return [name for name, value in self.form.cleaned_data.items() if value not in (None, "", [], ())]

    def filter_party(self, queryset, name, codes):
        through = Dialogue.parties.through.objects.filter(country__code__in=codes)
        return queryset.filter(pk__in=through.values("dialogue_id"))

    def filter_title(self, queryset, name, words):
        return queryset.filter(Q(title__icontains=words) | Q(series__name__icontains=words))

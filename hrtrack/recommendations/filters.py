"""The one definition of how items are filtered, for every door: the list page and its JSON
twin (on the database, through django-filter), the search page, ``/api/v1/search`` and
``hrtrack search`` (on the search's catalog, with the values :meth:`ItemFilterSet.search_filters`
cleans). A parameter means the same thing on each: ``theme=torture`` is an item linked to the
UPR Info issue or the UHRI theme coded ``torture``, by a person, an import, or a model once a
person confirmed it.

``scope`` says whose items: ``ours`` (the default) keeps our state's
(:meth:`~.models.RecommendationQuerySet.addressed_to` the state of
:func:`~hrtrack.directory.models.our_state`), ``world`` every country's. With no state set, every
page shows the world.
"""

import django_filters
from django.db.models import OuterRef, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hrtrack.directory.countries import options_in_language
from hrtrack.directory.models import Country, Organization, our_state
from hrtrack.followup.models import Assignment, ImplementationStatus, ProgressReport
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.filters import CodesFilter, IntegersFilter
from hrtrack.lib.per_request import once
from hrtrack.lib.web import BoundedIntegerField
from hrtrack.taxonomy.models import Concept

from .models import (
    GROUP_SCHEMES,
    MECHANISM_SCHEMES,
    SDG_SCHEMES,
    THEME_SCHEMES,
    ActionCategory,
    Kind,
    Recommendation,
    RepeatGroupMember,
    Response,
)

#: What ``kind`` may be in the search, which finds dialogues as well as items.
DIALOGUE_KIND = ("dialogue", _("Dialogue"))

#: ``scope``: our state's items (the default), or every country's.
OURS, WORLD = "ours", "world"


class Scope:
    """Whose items a page shows: our state's (``ours``, the default: the items addressed to it and
    the commitments and pledges it made), or every country's (``world``). With no state set
    (:class:`~hrtrack.directory.models.PlatformSettings`, ``HRTRACK_STATE``) it is the world."""

    def __init__(self, asked: str | None, state: Country | None):
        self.asked = WORLD if asked == WORLD else OURS
        self.state = state

    @property
    def ours(self) -> bool:
        """Whether only our state's items are shown."""
        return self.state is not None and self.asked == OURS

    @property
    def value(self) -> str:
        return OURS if self.ours else WORLD

    @property
    def query(self) -> str:
        """The parameter that keeps this scope in a link (``scope=world``), or nothing for the default."""
        return f"scope={WORLD}" if self.state is not None and not self.ours else ""

    def items(self, queryset):
        """``queryset`` (of items) kept to this scope."""
        return queryset.addressed_to(self.state) if self.ours else queryset

    def as_json(self) -> dict:
        return {"scope": self.value, "state": self.state.as_json() if self.state is not None else None}


def current_state() -> Country | None:
    """Our state (:func:`~hrtrack.directory.models.our_state`), read once a request: the list's
    scope, the item page's suggestions and assign form ask for it on one page."""
    return once("our_state", our_state)


def _countries(codes):
    return Country.objects.filter(code__in=codes).values_list("code", flat=True)


def _country_options():
    return options_in_language(Country.objects.values_list("code", "name_en", "name_es"), get_language())


def _concepts_in(schemes):
    def known(codes):
        return Concept.objects.filter(scheme__slug__in=schemes, code__in=codes).values_list("code", flat=True)

    def options():
        return [(c.code, c.label) for c in Concept.objects.filter(scheme__slug__in=schemes).order_by("label_en")]

    return known, options


def _agencies(ids):
    return Organization.objects.filter(pk__in=ids).values_list("pk", flat=True)


def _series(slugs):
    # Through the items' own dialogues: the items' filters know nothing of the dialogues app, and
    # a series with no item is nothing this list can show.
    return Recommendation.objects.filter(dialogue__series__slug__in=slugs).values_list(
        "dialogue__series__slug", flat=True).distinct()


def _series_options():
    return Recommendation.objects.filter(dialogue__isnull=False).order_by("dialogue__series__name").values_list(
        "dialogue__series__slug", "dialogue__series__name").distinct()


_themes, _theme_options = _concepts_in(THEME_SCHEMES)
_groups, _group_options = _concepts_in(GROUP_SCHEMES)
_sdgs, _sdg_options = _concepts_in(SDG_SCHEMES)
_mechanisms, _mechanism_options = _concepts_in(MECHANISM_SCHEMES)


class IdFilter(django_filters.NumberFilter):
    """An item's id: a whole number a 64-bit key holds (a larger one is a 400, not an overflow)."""

    field_class = BoundedIntegerField


class ItemFilterSet(django_filters.FilterSet):
    """Items matching every filter given; the values of one filter are alternatives. Each filter
    reads a subquery, so no item is listed twice."""

    kind = CodesFilter(label=_("Kind"), normalize=str.lower, choices=Kind.choices, empty_label=_("Any kind"),
                       field_name="kind", lookup_expr="in")
    recipient = CodesFilter(label=_("Addressed to"), normalize=str.upper, known=_countries, options=_country_options,
                            empty_label=_("Any state"), method="filter_recipient")
    recommending_state = CodesFilter(label=_("From"), normalize=str.upper, known=_countries, options=_country_options,
                                     empty_label=_("Any state"), method="filter_recommending_state")
    mechanism = CodesFilter(label=_("Mechanism"), known=_mechanisms, options=_mechanism_options,
                            empty_label=_("Any mechanism"), field_name="mechanism__code", lookup_expr="in")
    session = IntegersFilter(label=_("Session"), min_value=1, max_value=10000, field_name="session",
                             lookup_expr="in")
    cycle = IntegersFilter(label=_("Cycle"), min_value=1, max_value=100, field_name="cycle", lookup_expr="in")
    theme = CodesFilter(label=_("Theme"), known=_themes, options=_theme_options, empty_label=_("Any theme"),
                        method="filter_theme")
    group = CodesFilter(label=_("Affected group"), known=_groups, options=_group_options,
                        empty_label=_("Any group"), method="filter_group")
    sdg = CodesFilter(label=_("Sustainable Development Goal"), known=_sdgs, options=_sdg_options,
                      empty_label=_("Any goal"), method="filter_sdg")
    response = CodesFilter(label=_("Response"), choices=Response.choices, empty_label=_("Any response"),
                           field_name="response", lookup_expr="in")
    action_category = IntegersFilter(
        label=_("Action category"), choices=[(str(v), label) for v, label in ActionCategory.choices],
        empty_label=_("Any category"), field_name="action_category", lookup_expr="in")
    status = CodesFilter(label=_("Implementation status"), choices=ImplementationStatus.choices,
                         empty_label=_("Any status"), method="filter_status")
    agency = IntegersFilter(label=_("Responsible agency"), min_value=1, known=_agencies,
                            options=lambda: [(str(o.pk), str(o)) for o in Organization.objects.order_by("name")],
                            empty_label=_("Any agency"), method="filter_agency")
    assigned = django_filters.ChoiceFilter(label=_("Assigned"), choices=[("yes", _("Assigned to an agency")),
                                                                          ("no", _("Not assigned yet"))],
                                           empty_label=_("Assigned or not"), method="filter_assigned")
    series = CodesFilter(label=_("Dialogue series"), known=_series, options=_series_options,
                         empty_label=_("Any series"), field_name="dialogue__series__slug", lookup_expr="in")
    date_from = django_filters.DateFilter(label=_("From date"), field_name="issued_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To date"), field_name="issued_on", lookup_expr="lte")
    q = django_filters.CharFilter(label=_("Text contains"), max_length=200, field_name="text",
                                  lookup_expr="icontains")
    repeats_of = IdFilter(label=_("Same recommendation as item"), min_value=1, method="filter_repeats_of")
    # Applied by filter_queryset whether given or not: its absence means our state.
    scope = django_filters.ChoiceFilter(label=_("Countries"), choices=[(OURS, _("Our state only")),
                                                                       (WORLD, _("All countries"))],
                                        empty_label=None, method="filter_scope")

    #: The filters the list page draws; the others apply as well, and are drawn once in use.
    DRAWN = ("kind", "recipient", "recommending_state", "response", "action_category", "theme", "session",
             "assigned", "q", "repeats_of")

    class Meta:
        model = Recommendation
        fields: list[str] = []

    @classmethod
    def scope_only(cls, params, queryset=None) -> "ItemFilterSet":
        """A filter set that reads only ``scope`` from ``params``: for a page that lists something
        else by its items (the review queue's suggestions) or counts them (the home page)."""
        data = {"scope": params.get("scope", "")} if params is not None else {}
        return cls(data=data, queryset=Recommendation.objects.all() if queryset is None else queryset)

    @classmethod
    def scope_of(cls, params) -> Scope:
        """``scope_only(params).current_scope`` without making the filter set (a copy of every
        filter): ``scope`` is "world" or it is the default, which is what its field's cleaning says."""
        return Scope(params.get("scope") if params is not None else None, current_state())

    @property
    def current_scope(self) -> Scope:
        """Whose items these are (:class:`Scope`): read once; an invalid ``scope`` is the default."""
        if not hasattr(self, "_scope"):
            asked = None
            if self.is_bound:
                self.form.is_valid()  # cleans every field; cleaned_data keeps the valid ones
                asked = self.form.cleaned_data.get("scope")
            self._scope = Scope(asked, current_state())
        return self._scope

    def filter_queryset(self, queryset):
        return self.current_scope.items(super().filter_queryset(queryset))

    def drawn_form(self):
        """The form with the fields a list page draws: :attr:`DRAWN` and those given, and the
        scope of its items (``form.items_scope``, which the scope switch draws)."""
        form = self.form
        for name in list(form.fields):
            if name not in self.DRAWN and name not in (self.data or {}):
                del form.fields[name]
        if "recipient" in form.fields and "recommending_state" in form.fields:
            # The same countries in both drop-downs: read once.
            form.fields["recommending_state"].widget.choices = form.fields["recipient"].widget.choices
        form.items_scope = self.current_scope
        return form

    # Filters that read another table ------------------------------------------------------

    def filter_recipient(self, queryset, name, codes):
        through = Recommendation.recipients.through.objects.filter(country__code__in=codes)
        return queryset.filter(pk__in=through.values("recommendation_id"))

    def filter_recommending_state(self, queryset, name, codes):
        through = Recommendation.recommending_states.through.objects.filter(country__code__in=codes)
        return queryset.filter(pk__in=through.values("recommendation_id"))

    def filter_theme(self, queryset, name, codes):
        return queryset.tagged(THEME_SCHEMES, codes)

    def filter_group(self, queryset, name, codes):
        return queryset.tagged(GROUP_SCHEMES, codes)

    def filter_sdg(self, queryset, name, codes):
        return queryset.tagged(SDG_SCHEMES, codes)

    def filter_status(self, queryset, name, statuses):
        """Items with an assignment whose latest validated report has one of these statuses:
        what is public (drafts and submissions are not yet anyone's word), as in the search."""
        latest = ProgressReport.objects.filter(assignment=OuterRef("pk"), state=ProgressReport.State.VALIDATED)
        latest = latest.order_by("-validated_at", "-pk").values("status")[:1]
        assignments = Assignment.objects.annotate(latest=Subquery(latest)).filter(latest__in=statuses)
        return queryset.filter(pk__in=assignments.values("recommendation_id"))

    def filter_agency(self, queryset, name, ids):
        return queryset.filter(pk__in=Assignment.objects.filter(organization_id__in=ids).values("recommendation_id"))

    def filter_assigned(self, queryset, name, value):
        assigned = Assignment.objects.values("recommendation_id")
        return queryset.filter(pk__in=assigned) if value == "yes" else queryset.exclude(pk__in=assigned)

    def filter_repeats_of(self, queryset, name, pk):
        return queryset.filter(pk__in=RepeatGroupMember.objects.group_of(pk))

    def filter_scope(self, queryset, name, value):
        return queryset  # filter_queryset applies the scope, given or not


class SearchFilterSet(ItemFilterSet):
    """The filters of the search: the items' own, with ``kind`` also taking ``dialogue`` (the
    search finds dialogues too; their parties count as recipients and recommending states,
    their topics as themes)."""

    kind = CodesFilter(label=_("Kind"), normalize=str.lower, choices=[*Kind.choices, DIALOGUE_KIND],
                       empty_label=_("Any kind"), field_name="kind", lookup_expr="in")

    #: The filters the search's catalog applies, in the order the pages show their facets.
    CATALOG_FILTERS = ("recipient", "recommending_state", "mechanism", "session", "cycle", "theme", "group", "sdg",
                       "response", "action_category", "status", "agency", "series", "kind")

    @classmethod
    def search_filters(cls, params) -> dict[str, list[str]]:
        """The catalog filters among ``params`` (a QueryDict, or a dict of strings or lists of
        strings), cleaned as for the database: ``{"recipient": ["MX"], "session": ["17"]}``.

        A well-formed value that nothing has (a theme code no scheme holds) is kept: it matches
        nothing. A value that cannot mean anything (``session=five``, ``kind=memo``) raises
        InvalidInput, each problem naming its parameter.
        """
        # The widgets read repeated and comma-separated values from a QueryDict or a plain dict alike.
        form = cls(data=params, queryset=Recommendation.objects.none()).form
        form.is_valid()
        problems, filters = [], {}
        for name in cls.CATALOG_FILTERS:
            field = form.fields[name]
            errors = form.errors.get(name)
            if errors is None:
                values = form.cleaned_data.get(name) or []
            elif all(error.code == "unknown" for error in form.errors.as_data()[name]):
                values = field.to_python(field.widget.value_from_datadict(form.data, None, name))
            else:
                problems.extend(f"{name}: {message}" for message in errors)
                continue
            if values:
                filters[name] = list(values)
        if problems:
            raise InvalidInput(problems)
        return filters


def item_filters(params) -> ItemFilterSet:
    """The filter set over every item, bound to a page's GET parameters."""
    return ItemFilterSet(data=params, queryset=Recommendation.objects.with_related())


"""The charts the platform serves (``/charts/``, its JSON twin ``/charts.json``, each chart's CSV at
``/charts/<name>.csv``) and the public landing's few (:func:`landing_charts`).

Every chart counts what its reader may see: the staff site's people every item and every validated
report, anonymous visitors and civil-society contributors published items and public reports only
(:mod:`hrtrack.followup.publication`). The items are those the item list's filters select
(``ItemFilterSet``: our state's by default, ``?scope=world`` every country's, and ``theme``,
``mechanism``, ``cycle`` ...), so a chart's bar and the list it links to count the same items.

An item's status is that of its latest validated report over all its assignments (as on its page
and the dashboard); an agency's items are counted by the latest validated report of its own
assignment. Each figure is a fixed number of queries, however many items: the reports, links and
memberships are read once as plain rows and counted here.

A :class:`Chart` is drawn as SVG on the server (:func:`hrtrack.lib.charts.stacked_bar_chart`),
and shown with the same numbers as a table, as JSON and as CSV.
"""

import csv
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.directory.models import Country, Organization
from hrtrack.followup.dashboard import NO_REPORT, status_keys
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.followup.publication import public_reports, sees_unpublished, visible_items
from hrtrack.lib.charts import stacked_bar_chart, stacked_column_chart
from hrtrack.lib.web import absolute, has_out_of_range, invalid_filters, json_error
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import (
    THEME_SCHEMES,
    ConceptLink,
    Kind,
    Recommendation,
    RepeatGroupMember,
    Response,
)
from hrtrack.recommendations.views import filters_for  # the item list's own choice of filters for a reader
from hrtrack.taxonomy.models import Concept

#: The colours (:data:`hrtrack.lib.charts.COLOURS`) of the statuses, in :func:`status_keys`' order.
STATUS_COLOURS = ("green", "light-green", "blue", "yellow", "purple", "grey")
#: The responses to recommendations, in the order the chart stacks them, and their colours.
RESPONSE_ORDER = (Response.SUPPORTED, Response.PARTIALLY_SUPPORTED, Response.NOTED, Response.PENDING)
RESPONSE_COLOURS = ("green", "light-green", "yellow", "blue", "grey")
NO_RESPONSE = "none"
#: How many themes, agencies and recommending states a chart shows (the rest are "others").
TOP = 15
#: Up to how many items the theme links are chosen by the database (see :func:`theme_chart`).
FEW_ITEMS = 5000
#: ``period``: an item's status at the end of each year (the default) or of each month.
YEAR, MONTH = "year", "month"

#: Every chart's name, in the order the charts page shows them.
CHARTS = ("status", "timeline", "themes", "agencies", "mechanisms", "states", "repeats")


@dataclass
class Row:
    """A bar: ``counts`` in its chart's categories' order; ``url`` its profile or list."""

    key: str
    label: str
    counts: list[int]
    url: str = ""
    #: Whether the picture draws it: the "others" of a top N are in the table only, as their one
    #: bar would dwarf the rest.
    drawn: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Chart:
    """A chart's numbers: its rows (bars) by its categories (the parts each bar stacks)."""

    name: str
    title: str
    heading: str  # what the rows are: the table's first column
    categories: list[tuple[str, str]]
    rows: list[Row] = field(default_factory=list)
    colours: tuple[str, ...] | None = None
    note: str = ""  # a sentence under the chart: what is counted

    def svg(self) -> SafeString:
        if self.name == "timeline":  # time runs left to right
            return stacked_column_chart([(row.label, row.counts) for row in self.rows], self.category_labels,
                                        self.title, colours=self.colours, focusable=True)
        width, label_width = (880, 320) if self.name == "agencies" else (720, 220)
        return stacked_bar_chart([(row.label, row.counts) for row in self.rows if row.drawn], self.category_labels,
                                 self.title,
                                 colours=self.colours, width=width, label_width=label_width, focusable=True)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def not_drawn(self) -> list[Row]:
        return [row for row in self.rows if not row.drawn]

    @property
    def category_labels(self) -> list[str]:
        return [label for _key, label in self.categories]

    def csv_url(self) -> str:
        return reverse("portal:chart_csv", args=[self.name])

    def as_json(self, absolute) -> dict:
        keys = [key for key, _label in self.categories]
        return {
            "name": self.name, "title": self.title, "heading": self.heading, "note": self.note,
            "categories": [{"key": key, "label": label} for key, label in self.categories],
            "rows": [{"key": row.key, "label": row.label, "counts": dict(zip(keys, row.counts, strict=True)),
                      "total": row.total, "url": absolute(row.url) if row.url else None, "drawn": row.drawn}
                     for row in self.rows],
            "csv_url": absolute(self.csv_url()),
        }

    def csv_rows(self) -> list[list]:
        """The header and one line a row: its label, key, each category's count and the total."""
        header = [self.heading, _("Code"), *self.category_labels, _("Total")]
        return [header, *([row.label, row.key, *row.counts, row.total] for row in self.rows)]


# The items and their statuses ------------------------------------------------------------------


def chart_filters(request: HttpRequest) -> ItemFilterSet:
    """The item list's filter set for this reader (published items only for the public), bound to
    the request's parameters."""
    return filters_for(request)


def _reports(user) -> QuerySet:
    return ProgressReport.objects.validated() if sees_unpublished(user) else public_reports()


@dataclass
class Statuses:
    """The items counted (each one's mechanism), and the latest validated (for the public: public)
    status of each item and of each assignment."""

    items: dict[int, str]
    assignments: dict[int, str]
    #: (validated on, item, status), oldest first: for the status over time.
    history: list[tuple[datetime.date, int, str]]
    #: Every item counted, and its mechanism's id.
    mechanisms: dict[int, int | None] = field(default_factory=dict)


def statuses_of(items: QuerySet, user) -> Statuses:
    """Two queries: the items (with their mechanism), and every report ``user`` may read as
    validated on them, oldest first, so the last one read is each item's (and each assignment's) latest."""
    mechanisms = dict(items.order_by().values_list("pk", "mechanism_id"))
    reports = _reports(user)
    if len(mechanisms) <= FEW_ITEMS:  # see theme_chart
        reports = reports.filter(assignment__recommendation__in=items.order_by().values("pk"))
    rows = (reports.order_by("validated_at", "pk")
            .values_list("assignment_id", "assignment__recommendation_id", "status", "validated_at"))
    by_item, by_assignment, history = {}, {}, []
    for assignment, item, status, when in rows:
        if item not in mechanisms:
            continue
        by_item[item] = status
        by_assignment[assignment] = status
        if when is not None:
            history.append((when.date(), item, status))
    return Statuses(by_item, by_assignment, history, mechanisms)


def _status_parts(statuses: dict[int, str], item_ids) -> list[int]:
    counts = Counter(statuses.get(pk, NO_REPORT) for pk in item_ids)
    return [counts.get(key, 0) for key, _label in status_keys()]


def _profile(name: str, *args) -> str:
    return reverse(name, args=args)


# The charts -------------------------------------------------------------------------------------


def status_chart(items: QuerySet, statuses: Statuses, label: str = "") -> Chart:
    """One bar: the items by their latest status."""
    ids = statuses.mechanisms
    return Chart("status", _("Items by status"), _("Items"), status_keys(),
                 [Row("items", label or _("Items"), _status_parts(statuses.items, ids),
                      reverse("recommendations:recommendations"))],
                 STATUS_COLOURS, _("Each item counts once, by the status of its latest validated report."))


def _period_of(day: datetime.date, period: str) -> str:
    return f"{day.year:04d}-{day.month:02d}" if period == MONTH else f"{day.year:04d}"


def _period_label(name: str) -> str:
    """A year as it is ("2024"); a month as the reader's language names it ("March 2024", "marzo de 2024")."""
    if len(name) == 4:
        return name
    return formats.date_format(datetime.date(int(name[:4]), int(name[5:]), 1), "YEAR_MONTH_FORMAT")


def _periods(first: datetime.date, last: datetime.date, period: str) -> list[str]:
    if period == YEAR:
        return [f"{year:04d}" for year in range(first.year, last.year + 1)]
    months, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline_chart(statuses: Statuses, period: str = YEAR) -> Chart:
    """For each year (or month) from the first validated report to today: the items that had a
    validated status at its end, by that status (an item counts once, by its latest report then)."""
    keys = [(key, label) for key, label in status_keys() if key != NO_REPORT]
    chart = Chart("timeline", _("Status over time"), _("Month") if period == MONTH else _("Year"), keys,
                  colours=STATUS_COLOURS[:len(keys)],
                  note=_("At the end of each period, the items with a validated report by then, by the status of "
                         "their latest one."))
    if not statuses.history:
        return chart
    current: dict[int, str] = {}
    by_period: dict[str, list[tuple[int, str]]] = {}
    for day, item, status in statuses.history:
        by_period.setdefault(_period_of(day, period), []).append((item, status))
    # Up to today: a status holds until a later report says otherwise.
    last = max(statuses.history[-1][0], timezone.localdate())
    for name in _periods(statuses.history[0][0], last, period):
        current.update(by_period.get(name, []))
        counts = Counter(current.values())
        chart.rows.append(Row(name, _period_label(name), [counts.get(key, 0) for key, _label in keys]))
    return chart


def theme_chart(items: QuerySet, statuses: Statuses, top: int = TOP) -> Chart:
    """The themes (UPR Info issues, UHRI themes) with the most items, each by status; a model's
    suggestion counts once a person confirmed it, as in the ``theme`` filter."""
    counted = statuses.mechanisms
    themes = Concept.objects.filter(scheme__slug__in=THEME_SCHEMES).values("pk")
    links = ConceptLink.objects.filter(concept__in=themes).exclude(origin=ConceptLink.Origin.MODEL, confirmed=False)
    if len(counted) <= FEW_ITEMS:
        # SQLite reads "item in (the filters' subquery)" item by item and theme by theme: for a
        # few items that is quick; for many, every theme link is read and the items kept here.
        links = links.filter(recommendation__in=items.order_by().values("pk"))
    by_concept: dict[int, list[int]] = {}
    for concept, item in links.order_by().values_list("concept_id", "recommendation_id"):
        if item in counted:
            by_concept.setdefault(concept, []).append(item)
    biggest = sorted(by_concept, key=lambda pk: -len(by_concept[pk]))[:top * 2]
    concepts = Concept.objects.select_related("scheme").in_bulk(biggest)
    rows = [Row(concepts[pk].code, concepts[pk].label, _status_parts(statuses.items, by_concept[pk]),
                _profile("portal:theme", concepts[pk].scheme.slug, concepts[pk].code)) for pk in biggest]
    rows.sort(key=lambda row: (-row.total, row.label))
    return Chart("themes", _("Items by theme and status"), _("Theme"), status_keys(), rows[:top], STATUS_COLOURS,
                 _("The %(count)d themes with the most items; an item with several themes counts in each.")
                 % {"count": top})


def agency_chart(items: QuerySet, statuses: Statuses, top: int = TOP) -> Chart:
    """The agencies with the most items assigned, each by the status its own reports give them."""
    rows = (Assignment.objects.filter(recommendation__in=items.order_by().values("pk")).order_by()
            .values_list("pk", "organization_id"))
    by_agency: dict[int, Counter] = {}
    for assignment, agency in rows:
        by_agency.setdefault(agency, Counter())[statuses.assignments.get(assignment, NO_REPORT)] += 1
    biggest = sorted(by_agency, key=lambda pk: -sum(by_agency[pk].values()))[:top * 2]
    agencies = Organization.objects.in_bulk(biggest)
    result = [Row(str(pk), agencies[pk].label, [by_agency[pk].get(key, 0) for key, _label in status_keys()],
                  agencies[pk].get_absolute_url()) for pk in biggest]
    result.sort(key=lambda row: (-row.total, row.label))
    return Chart("agencies", _("Items by agency and status"), _("Agency"), status_keys(), result[:top],
                 STATUS_COLOURS, _("The items assigned to each agency, by the status of its own latest validated "
                                   "report on each."))


def mechanism_chart(items: QuerySet, statuses: Statuses) -> Chart:
    """The items by the mechanism that made them, each by status."""
    by_mechanism: dict[int | None, list[int]] = {}
    for pk, mechanism in statuses.mechanisms.items():
        by_mechanism.setdefault(mechanism, []).append(pk)
    concepts = Concept.objects.in_bulk([pk for pk in by_mechanism if pk is not None])
    rows = []
    for pk, ids in by_mechanism.items():
        if pk is None:
            rows.append(Row("", _("No mechanism (commitments, pledges)"), _status_parts(statuses.items, ids)))
        else:
            rows.append(Row(concepts[pk].code, concepts[pk].label, _status_parts(statuses.items, ids),
                            _profile("portal:mechanism", concepts[pk].code)))
    rows.sort(key=lambda row: (-row.total, row.label))
    return Chart("mechanisms", _("Items by mechanism and status"), _("Mechanism"), status_keys(), rows,
                 STATUS_COLOURS, _("Each item counts once, by the status of its latest validated report."))


def response_keys() -> list[tuple[str, str]]:
    return [(r.value, str(r.label)) for r in RESPONSE_ORDER] + [(NO_RESPONSE, _("No response recorded"))]


def state_chart(items: QuerySet, top: int = TOP) -> Chart:
    """The recommendations by the state that made them, the most first, by the response; the
    rest as one bar "Other states". Counted by the database (one query for the pairs)."""
    recommendations = items.filter(kind=Kind.RECOMMENDATION)
    rows = (Recommendation.recommending_states.through.objects
            .filter(recommendation__in=recommendations.order_by().values("pk")).order_by()
            .values_list("country_id", "recommendation__response").annotate(n=Count("pk")))
    keys = [key for key, _label in response_keys()]
    by_state: dict[int, Counter] = {}
    for country, response, count in rows:
        by_state.setdefault(country, Counter())[response or NO_RESPONSE] += count
    order = sorted(by_state, key=lambda pk: -sum(by_state[pk].values()))
    countries = Country.objects.in_bulk(order[:top])
    result = [Row(countries[pk].code, countries[pk].name, [by_state[pk].get(key, 0) for key in keys],
                  _profile("portal:state", countries[pk].code)) for pk in order[:top]]
    result.sort(key=lambda row: (-row.total, row.label))
    rest = order[top:]
    if rest:
        others = Counter()
        for pk in rest:
            others.update(by_state[pk])
        result.append(Row("others", _("Other states (%(count)d)") % {"count": len(rest)},
                          [others.get(key, 0) for key in keys], drawn=False))
    return Chart("states", _("Recommendations by recommending state"), _("Recommending state"), response_keys(),
                 result, RESPONSE_COLOURS,
                 _("A recommendation made by several states counts for each of them."))


def repeats_chart(items: QuerySet) -> Chart:
    """How many recommendations were made twice, three times, four times or more: the repeat
    groups (the same recommendation made again, in another cycle or by another state) among the
    items, each counted once."""
    sizes = Counter(n for n in (RepeatGroupMember.objects.filter(item__in=items.order_by().values("pk")).order_by()
                                .values("group_key").annotate(n=Count("item_id")).values_list("n", flat=True))
                    if n > 1)
    rows = [Row("2", _("2 times"), [sizes.get(2, 0)]), Row("3", _("3 times"), [sizes.get(3, 0)]),
            Row("4+", _("4 times or more"), [sum(count for size, count in sizes.items() if size >= 4)])]
    return Chart("repeats", _("Repeated recommendations"), _("Made"), [("recommendations", _("Recommendations"))],
                 rows, ("blue",), _("The same recommendation made again (in a later cycle or by another state) "
                                    "counts once, by how many times it was made."))


# The pages' data -----------------------------------------------------------------------------------


def period_of(params) -> str:
    return MONTH if params.get("period") == MONTH else YEAR


def build(name: str, items: QuerySet, statuses: Statuses, params) -> Chart:
    if name == "status":
        return status_chart(items, statuses)
    if name == "timeline":
        return timeline_chart(statuses, period_of(params))
    if name == "themes":
        return theme_chart(items, statuses)
    if name == "agencies":
        return agency_chart(items, statuses)
    if name == "mechanisms":
        return mechanism_chart(items, statuses)
    if name == "states":
        return state_chart(items)
    if name == "repeats":
        return repeats_chart(items)
    raise KeyError(name)


def charts_for(request: HttpRequest, names=CHARTS) -> tuple[ItemFilterSet, list[Chart]]:
    """The charts ``names`` over the items the request's filters select, as its user may see them."""
    filters = chart_filters(request)
    items = filters.qs
    statuses = statuses_of(items, request.user) if set(names) - {"states", "repeats"} else Statuses({}, {}, [])
    return filters, [build(name, items, statuses, request.GET) for name in names]


#: How many themes the landing's chart shows.
LANDING_THEMES = 8


def landing_charts(request: HttpRequest, items: QuerySet | None = None, statuses: Statuses | None = None) -> dict:
    """The public landing's charts (``portal/_landing_charts.html``): the items of our state (or,
    with ``?scope=world``, every country's) by status, the themes with the most items, and the
    mechanisms; published items and public reports only for the public. ``{"charts": [...],
    "charts_url": ...}``. ``items`` and ``statuses`` (:func:`statuses_of`): those the landing's
    figures already read, for the same reader and scope."""
    filters = ItemFilterSet.scope_only(request.GET, queryset=visible_items(request.user))
    scope = filters.current_scope
    if items is None:
        items = filters.qs
    if statuses is None:
        statuses = statuses_of(items, request.user)
    label = _("%(state)s's items") % {"state": scope.state.name} if scope.ours else _("All countries' items")
    charts = [status_chart(items, statuses, label), theme_chart(items, statuses, LANDING_THEMES),
              mechanism_chart(items, statuses)]
    url = reverse("portal:charts")
    return {"charts": charts, "charts_url": f"{url}?{scope.query}" if scope.query else url, "scope": scope}


# The pages ---------------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """The status over time by year or by month (drawn beside the item filters)."""

    period = forms.ChoiceField(label=gettext_lazy("Status over time by"), required=False,
                               choices=[(YEAR, gettext_lazy("year")), (MONTH, gettext_lazy("month"))])


def _query(request: HttpRequest) -> str:
    """The request's filters, to keep in the CSV links."""
    return request.GET.urlencode()


def charts_page(request: HttpRequest) -> HttpResponse:
    """Every chart over the items the filters select, as this reader may see them."""
    filters, charts = charts_for(request)
    status = 400 if has_out_of_range(filters.form) else 200
    return render(request, "portal/charts.html", {
        "charts": charts, "form": filters.drawn_form(), "display_form": PeriodForm(request.GET),
        "query": _query(request), "json_query": _query(request),
    }, status=status)


def charts_json(request: HttpRequest) -> JsonResponse:
    """The charts page as JSON: ``?chart=themes`` (one or more, comma separated) for some only."""
    asked = [name for name in request.GET.get("chart", "").split(",") if name]
    unknown = [name for name in asked if name not in CHARTS]
    if unknown:
        return json_error(_("There is no chart %(names)s; the charts are %(known)s.")
                          % {"names": ", ".join(unknown), "known": ", ".join(CHARTS)}, 400)
    filters = chart_filters(request)
    if has_out_of_range(filters.form):
        return invalid_filters(filters.form)
    filters, charts = charts_for(request, asked or CHARTS)
    to_absolute = absolute(request)
    return JsonResponse({**filters.current_scope.as_json(), "charts": [c.as_json(to_absolute) for c in charts]})


def chart_csv(request: HttpRequest, name: str) -> HttpResponse:
    """One chart's numbers as CSV, over the same filters as the page."""
    if name not in CHARTS:
        raise Http404(_("There is no chart %(name)s.") % {"name": name})
    filters = chart_filters(request)
    if has_out_of_range(filters.form):
        return HttpResponse(_("Invalid filters.") + "\n", status=400, content_type="text/plain; charset=utf-8")
    _filters, (chart,) = charts_for(request, [name])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chart-{name}.csv"'
    csv.writer(response).writerows(chart.csv_rows())
    return response

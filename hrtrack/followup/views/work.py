"""My work, the dashboard, indicators and reporting cycles: pages and their JSON twins.

- ``/my-work/``: what needs the person now, by what they are (a focal point's assignments and
  drafts, a validator's reports waiting, a coordinator's unassigned items and overdue deadlines);
- ``/dashboard/``: how far the follow-up has come (:mod:`hrtrack.followup.dashboard`), our
  state's items by default, the world's with ``?scope=world``;
- ``/indicators/<id>/``: an indicator's chart, values and items; ``/indicators/new/?item=<id>``
  defines one, ``POST /indicators/<id>/values/`` records a value;
- ``/cycles/``: reporting cycles with their deadlines met and overdue; ``POST /cycles/new/`` opens
  one with a deadline for every assignment of the items the list's filters select.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hrtrack.accounts.models import Role
from hrtrack.dialogues.models import DialogueSeries
from hrtrack.directory.models import Organization
from hrtrack.lib.charts import stacked_bar_chart
from hrtrack.lib.web import MAX_ID, absolute, json_error
from hrtrack.recommendations.filters import ItemFilterSet, item_filters
from hrtrack.recommendations.models import Recommendation

from .. import dashboard as figures
from .. import indicators as measures
from .. import rules, workflow
from ..models import (
    Assignment,
    Deadline,
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingCycle,
)
from ..restricted import withhold_for
from .common import payload, require, twin, twins, validation_errors

# Lists of a page with several: each its own page number ---------------------------------------


def section(request: HttpRequest, queryset, param: str, per_page: int | None = None) -> Page:
    """One list of a page with several, paginated by its own parameter (``?drafts_page=2``), with
    ``previous_url`` and ``next_url`` that keep the other lists where they are.

    The first page reads one row more than it shows: when that row is not there, the list is
    this page and needs no count (most lists here fit on one page; counting the dashboard's
    indicators over our state's items cost as much as reading them)."""
    per_page = per_page or settings.PAGE_SIZE
    paginator = Paginator(queryset, per_page)
    if request.GET.get(param) in (None, "", "1"):
        rows = list(queryset[:per_page + 1])
        if len(rows) <= per_page:
            paginator.count = len(rows)
        page = Page(rows[:per_page], 1, paginator)
    else:
        page = paginator.get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.param = param
    page.previous_url = link(page.previous_page_number()) if page.has_previous() else None
    page.next_url = link(page.next_page_number()) if page.has_next() else None
    return page


def section_json(request: HttpRequest, page: Page, results: list) -> dict:
    def full(url):
        return request.build_absolute_uri(f"{request.path}{url}") if url else None

    return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
            "next": full(page.next_url), "previous": full(page.previous_url), "results": results}


def _person(user) -> dict | None:
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username()} if user else None


def status_label(status: str | None) -> str:
    """An implementation status as people read it (empty for none)."""
    return str(ImplementationStatus(status).label) if status in ImplementationStatus.values else ""


#: Rows of each list of my work: a page of several lists, each a short one.
MY_WORK_PER_PAGE = 20


# My work ------------------------------------------------------------------------------------


def _returned_first():
    return Case(When(state=ProgressReport.State.RETURNED, then=Value(0)), default=Value(1),
                output_field=IntegerField())


#: The states of a report its focal points still work on.
OPEN_STATES = [ProgressReport.State.DRAFT, ProgressReport.State.RETURNED]


def my_assignments(user, today: datetime.date):
    """The assignments of the person's agencies, the soonest due first, each with ``next_due``
    (and its title): the date of its first unmet deadline, ``latest_status``, and ``open_report``
    (with ``open_report_state``): the report its focal points are still working on, a returned one
    before a draft, so that my work links to it rather than only to writing another."""
    unmet = (Deadline.objects.with_state(today).filter(assignment=OuterRef("pk"), met=False)
             .order_by("due_on", "pk"))
    open_reports = (ProgressReport.objects.filter(assignment=OuterRef("pk"), state__in=OPEN_STATES)
                    .order_by(_returned_first(), "-updated_at", "-pk"))
    return (rules.my_assignments(user).with_latest_status()
            .select_related("recommendation", "organization")
            .annotate(next_due=Subquery(unmet.values("due_on")[:1]),
                      next_due_title=Subquery(unmet.values("title")[:1]),
                      open_report=Subquery(open_reports.values("pk")[:1]),
                      open_report_state=Subquery(open_reports.values("state")[:1]))
            .order_by(F("next_due").asc(nulls_last=True), "organization__name", "pk"))


def my_drafts(user):
    """My agencies' drafts and returned reports, the returned ones first."""
    return (ProgressReport.objects.filter(assignment__in=rules.my_assignments(user), state__in=OPEN_STATES)
            .select_related("assignment__organization", "assignment__recommendation", "returned_by")
            .order_by(_returned_first(), "-updated_at", "-pk"))


@twin
def my_work(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    roles = {"focal_point": bool(user.agency_ids(Role.FOCAL_POINT)),
             "validator": bool(user.agency_ids(Role.VALIDATOR)),
             "coordinator": rules.is_coordinator(user)}
    context: dict = {"roles": roles, "today": today}
    if roles["focal_point"]:
        assignments = section(request, my_assignments(user, today), "assignments_page", MY_WORK_PER_PAGE)
        for assignment in assignments:
            assignment.overdue = assignment.next_due is not None and assignment.next_due < today
            assignment.latest_status_label = status_label(assignment.latest_status)
        context["assignments"] = assignments
        context["drafts"] = section(request, my_drafts(user), "drafts_page", MY_WORK_PER_PAGE)
    if roles["validator"]:
        waiting = (rules.reports_to_validate(user)
                   .select_related("assignment__organization", "assignment__recommendation", "submitted_by")
                   .order_by("submitted_at", "pk"))
        context["to_validate"] = section(request, waiting, "validate_page", MY_WORK_PER_PAGE)
    if roles["coordinator"]:
        scope = figures.scope_of(request.GET)
        unassigned = figures.items_of(scope).exclude(pk__in=Assignment.objects.values("recommendation_id"))
        overdue = (Deadline.objects.overdue(today)
                   .select_related("assignment__organization", "recommendation", "cycle").order_by("due_on", "pk"))
        returned = (rules.visible_reports(user).filter(state=ProgressReport.State.RETURNED)
                    .select_related("assignment__organization", "assignment__recommendation", "returned_by")
                    .order_by("-returned_at", "-pk"))
        context.update(scope=scope, unassigned=unassigned.count(),
                       unassigned_url=reverse("recommendations:recommendations") + "?assigned=no" + (
                           f"&{scope.query}" if scope.query else ""),
                       waiting_count=ProgressReport.objects.waiting().count(),
                       overdue=section(request, overdue, "overdue_page", MY_WORK_PER_PAGE),
                       returned=section(request, returned, "returned_page", MY_WORK_PER_PAGE))
    # Every item text and return reason of every list, as the person may read them (one query).
    withhold_for(user, items=[a.recommendation for a in context.get("assignments", ())]
                 + [d.recommendation for d in context.get("overdue", ())],
                 reports=[r for name in ("drafts", "to_validate", "returned") for r in context.get(name, ())])
    if as_json:
        return JsonResponse(my_work_json(request, context))
    return render(request, "followup/my_work.html", context)


def my_work_json(request: HttpRequest, context: dict) -> dict:
    to_absolute = absolute(request)

    def assignment(a):
        return {**a.as_json(to_absolute), "item_text": a.recommendation.text,
                "item_url": to_absolute(a.recommendation.get_absolute_url()),
                "next_due": a.next_due.isoformat() if a.next_due else None, "next_due_title": a.next_due_title,
                "overdue": a.overdue, "report_new": to_absolute(reverse("followup:report_new", args=[a.pk])),
                "open_report": to_absolute(reverse("followup:report", args=[a.open_report])) if a.open_report else None}

    def report(r):
        return {"id": r.pk, "url": to_absolute(r.get_absolute_url()), "state": r.state, "status": r.status,
                "agency": r.assignment.organization.as_json(), "item": r.assignment.recommendation_id,
                "item_text": r.assignment.recommendation.text, "return_reason": r.return_reason,
                "returned_by": _person(r.returned_by),
                "returned_at": r.returned_at.isoformat() if r.returned_at else None,
                "submitted_by": _person(r.submitted_by),
                "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                "updated_at": r.updated_at.isoformat(), "version": r.version}

    def deadline(d):
        return {**d.as_json(), "url": to_absolute(d.get_absolute_url()),
                "agency": d.assignment.organization.as_json() if d.assignment_id else None,
                "item_text": d.recommendation.text}

    def listed(name, shape):
        page = context.get(name)
        return None if page is None else section_json(request, page, [shape(x) for x in page])

    data = {"roles": [name for name, held in context["roles"].items() if held],
            "assignments": listed("assignments", assignment), "drafts": listed("drafts", report),
            "to_validate": listed("to_validate", report), "coordinator": None}
    if context["roles"]["coordinator"]:
        data["coordinator"] = {
            **context["scope"].as_json(), "unassigned": context["unassigned"],
            "unassigned_url": to_absolute(context["unassigned_url"]),
            "waiting_for_validation": context["waiting_count"],
            "overdue": listed("overdue", deadline), "returned": listed("returned", report)}
    return data


# Dashboard ----------------------------------------------------------------------------------


#: The charts' colours (:data:`hrtrack.lib.charts.COLOURS`) of an agency's items (validated,
#: awaiting validation, overdue, not yet reported) and of the statuses (:func:`.dashboard.status_keys`).
AGENCY_COLOURS = ("green", "blue", "red", "grey")
STATUS_COLOURS = ("green", "light-green", "blue", "yellow", "purple", "grey")
#: Indicator charts on a page of the dashboard.
INDICATORS_PER_PAGE = 12


@twin
def dashboard(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    scope = figures.scope_of(request.GET)
    items = figures.items_of(scope)
    series = figures.per_series(scope)
    indicators = section(request, measures.indicators_measuring(items, request.user), "indicators_page",
                         INDICATORS_PER_PAGE)
    indicator_entries = [measures.entry(i, i.shown_values, request.user) for i in indicators]
    withhold_for(request.user, items=[item for row in series for item in row.commitments])
    if as_json:
        agencies = figures.per_agency(items)
        statuses = figures.item_statuses(items)
        to_absolute = absolute(request)
        return JsonResponse({
            **scope.as_json(), "totals": figures.status_totals(items, statuses),
            "agencies": [{**row.as_json(), "url": to_absolute(row.agency.get_absolute_url())} for row in agencies],
            "themes": [row.as_json() for row in figures.per_theme(items, statuses)],
            "mechanisms": [row.as_json() for row in figures.per_mechanism(items, statuses)],
            "series": [row.as_json(to_absolute) for row in series],
            "indicators": section_json(request, indicators,
                                       measures.indicators_json(indicator_entries, to_absolute)),
        })
    for row in series:
        for item in row.commitments:
            item.latest_status_label = status_label(item.latest_status)
    list_url = reverse("recommendations:recommendations")
    # The item list's links keep the dashboard's scope (scope=world, or nothing for our state).
    state_query = f"{scope.query}&" if scope.query else ""
    # The figures are the same for every reader: rendered once, kept until the data change.
    # The day too: an overdue count changes at midnight.
    parts = (figures.items_key(items), scope.query, scope.ours, scope.state.code if scope.state else None,
             str(timezone.localdate()))
    figures_html = figures.cached("dashboard_figures", parts,
                                  lambda: _dashboard_figures(request, scope, items, list_url, state_query))
    return render(request, "followup/dashboard.html", {
        "figures": mark_safe(figures_html), "scope": scope, "series": series, "list_url": list_url,
        "state_query": state_query,
        "indicators": indicators, "indicator_entries": indicator_entries,
    })


def _dashboard_figures(request: HttpRequest, scope, items, list_url: str, state_query: str) -> str:
    """The dashboard's figures (``followup/_dashboard_figures.html``): its totals, its agencies',
    themes' and mechanisms' tables and charts."""
    agencies = figures.per_agency(items)
    statuses = figures.item_statuses(items)
    themes = figures.per_theme(items, statuses)
    mechanisms = figures.per_mechanism(items, statuses)
    status_labels = [label for _key, label in figures.status_keys()]
    charts = {
        # Agencies' names are long (the longest Spanish ones most): a wider chart, a wider label column.
        "agencies": stacked_bar_chart([(row.agency.label, row.parts) for row in agencies], figures.agency_parts(),
                                      _("Items by agency"), colours=AGENCY_COLOURS, width=880, label_width=320),
        "themes": stacked_bar_chart([(row.label, row.parts) for row in themes], status_labels,
                                    _("Assigned items by theme and status"), colours=STATUS_COLOURS),
        "mechanisms": stacked_bar_chart([(row.label, row.parts) for row in mechanisms], status_labels,
                                        _("Assigned items by mechanism and status"), colours=STATUS_COLOURS),
    }
    return render_to_string("followup/_dashboard_figures.html", {
        "scope": scope, "totals": figures.status_totals(items, statuses), "agencies": agencies, "themes": themes,
        "mechanisms": mechanisms, "charts": charts, "statuses": figures.status_keys(), "list_url": list_url,
        "state_query": state_query,
    }, request)


# Indicators ---------------------------------------------------------------------------------


class ValueForm(forms.Form):
    """A value of an indicator: one per day (a second on the same day replaces the first)."""

    observed_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=gettext_lazy("Value"), max_digits=18, decimal_places=4)
    source = forms.CharField(label=gettext_lazy("Source"), max_length=500, required=False,
                             help_text=gettext_lazy("Where the figure comes from: a register, a survey, a report."))

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("A value is observed on a day that has come: choose today or an earlier day."))
        return day


def _indicator_page(request: HttpRequest, indicator: Indicator, form: ValueForm | None = None, status: int = 200):
    entry = measures.entry(indicator, measures.visible_values(request.user, indicator.values.order_by("observed_on")),
                           request.user)
    items = list(indicator.recommendations.select_related("mechanism").order_by("pk"))
    withhold_for(request.user, items=items)
    return render(request, "followup/indicator.html", {
        "indicator": indicator, "entry": entry, "items": items,
        "form": form or (ValueForm(initial={"observed_on": timezone.localdate()}) if entry["can_record"] else None),
    }, status=status)


def _indicator_or_404(pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("organization"), pk=pk)


@twin
def indicator_detail(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    found = _indicator_or_404(pk)
    if as_json:
        values = measures.visible_values(request.user, found.values.order_by("observed_on"))
        to_absolute = absolute(request)
        items = list(found.recommendations.order_by("pk"))
        withhold_for(request.user, items=items)
        return JsonResponse({
            **found.as_json(to_absolute, values=values),
            "description": found.description,
            "can_record": rules.can_edit_indicator(request.user, found),
            "items": [{"id": item.pk, "url": to_absolute(item.get_absolute_url()), "text": item.text}
                      for item in items],
        })
    return _indicator_page(request, found)


@twin
def indicator_value(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    if request.method != "POST":
        return _not_post(request, as_json, reverse("followup:indicator", args=[pk]))
    found = _indicator_or_404(pk)
    require(rules.can_edit_indicator(request.user, found),
            _("Only coordinators and the indicator's agency's focal points record its values."))
    form = ValueForm(payload(request))
    if not form.is_valid():
        if as_json:
            raise ValidationError(form.errors.as_data())
        return _indicator_page(request, found, form, status=400)
    existed = IndicatorValue.objects.filter(indicator=found, observed_on=form.cleaned_data["observed_on"]).exists()
    row = workflow.record_value(found, request.user, observed_on=form.cleaned_data["observed_on"],
                                value=form.cleaned_data["value"], source=form.cleaned_data["source"])
    if as_json:
        return JsonResponse(row.as_json(), status=200 if existed else 201)
    if existed:
        messages.success(request, _("The value of %(date)s was replaced.") % {"date": row.observed_on.isoformat()})
    else:
        messages.success(request, _("The value was recorded."))
    return redirect(reverse("followup:indicator", args=[pk]) + "#values")


def _item_of(request: HttpRequest, data) -> Recommendation:
    """The item ``?item=<id>`` (or the field ``item``) names; a 404 for an id that is no item's."""
    raw = (data.get("item") if data is not None else None) or request.GET.get("item", "")
    if not str(raw).isdigit() or int(raw) > MAX_ID:
        raise ValidationError({"item": _("Say which item the indicator measures: ?item= and the item's id.")})
    return get_object_or_404(Recommendation, pk=int(raw))


@twin
def indicator_new(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    if as_json and request.method != "POST":
        return json_error(_("Send the indicator with POST."), 405)
    data = payload(request) if request.method == "POST" else None
    try:
        item = _item_of(request, data)
    except ValidationError as error:
        if as_json:
            raise
        return render(request, "followup/indicator_new.html", {"item": None, "form": None,
                                                               "error": error.message_dict["item"][0]}, status=400)
    require(measures.can_define_for(request.user, item),
            _("Only coordinators and the focal points of an agency the item is assigned to define its indicators."))
    agencies = measures.agencies_for(request.user, item)
    form = measures.IndicatorForm(data, agencies=agencies, required_agency=not rules.is_coordinator(request.user))
    if data is None or not form.is_valid():
        if as_json:
            raise ValidationError(form.errors.as_data())
        withhold_for(request.user, items=[item])
        return render(request, "followup/indicator_new.html", {"item": item, "form": form},
                      status=400 if data is not None else 200)
    created = measures.define_indicator(request.user, item, **form.cleaned_data)
    if as_json:
        return JsonResponse(created.as_json(absolute(request), values=[]), status=201)
    messages.success(request, _("The indicator was defined. Record its values here."))
    return redirect(created.get_absolute_url())


# Reporting cycles ---------------------------------------------------------------------------


class CycleForm(forms.Form):
    """A reporting cycle: what is due, by when, reminded how many days before."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300,
                            help_text=gettext_lazy("What is due: \"UPR mid-term report 2027\"."))
    # "kind" and "series" are the item list's filters, sent beside these fields: other names here.
    cycle_kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ReportingCycle.Kind.choices,
                                   initial=ReportingCycle.Kind.UPR_MIDTERM)
    due_on = forms.DateField(label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    remind_days_before = forms.IntegerField(label=gettext_lazy("Remind days before"), min_value=0, max_value=365,
                                            initial=14)
    dialogue_series = forms.ModelChoiceField(
        label=gettext_lazy("Dialogue series"), queryset=DialogueSeries.objects.none(), required=False,
        to_field_name="slug", help_text=gettext_lazy("For the next round of a dialogue: its series."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dialogue_series"].queryset = DialogueSeries.objects.order_by("name")

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise ValidationError(_("A new reporting cycle is due today or later."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("cycle_kind") == ReportingCycle.Kind.DIALOGUE_ROUND and not data.get("dialogue_series"):
            self.add_error("dialogue_series", _("Say which dialogue series the next round is of."))
        return data


FILTER_NAMES = tuple(ItemFilterSet.base_filters)


def _filter_params(*sources) -> QueryDict:
    """The item list's filter parameters among ``sources`` (the later win, name by name)."""
    params = QueryDict(mutable=True)
    for source in sources:
        for name in FILTER_NAMES:
            if source is not None and name in source:
                params.setlist(name, source.getlist(name))
    return params


def _selected_assignments(filters):
    return Assignment.objects.filter(recommendation__in=filters.qs.order_by().values("pk"))


def cycle_counts(cycle_ids, today: datetime.date) -> dict[int, dict]:
    """The deadlines of each cycle: how many, met, overdue. One query."""
    rows = (Deadline.objects.with_state(today).filter(cycle_id__in=cycle_ids).order_by().values("cycle_id")
            .annotate(deadlines=Count("pk"), met=Count("pk", filter=Q(met=True)),
                      overdue=Count("pk", filter=Q(overdue=True))))
    counts = {pk: {"deadlines": 0, "met": 0, "overdue": 0} for pk in cycle_ids}
    for row in rows:
        counts[row["cycle_id"]] = {"deadlines": row["deadlines"], "met": row["met"], "overdue": row["overdue"]}
    return counts


def cycle_json(cycle: ReportingCycle, to_absolute, counts: dict) -> dict:
    return {"id": cycle.pk, "url": to_absolute(cycle.get_absolute_url()), "title": cycle.title, "kind": cycle.kind,
            "due_on": cycle.due_on.isoformat(), "remind_days_before": cycle.remind_days_before,
            "series": {"slug": cycle.series.slug, "name": cycle.series.name} if cycle.series_id else None,
            "counts": counts}


def _cycles_page(request: HttpRequest, form: CycleForm | None = None, filter_params=None, status: int = 200,
                 problems: list | None = None):
    today = timezone.localdate()
    page = section(request, ReportingCycle.objects.select_related("series").order_by("-due_on", "-pk"), "page")
    counts = cycle_counts([c.pk for c in page], today)
    for cycle in page:
        cycle.counts = counts[cycle.pk]
    context = {"page_obj": page, "today": today}
    if rules.can_assign(request.user):
        params = filter_params if filter_params is not None else _filter_params(request.GET)
        filters = item_filters(params)
        valid = filters.form.is_valid()
        context.update(
            form=form or CycleForm(initial=_cycle_initial(request)),
            filter_params=[(name, value) for name in params for value in params.getlist(name)],
            filter_errors=filters.form.errors, problems=problems or [], scope=filters.current_scope,
            selected=_selected_assignments(filters).count() if valid else None,
            list_url=reverse("recommendations:recommendations") + (f"?{params.urlencode()}" if params else ""))
    return render(request, "followup/cycles.html", context, status=status)


def _cycle_initial(request: HttpRequest) -> dict:
    """A new cycle's form as first shown: for the items of a dialogue series (``?series=``, as
    the dashboard links), the next round of that series."""
    initial = {"cycle_kind": ReportingCycle.Kind.UPR_MIDTERM, "remind_days_before": 14}
    slug = request.GET.get("series", "")
    if slug and "," not in slug and DialogueSeries.objects.filter(slug=slug).exists():
        initial.update(cycle_kind=ReportingCycle.Kind.DIALOGUE_ROUND, dialogue_series=slug)
    return initial


@twin
def cycle_list(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    if not as_json:
        return _cycles_page(request)
    page = section(request, ReportingCycle.objects.select_related("series").order_by("-due_on", "-pk"), "page")
    counts = cycle_counts([c.pk for c in page], timezone.localdate())
    to_absolute = absolute(request)
    return JsonResponse(section_json(request, page, [cycle_json(c, to_absolute, counts[c.pk]) for c in page]))


@twin
def cycle_new(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    if request.method != "POST":
        return _not_post(request, as_json, reverse("followup:cycles"))
    require(rules.can_assign(request.user), _("Only coordinators and administrators set reporting cycles."))
    data = payload(request)
    form = CycleForm(data)
    params = _filter_params(request.GET, data)
    filters = item_filters(params)
    problems = []
    if form.is_valid() and filters.form.is_valid():
        assignments = _selected_assignments(filters)
        if not assignments.exists():
            problems.append(_("None of the items these filters select is assigned to an agency: assign them first, "
                              "then set their deadline."))
    elif not filters.form.is_valid():
        problems.append(_("Some filters cannot be applied: nothing was set, so that no deadline goes to items you "
                          "did not mean."))
    if not form.is_valid() or problems:
        if as_json:
            errors = validation_errors(ValidationError(form.errors.as_data())) if form.errors else {}
            errors.update({name: list(messages_) for name, messages_ in filters.form.errors.items()})
            if problems:
                errors.setdefault("__all__", []).extend(problems)
            return json_error(_("Nothing was saved: see the fields."), 400, fields=errors)
        return _cycles_page(request, form, params, status=400, problems=problems)
    cleaned = form.cleaned_data
    cycle = workflow.open_cycle(request.user, title=cleaned["title"], kind=cleaned["cycle_kind"],
                                due_on=cleaned["due_on"], assignments=assignments.only("pk", "recommendation_id"),
                                series=cleaned["dialogue_series"],
                                remind_days_before=cleaned["remind_days_before"])
    counts = cycle_counts([cycle.pk], timezone.localdate())[cycle.pk]
    if as_json:
        return JsonResponse(cycle_json(cycle, absolute(request), counts), status=201)
    messages.success(request, ngettext("The reporting cycle was set, with %(count)s deadline.",
                                       "The reporting cycle was set, with %(count)s deadlines.",
                                       counts["deadlines"]) % {"count": number_format(counts["deadlines"])})
    return redirect(cycle.get_absolute_url())


@twin
def cycle_detail(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    found = get_object_or_404(ReportingCycle.objects.select_related("series", "created_by"), pk=pk)
    today = timezone.localdate()
    deadlines = (found.deadlines.with_state(today)
                 .select_related("assignment__organization", "recommendation")
                 .order_by("assignment__organization__name", "due_on", "pk"))
    page = section(request, deadlines, "page")
    withhold_for(request.user, items=[deadline.recommendation for deadline in page])
    for deadline in page:
        deadline.state = ("met" if deadline.met else "overdue" if deadline.overdue
                          else "due-soon" if deadline.due_soon(today) else "open")
    by_agency = list(found.deadlines.with_state(today).order_by().values("assignment__organization_id").annotate(
        deadlines=Count("pk"), met=Count("pk", filter=Q(met=True)), overdue=Count("pk", filter=Q(overdue=True))))
    agencies = Organization.objects.in_bulk([row["assignment__organization_id"] for row in by_agency])
    for row in by_agency:
        row["agency"] = agencies.get(row["assignment__organization_id"])
    by_agency.sort(key=lambda row: row["agency"].name if row["agency"] else "")
    totals = {"deadlines": sum(r["deadlines"] for r in by_agency), "met": sum(r["met"] for r in by_agency),
              "overdue": sum(r["overdue"] for r in by_agency)}
    if as_json:
        to_absolute = absolute(request)
        result = cycle_json(found, to_absolute, totals)
        result["agencies"] = [{"agency": r["agency"].as_json() if r["agency"] else None, "deadlines": r["deadlines"],
                               "met": r["met"], "overdue": r["overdue"]} for r in by_agency]
        result["deadlines"] = section_json(request, page, [{
            **d.as_json(), "state": d.state, "url": to_absolute(d.get_absolute_url()),
            "agency": d.assignment.organization.as_json() if d.assignment_id else None,
            "item_text": d.recommendation.text} for d in page])
        return JsonResponse(result)
    return render(request, "followup/cycle.html", {"cycle": found, "page_obj": page, "by_agency": by_agency,
                                                   "totals": totals, "today": today})


def _not_post(request: HttpRequest, as_json: bool, page_url: str) -> HttpResponse:
    if as_json:
        return json_error(_("Send this with POST."), 405)
    return redirect(page_url)


urlpatterns = [
    *twins("my-work/", my_work, "my_work"),
    *twins("dashboard/", dashboard, "dashboard"),
    *twins("indicators/new/", indicator_new, "indicator_new"),
    *twins("indicators/<id:pk>/", indicator_detail, "indicator"),
    *twins("indicators/<id:pk>/values/", indicator_value, "indicator_value"),
    *twins("cycles/", cycle_list, "cycles"),
    *twins("cycles/new/", cycle_new, "cycle_new"),
    *twins("cycles/<id:pk>/", cycle_detail, "cycle"),
]

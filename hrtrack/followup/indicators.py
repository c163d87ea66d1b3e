"""Indicators as people see them: an item's indicators with the values each person may read, and
their charts.

A value recorded in a progress report is as private as the report: until the report is
validated only those who may read it (:func:`.rules.visible_reports`) see the value. A value
recorded on its own (no report) is seen by every staff member.
"""

from django import forms
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.directory.models import Organization
from hrtrack.lib.charts import line_chart
from hrtrack.recommendations.changes import record as record_change
from hrtrack.recommendations.filters import current_state

from . import rules
from .models import Indicator, IndicatorValue
from .workflow import NotAllowed


def visible_values(user, values: QuerySet | None = None) -> QuerySet:
    """The indicator values ``user`` may read: those recorded on their own, and those of the
    reports the person may read."""
    values = IndicatorValue.objects.all() if values is None else values
    if rules.is_coordinator(user):
        return values
    return values.filter(Q(report__isnull=True) | Q(report__in=rules.visible_reports(user).values("pk")))


def chart(indicator: Indicator, values) -> str:
    """The indicator's line chart (values over time, its baseline and target) as SVG."""
    return line_chart([(v.observed_on, v.value) for v in values], baseline=indicator.baseline,
                      target=indicator.target, unit=indicator.unit,
                      title=_("%(indicator)s over time") % {"indicator": indicator.name})


def entry(indicator: Indicator, values, user) -> dict:
    """One indicator as the pages show it: ``indicator``, the ``values`` shown, its ``chart``, and
    whether ``user`` may record values (``can_record``)."""
    values = list(values)
    return {"indicator": indicator, "values": values, "chart": chart(indicator, values),
            "can_record": rules.can_edit_indicator(user, indicator)}


def indicators_of(item, user) -> list[dict]:
    """The indicators measuring ``item``, each with the values ``user`` may read, oldest first,
    and its chart (see :func:`entry`). Two queries, however many indicators."""
    shown = visible_values(user, IndicatorValue.objects.order_by("observed_on", "pk"))
    indicators = Indicator.objects.filter(recommendations=item).select_related("organization").prefetch_related(
        Prefetch("values", queryset=shown, to_attr="shown_values")).order_by("name", "pk")
    return [entry(indicator, indicator.shown_values, user) for indicator in indicators]


def indicators_measuring(items: QuerySet, user) -> QuerySet:
    """The indicators that measure any of ``items``, each with ``shown_values``: the values
    ``user`` may read, oldest first (one prefetch query for a page of them)."""
    shown = visible_values(user, IndicatorValue.objects.order_by("observed_on", "pk"))
    measuring = Indicator.recommendations.through.objects.filter(recommendation__in=items.values("pk"))
    return (Indicator.objects.filter(pk__in=measuring.values("indicator_id")).select_related("organization")
            .prefetch_related(Prefetch("values", queryset=shown, to_attr="shown_values")).order_by("name", "pk"))


def indicators_json(entries: list[dict], absolute) -> list[dict]:
    """The JSON of :func:`indicators_of`'s entries: each indicator with the values shown."""
    return [e["indicator"].as_json(absolute, values=e["values"]) for e in entries]


def can_define_for(user, item) -> bool:
    """Whether ``user`` may define an indicator for ``item``: coordinators, and the focal points
    of an agency the item is assigned to (:func:`.rules.can_edit_indicator` for each)."""
    if rules.can_edit_indicator(user):
        return True
    return any(rules.can_edit_indicator(user, organization_id=agency)
               for agency in item.assignments.values_list("organization_id", flat=True))


def agencies_for(user, item) -> QuerySet:
    """The agencies ``user`` may name as an indicator's reporter for ``item``: for a coordinator,
    any of our state's agencies and those the item is assigned to; for a focal point, those of
    their agencies the item is assigned to."""
    assigned = item.assignments.values("organization_id")
    if rules.is_coordinator(user):
        # With no state set, every public body of any state may report.
        state = current_state()
        agencies = Organization.objects.agencies(state) if state else Organization.objects.exclude(
            level__in=[Organization.Level.NONGOVERNMENTAL, Organization.Level.INTERNATIONAL,
                       Organization.Level.REGIONAL])
        return Organization.objects.filter(Q(pk__in=agencies.values("pk")) | Q(pk__in=assigned)).order_by("name")
    return Organization.objects.filter(pk__in=assigned).filter(
        pk__in=[pk for pk in user.agency_ids() if rules.can_edit_indicator(user, organization_id=pk)]).order_by("name")


class IndicatorForm(forms.Form):
    """An indicator: what it measures, in what unit, from where to where, by when, reported by whom."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=300,
                           help_text=gettext_lazy("What is counted: \"Journalists under the protection mechanism\"."))
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=50, required=False,
                           help_text=gettext_lazy("people, cases, %, pesos..."))
    baseline = forms.DecimalField(label=gettext_lazy("Baseline"), max_digits=18, decimal_places=4, required=False)
    target = forms.DecimalField(label=gettext_lazy("Target"), max_digits=18, decimal_places=4, required=False)
    target_date = forms.DateField(label=gettext_lazy("Target date"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    organization = forms.ModelChoiceField(label=gettext_lazy("Reported by"), queryset=Organization.objects.none(),
                                          required=False, empty_label=gettext_lazy("No agency"))

    def __init__(self, *args, agencies: QuerySet, required_agency: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = agencies
        field.required = required_agency
        field.label_from_instance = lambda organization: organization.label
        if required_agency:
            field.empty_label = None

    def clean(self):
        data = super().clean()
        if data.get("target_date") and data.get("target") is None:
            self.add_error("target", _("Give the target the date is for."))
        return data


def define_indicator(user, item, *, name: str, unit: str = "", description: str = "", baseline=None, target=None,
                     target_date=None, organization: Organization | None = None) -> Indicator:
    """A new indicator measuring ``item``, on the item's timeline. Coordinators define any; a
    focal point only one reported by one of their agencies that the item is assigned to."""
    agency = organization.pk if organization is not None else None
    if not rules.is_coordinator(user) and not (
            rules.can_edit_indicator(user, organization_id=agency)
            and item.assignments.filter(organization_id=agency).exists()):
        raise NotAllowed(_("Only coordinators and the focal points of an agency the item is assigned to define "
                           "its indicators."))
    indicator = Indicator(name=name, unit=unit, description=description, baseline=baseline, target=target,
                          target_date=target_date, organization=organization)
    indicator._history_user = user
    with transaction.atomic():
        indicator.save()
        indicator.recommendations.add(item)
        record_change([item.pk], content=False)
    return indicator

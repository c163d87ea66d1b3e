"""Indicators as people see them: an item's indicators with the values each person may read, and
their charts.

A value recorded in a progress report is as private as the report: until the report is
validated only those who may read it (:func:`.rules.visible_reports`) see the value. A value
recorded on its own (no report) is seen by every staff member.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from hrtrack.lib.charts import line_chart

from . import rules
from .models import Indicator, IndicatorValue


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

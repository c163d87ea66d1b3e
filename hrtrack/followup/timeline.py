"""An item's full timeline: every change to the item, its assignments, their reports and
evidence, its indicators and their values, and its deadlines — who, when, what changed from what
to what — newest first, with what ``user`` may not read (another agency's drafts) left out."""

from django.utils.translation import gettext as _

from hrtrack.lib.history import entries_from_records, history_entries

from . import rules
from .models import Assignment, Deadline, Evidence, Indicator, IndicatorValue, ProgressReport


def item_timeline(item, user) -> list[dict]:
    """The timeline of ``item`` as ``user`` may read it (see :mod:`.rules`)."""
    entries = [{**entry, "subject": _("Item")} for entry in history_entries(item)]

    assignment_records = Assignment.history.filter(recommendation_id=item.pk)
    assignment_ids = set(assignment_records.values_list("id", flat=True))
    entries += entries_from_records(Assignment, assignment_records, lambda r: _("Assignment: %(agency)s") % {
        "agency": r.organization})

    report_ids = set(ProgressReport.history.filter(assignment_id__in=assignment_ids).values_list("id", flat=True))
    if rules.is_coordinator(user):
        visible = report_ids  # deleted reports too
    else:
        visible = set(rules.visible_reports(user, ProgressReport.objects.filter(pk__in=report_ids))
                      .values_list("pk", flat=True))
    entries += entries_from_records(ProgressReport, ProgressReport.history.filter(id__in=visible),
                                    lambda r: _("Report #%(id)s") % {"id": r.id})
    entries += entries_from_records(Evidence, Evidence.history.filter(report_id__in=visible),
                                    lambda r: _("Evidence: %(description)s") % {"description": r.description})

    indicator_ids = set(Indicator.objects.filter(recommendations=item).values_list("pk", flat=True))
    entries += entries_from_records(Indicator, Indicator.history.filter(id__in=indicator_ids),
                                    lambda r: _("Indicator: %(name)s") % {"name": r.name})
    values = IndicatorValue.history.filter(indicator_id__in=indicator_ids)
    if not rules.is_coordinator(user):
        values = values.exclude(report_id__isnull=False, report_id__in=report_ids - visible)
    entries += entries_from_records(IndicatorValue, values, lambda r: _("Indicator value (%(date)s)") % {
        "date": r.observed_on})
    entries += entries_from_records(Deadline, Deadline.history.filter(recommendation_id=item.pk),
                                    lambda r: _("Deadline: %(title)s") % {"title": r.title})
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries

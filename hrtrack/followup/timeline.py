"""An item's full timeline: every change to the item, its assignments, their reports and
evidence, its indicators and their values, and its deadlines — who, when, what changed from what
to what — newest first, with what ``user`` may not read (another agency's drafts) left out."""

from django.utils.translation import gettext as _

from hrtrack.lib.history import entries_from_records, history_entries, history_of

from . import rules
from .models import Assignment, Deadline, Evidence, Indicator, IndicatorValue, ProgressReport


def item_timeline(item, user, indicator_ids=None) -> list[dict]:
    """The timeline of ``item`` as ``user`` may read it (see :mod:`.rules`). ``indicator_ids``:
    the ids of the indicators measuring the item, when the caller has read them already."""
    entries = [{**entry, "subject": _("Item")} for entry in history_entries(item)]

    # The organization joined: every record's subject names it.
    assignment_entries = entries_from_records(
        Assignment, history_of(Assignment).filter(recommendation_id=item.pk).select_related("organization"),
        lambda r: _("Assignment: %(agency)s") % {"agency": r.organization})
    entries += assignment_entries
    assignment_ids = {entry["object_id"] for entry in assignment_entries}

    coordinator = rules.is_coordinator(user)
    report_ids: set[int] = set()
    visible: set[int] = set()
    if assignment_ids:
        reports = history_of(ProgressReport).filter(assignment_id__in=assignment_ids).values("id")
        if coordinator:  # every report, deleted ones too: a subquery of the queries below
            report_records = history_of(ProgressReport).filter(id__in=reports)
            evidence_records = history_of(Evidence).filter(report_id__in=reports)
        else:
            report_ids = set(reports.values_list("id", flat=True))
            visible = set(rules.visible_reports(user, ProgressReport.objects.filter(pk__in=report_ids))
                          .values_list("pk", flat=True))
            report_records = history_of(ProgressReport).filter(id__in=visible)
            evidence_records = history_of(Evidence).filter(report_id__in=visible)
        entries += entries_from_records(ProgressReport, report_records, lambda r: _("Report #%(id)s") % {"id": r.id})
        entries += entries_from_records(Evidence, evidence_records,
                                        lambda r: _("Evidence: %(description)s") % {"description": r.description})

    if indicator_ids is None:
        indicator_ids = Indicator.objects.filter(recommendations=item).values_list("pk", flat=True)
    indicator_ids = set(indicator_ids)
    if indicator_ids:
        entries += entries_from_records(Indicator, history_of(Indicator).filter(id__in=indicator_ids),
                                        lambda r: _("Indicator: %(name)s") % {"name": r.name})
        values = history_of(IndicatorValue).filter(indicator_id__in=indicator_ids)
        if not coordinator:
            values = values.exclude(report_id__isnull=False, report_id__in=report_ids - visible)
        entries += entries_from_records(IndicatorValue, values, lambda r: _("Indicator value (%(date)s)") % {
            "date": r.observed_on})
    entries += entries_from_records(Deadline, history_of(Deadline).filter(recommendation_id=item.pk),
                                    lambda r: _("Deadline: %(title)s") % {"title": r.title})
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries

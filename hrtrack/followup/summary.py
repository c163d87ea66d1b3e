"""What an item's page shows of its follow-up, as one person may see it: who it is assigned to,
its latest validated status, the reports the person may read with their evidence, its
indicators, its deadlines with their computed state, the agencies suggested for it while nobody
holds it (for those who assign), and its full timeline.

The item page and its JSON twin read :func:`item_followup` and :func:`item_followup_json`; a
page listing many items (a dialogue's commitments) reads :func:`items_followup`, a fixed number
of queries for them all.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrtrack.lib.history import history_json

from . import indicators as item_indicators
from . import rules
from .models import Assignment, Deadline, ImplementationStatus, ProgressReport
from .suggest import suggested_agencies
from .timeline import item_timeline


def labelled(assignments):
    """The assignments (annotated by ``with_latest_status``), each with ``latest_status_label``:
    the status in words. Returns them as a list."""
    labels = dict(ImplementationStatus.choices)
    assignments = list(assignments)
    for assignment in assignments:
        assignment.latest_status_label = labels.get(assignment.latest_status, "")
    return assignments


def status_of(report: ProgressReport | None) -> dict | None:
    """An item's status as its latest validated ``report`` says it (None: no validated report yet)."""
    if report is None:
        return None
    return {"code": report.status, "label": report.get_status_display(), "report": report,
            "agency": report.assignment.organization, "validated_at": report.validated_at}


def status_json(status: dict | None, absolute) -> dict | None:
    if status is None:
        return None
    return {"status": status["code"], "label": str(status["label"]), "report": status["report"].pk,
            "report_url": absolute(status["report"].get_absolute_url()), "agency": status["agency"].as_json(),
            "validated_at": status["validated_at"].isoformat()}


def _latest_validated(reports) -> ProgressReport | None:
    validated = [r for r in reports if r.state == ProgressReport.State.VALIDATED]
    return max(validated, key=lambda r: (r.validated_at, r.pk), default=None)


def item_followup(item, user) -> dict:
    """Everything the item's page shows of its follow-up for ``user`` (see the module's docstring):
    ``assignments`` (each with ``latest_status``), ``status`` (:func:`status_of`), ``reports``,
    ``deadlines`` (with ``met`` and ``overdue``), ``suggestions`` (coordinators, unassigned items
    only), ``indicators`` (:func:`.indicators.indicators_of`) and ``timeline``."""
    # Most items are nobody's yet and have no deadline: asked first, in two plain queries, so that
    # the statuses' and the deadlines' subqueries (a few ms each to build) are made only for those
    # that have some. An item without assignments has no reports either.
    assigned = Assignment.objects.filter(recommendation=item).exists()
    assignments = labelled(Assignment.objects.filter(recommendation=item).with_latest_status()
                           .select_related("organization").order_by("role", "organization__name", "pk")
                           ) if assigned else []
    reports = list(rules.visible_reports(user, ProgressReport.objects.filter(assignment__recommendation=item))
                   .select_related("assignment__organization", "submitted_by", "validated_by")
                   .prefetch_related("evidence", "indicator_values").order_by("-created_at", "-pk")
                   ) if assigned else []
    deadlines = list(Deadline.objects.filter(recommendation=item).with_state()
                     .select_related("assignment__organization").order_by("due_on", "pk")
                     ) if Deadline.objects.filter(recommendation=item).exists() else []
    can_assign = rules.can_assign(user)
    indicators = item_indicators.indicators_of(item, user)
    return {
        "assignments": assignments,
        # Every validated report is visible to everyone: the latest among those read is the item's.
        "status": status_of(_latest_validated(reports)),
        "reports": reports,
        "deadlines": deadlines,
        "can_assign": can_assign,
        "suggestions": suggested_agencies(item) if can_assign and not assignments else [],
        "indicators": indicators,
        "can_define_indicator": item_indicators.can_define_for(user, item),
        "timeline": item_timeline(item, user, indicator_ids=[entry["indicator"].pk for entry in indicators]),
    }


def item_followup_json(followup: dict, absolute) -> dict:
    """:func:`item_followup` as the item's JSON twin shows it."""
    return {
        "assignments": [assignment.as_json(absolute) for assignment in followup["assignments"]],
        "status": status_json(followup["status"], absolute),
        "reports": [report.as_json(absolute) for report in followup["reports"]],
        "deadlines": [deadline.as_json() for deadline in followup["deadlines"]],
        "indicators": item_indicators.indicators_json(followup["indicators"], absolute),
        "suggested_agencies": [suggestion.as_json(absolute) for suggestion in followup["suggestions"]],
        "timeline": history_json(followup["timeline"]),
    }


def items_followup(item_ids) -> dict[int, dict]:
    """For many items at once (a dialogue's commitments): each one's ``assignments`` (with their
    ``latest_status``) and ``status``, as ``{item id: {...}}``. Two queries. Only validated
    reports are read, which everyone may see."""
    item_ids = list(item_ids)
    result = {pk: {"assignments": [], "status": None} for pk in item_ids}
    for assignment in labelled(Assignment.objects.filter(recommendation_id__in=item_ids).with_latest_status()
                               .select_related("organization").order_by("role", "organization__name", "pk")):
        result[assignment.recommendation_id]["assignments"].append(assignment)
    latest: dict[int, ProgressReport] = {}
    for report in (ProgressReport.objects.validated().filter(assignment__recommendation_id__in=item_ids)
                   .select_related("assignment__organization").order_by("-validated_at", "-pk")):
        latest.setdefault(report.assignment.recommendation_id, report)
    for pk, report in latest.items():
        result[pk]["status"] = status_of(report)
    return result


def items_followup_json(followup: dict, absolute) -> dict:
    """One entry of :func:`items_followup` as JSON."""
    return {"assignments": [a.as_json(absolute) for a in followup["assignments"]],
            "status": status_json(followup["status"], absolute)}


def describe_result(result, items: int, agencies) -> str:
    """What an assignment did, in words: "12 items to the Ministry of the Interior, the Ministry of
    Foreign Affairs: 20 new assignments, 3 already there, 1 changed role."."""
    return _("%(items)s to %(agencies)s: %(created)s, %(already)s already there, %(changed)s changed role.") % {
        "items": ngettext("%(count)s item", "%(count)s items", items) % {"count": number_format(items)},
        "agencies": ", ".join(agency.label for agency in agencies),
        "created": ngettext("%(count)s new assignment", "%(count)s new assignments", result.created) % {
            "count": number_format(result.created)},
        "already": number_format(result.already), "changed": number_format(result.changed)}

"""Who may see and do what in the follow-up, asked by every door alike (pages, JSON twins, the
admin, the search, exports): one place, so that no door forgets a rule.

- Coordinators and administrators (the national mechanism) assign items, set deadlines and
  reporting cycles, manage agencies' people, and read every report; they neither write an
  agency's report nor validate it.
- A focal point writes, corrects and submits the reports of *their* agencies' assignments.
- A validator validates or returns the submitted reports of *their* agencies.
- Any member of an agency reads all of that agency's reports, drafts included.
- Everyone else (other agencies' people, contributors, visitors) reads validated reports only:
  another agency's draft is not there for them (404), whatever id they type.
"""

from django.db.models import Q, QuerySet

from .models import Assignment, Indicator, ProgressReport


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_coordinator(user) -> bool:
    return _active(user) and user.is_coordinator


def can_assign(user) -> bool:
    """Give items to agencies, change or end assignments, set deadlines and reporting cycles."""
    return is_coordinator(user)


def can_manage_agencies(user) -> bool:
    """Name an agency's focal points and validators."""
    return is_coordinator(user)


def visible_reports(user, reports: QuerySet | None = None) -> QuerySet:
    """The reports ``user`` may read: all for coordinators; their agencies' and validated ones
    for agency members; validated ones for everyone else."""
    reports = ProgressReport.objects.all() if reports is None else reports
    if is_coordinator(user):
        return reports
    shown = Q(state=ProgressReport.State.VALIDATED)
    if _active(user) and user.agency_ids():
        shown |= Q(assignment__organization_id__in=user.agency_ids())
    return reports.filter(shown)


def can_see_report(user, report: ProgressReport) -> bool:
    if report.state == ProgressReport.State.VALIDATED or is_coordinator(user):
        return True
    return _active(user) and report.assignment.organization_id in user.agency_ids()


def can_report_on(user, assignment: Assignment) -> bool:
    """Write a new report on the assignment: its agency's focal points."""
    return _active(user) and user.reports_for(assignment.organization_id)


def can_edit_report(user, report: ProgressReport) -> bool:
    """Change, add evidence to and submit a draft or returned report: its agency's focal points."""
    return report.editable and can_report_on(user, report.assignment)


def can_validate(user, report: ProgressReport) -> bool:
    """Validate or return a submitted report: its agency's validators, and only they."""
    return (report.state == ProgressReport.State.SUBMITTED and _active(user)
            and user.validates_for(report.assignment.organization_id))


def can_edit_indicator(user, indicator: Indicator | None = None, organization_id: int | None = None) -> bool:
    """Define an indicator or record its values: coordinators, and the focal points of its agency."""
    if is_coordinator(user):
        return True
    agency = indicator.organization_id if indicator is not None else organization_id
    return _active(user) and agency is not None and user.reports_for(agency)


def my_assignments(user) -> QuerySet:
    """The assignments of the agencies ``user`` reports for (focal points' work)."""
    from hrtrack.accounts.models import Role

    if not _active(user):
        return Assignment.objects.none()
    return Assignment.objects.of_agencies(user.agency_ids(Role.FOCAL_POINT))


def reports_to_validate(user) -> QuerySet:
    """Submitted reports of the agencies ``user`` validates for."""
    from hrtrack.accounts.models import Role

    if not _active(user):
        return ProgressReport.objects.none()
    return ProgressReport.objects.waiting().filter(
        assignment__organization_id__in=user.agency_ids(Role.VALIDATOR))

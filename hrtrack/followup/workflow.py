"""The steps of the follow-up, each checked against :mod:`.rules` and saved with who did it:
assigning items, a report's way from draft to validated (or returned and corrected), evidence,
indicator values, deadlines.

Two people editing one report or assignment: every form carries the ``version`` it was loaded
at, and :func:`save_versioned` refuses a save over a newer version with :class:`Conflict`, which
says what changed in between, by whom; nothing is overwritten silently.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from hrtrack.lib.files import stored_upload
from hrtrack.lib.history import HISTORY_TYPES, SKIPPED_FIELDS, shown_value
from hrtrack.recommendations.changes import record as record_change

from . import rules
from .models import Assignment, Deadline, Evidence, IndicatorValue, ProgressReport, ReportingCycle


class NotAllowed(PermissionDenied):
    """The person may not take this step (the message says why)."""


@dataclass
class Conflict(Exception):
    """Someone saved the object after the version a form was loaded at."""

    obj: object
    changes: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        return _("Someone else saved this in the meantime; nothing of yours was saved. Here is what changed.")


def changes_since(obj, version: int) -> list[dict]:
    """What changed on ``obj`` after ``version``: each field with its value then and now, and
    who saved it last and when (from its history)."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    base = next((r for r in reversed(records) if r.version == version), None)
    newer = [r for r in records if r.version > version]
    if not newer:
        return []
    latest = newer[-1]
    changes = []
    if base is not None:
        for change in latest.diff_against(base, foreign_keys_are_objs=True).changes:
            if change.field in SKIPPED_FIELDS:
                continue
            model_field = model._meta.get_field(change.field)
            changes.append({"field": str(model_field.verbose_name), "name": change.field,
                            "then": shown_value(model_field, change.old), "now": shown_value(model_field, change.new)})
    user = latest.history_user
    return [{**c, "by": user.get_username() if user else None, "at": latest.history_date} for c in changes] or [
        {"field": str(HISTORY_TYPES.get(latest.history_type, "")), "name": "", "then": "", "now": "",
         "by": user.get_username() if user else None, "at": latest.history_date}]


def _locked_at(obj, version):
    """``obj`` read again and locked for this transaction, if it is still at ``version``;
    otherwise :class:`Conflict` with what changed since."""
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    if version is None or int(version) != fresh.version:
        raise Conflict(fresh, changes_since(fresh, int(version or 0)))
    return fresh


def save_versioned(obj, version, user, **values):
    """Set ``values`` on ``obj`` and save it, as ``user``, if nobody saved it since ``version``;
    otherwise raise :class:`Conflict` and save nothing. Returns the saved object."""
    with transaction.atomic():
        fresh = _locked_at(obj, version)
        for name, value in values.items():
            setattr(fresh, name, value)
        fresh.version += 1
        fresh._history_user = user
        fresh.save()
        _item_changed(fresh)
    return fresh


def _item_changed(obj) -> None:
    """Tell the items-changed path (search documents, the catalog) that the item's follow-up moved:
    an assignment's change, or a report's that the search reads (:attr:`ProgressReport.ever_validated`)."""
    if isinstance(obj, ProgressReport) and not obj.ever_validated:
        return
    item_id = getattr(obj, "recommendation_id", None) or obj.assignment.recommendation_id
    record_change([item_id], content=False)


# Assignments --------------------------------------------------------------------------------


@dataclass
class AssignResult:
    created: int = 0
    already: int = 0
    changed: int = 0


def assign(items, organizations, role, user, note: str = "") -> AssignResult:
    """Give every item of ``items`` (a queryset or ids) to each of ``organizations`` as ``role``.
    An item already given to one of them keeps its assignment (its role is set to ``role``).
    Only coordinators assign; every assignment is on the item's timeline."""
    if not rules.can_assign(user):
        raise NotAllowed(_("Only coordinators and administrators assign items to agencies."))
    item_ids = list(items.values_list("pk", flat=True)) if hasattr(items, "values_list") else list(items)
    result = AssignResult()
    with transaction.atomic():
        for organization in organizations:
            existing = {a.recommendation_id: a for a in Assignment.objects.filter(
                organization=organization, recommendation_id__in=item_ids)}
            new = [Assignment(recommendation_id=item_id, organization=organization, role=role, assigned_by=user,
                              note=note) for item_id in item_ids if item_id not in existing]
            # In bulk, with a history row each: a list of thousands assigns in seconds, not minutes.
            bulk_create_with_history(new, Assignment, batch_size=500, default_user=user)
            result.created += len(new)
            for assignment in existing.values():
                if assignment.role != role:
                    assignment.role = role
                    assignment.version += 1
                    assignment._history_user = user
                    assignment.save()
                    result.changed += 1
                else:
                    result.already += 1
        record_change(item_ids, content=False)
    return result


def end_assignment(assignment: Assignment, user, version) -> None:
    """Remove an assignment (and its reports) if nobody changed it since ``version``."""
    if not rules.can_assign(user):
        raise NotAllowed(_("Only coordinators and administrators change assignments."))
    with transaction.atomic():
        fresh = _locked_at(assignment, version)
        fresh._history_user = user
        item_id = fresh.recommendation_id
        fresh.delete()
        record_change([item_id], content=False)


# Reports ------------------------------------------------------------------------------------


def start_report(assignment: Assignment, user, **values) -> ProgressReport:
    """A new draft report on ``assignment`` by one of its agency's focal points."""
    if not rules.can_report_on(user, assignment):
        raise NotAllowed(_("Only the agency's focal points report on its assignments."))
    report = ProgressReport(assignment=assignment, created_by=user, **values)
    report._history_user = user
    report.full_clean(exclude=["assignment"])
    with transaction.atomic():
        report.save()
        _item_changed(report)
    return report


def edit_report(report: ProgressReport, user, version, **values) -> ProgressReport:
    if not rules.can_edit_report(user, report):
        raise NotAllowed(_("Only the agency's focal points change its draft or returned reports."))
    return save_versioned(report, version, user, **values)


def submit(report: ProgressReport, user, version) -> ProgressReport:
    """Send a draft or a corrected returned report to the agency's validators."""
    if not rules.can_edit_report(user, report):
        raise NotAllowed(_("Only the agency's focal points submit its draft or returned reports."))
    if not report.narrative.strip() and not report.evidence.exists():
        from django.core.exceptions import ValidationError

        raise ValidationError({"narrative": _("Say what was done, or add evidence, before the report goes to the "
                                              "validators.")})
    return save_versioned(report, version, user, state=ProgressReport.State.SUBMITTED,
                          submitted_by=user, submitted_at=timezone.now())


def validate(report: ProgressReport, user, version) -> ProgressReport:
    """Approve a submitted report: from now on it counts towards its item's status and is public."""
    if not rules.can_validate(user, report):
        raise NotAllowed(_("Only the agency's validators validate its submitted reports."))
    return save_versioned(report, version, user, state=ProgressReport.State.VALIDATED,
                          validated_by=user, validated_at=timezone.now())


def return_report(report: ProgressReport, user, version, reason: str) -> ProgressReport:
    """Send a submitted report back to its focal points with ``reason`` (required)."""
    if not rules.can_validate(user, report):
        raise NotAllowed(_("Only the agency's validators return its submitted reports."))
    reason = (reason or "").strip()
    if not reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Say why the report goes back: its focal points will read it.")})
    return save_versioned(report, version, user, state=ProgressReport.State.RETURNED,
                          returned_by=user, returned_at=timezone.now(), return_reason=reason)


# Evidence and indicator values ----------------------------------------------------------------


def add_evidence(report: ProgressReport, user, *, description: str, upload=None, url: str = "") -> Evidence:
    """Attach a file (already checked by :func:`hrtrack.lib.files.check_upload`) or a link. If
    saving fails, the stored file is deleted again: a failed upload leaves nothing behind."""
    if not rules.can_edit_report(user, report):
        raise NotAllowed(_("Only the agency's focal points add evidence to its draft or returned reports."))
    evidence = Evidence(report=report, description=description, url=url, uploaded_by=user)
    evidence._history_user = user
    with stored_upload(evidence, upload), transaction.atomic():
        evidence.full_clean(exclude=["report", "file"])
        evidence.save()
        _item_changed(report)
    return evidence


def remove_evidence(evidence: Evidence, user) -> None:
    if not rules.can_edit_report(user, evidence.report):
        raise NotAllowed(_("Only the agency's focal points remove evidence from its draft or returned reports."))
    name = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage
    with transaction.atomic():
        evidence._history_user = user
        evidence.delete()
        _item_changed(evidence.report)
    if name:
        storage.delete(name)


def record_value(indicator, user, *, observed_on, value, report: ProgressReport | None = None,
                 source: str = "") -> IndicatorValue:
    """An indicator's value on a date (one per day: a second replaces the first)."""
    if not rules.can_edit_indicator(user, indicator):
        raise NotAllowed(_("Only coordinators and the indicator's agency's focal points record its values."))
    with transaction.atomic():
        row = IndicatorValue.objects.filter(indicator=indicator, observed_on=observed_on).first() or IndicatorValue(
            indicator=indicator, observed_on=observed_on)
        row.value, row.report, row.source = value, report, source
        row._history_user = user
        row.save()
        record_change(indicator.recommendations.values_list("pk", flat=True), content=False)
    return row


# Deadlines ----------------------------------------------------------------------------------


def open_cycle(user, *, title, kind, due_on, assignments, series=None, remind_days_before=14) -> ReportingCycle:
    """A reporting cycle with a deadline for each of ``assignments`` (one per assignment)."""
    if not rules.can_assign(user):
        raise NotAllowed(_("Only coordinators and administrators set reporting cycles."))
    with transaction.atomic():
        cycle = ReportingCycle(title=title, kind=kind, due_on=due_on, series=series,
                               remind_days_before=remind_days_before, created_by=user)
        cycle._history_user = user
        cycle.save()
        for assignment in assignments:
            deadline = Deadline(title=title, due_on=due_on, cycle=cycle, assignment=assignment,
                                recommendation_id=assignment.recommendation_id, remind_days_before=remind_days_before)
            deadline._history_user = user
            try:
                with transaction.atomic():
                    deadline.save()
            except IntegrityError:  # the assignment has this cycle's deadline already
                continue
            record_change([assignment.recommendation_id], content=False)
    return cycle


def set_deadline(user, *, item, title, due_on, kind=Deadline.Kind.REPORT, assignment=None,
                 remind_days_before=14) -> Deadline:
    if not rules.can_assign(user):
        raise NotAllowed(_("Only coordinators and administrators set deadlines."))
    deadline = Deadline(title=title, due_on=due_on, kind=kind, assignment=assignment, recommendation=item,
                        remind_days_before=remind_days_before)
    deadline._history_user = user
    with transaction.atomic():
        deadline.save()
        record_change([item.pk], content=False)
    return deadline


# Agencies' people ---------------------------------------------------------------------------


def add_member(organization, person, role, user):
    """Make ``person`` a focal point or a validator (``role``) of ``organization``. Only
    coordinators name agencies' people; a role the person holds there already is refused."""
    from django.core.exceptions import ValidationError

    from hrtrack.accounts.models import Membership, Role

    if not rules.can_manage_agencies(user):
        raise NotAllowed(_("Only coordinators and administrators name agencies' focal points and validators."))
    if Membership.objects.filter(user=person, organization=organization, role=role).exists():
        raise ValidationError({"username": _("%(person)s is already %(role)s of this agency.") % {
            "person": person.get_username(), "role": str(Role(role).label).lower()}})
    membership = Membership(user=person, organization=organization, role=role, added_by=user)
    membership._history_user = user
    membership.full_clean(exclude=["user", "organization", "added_by"])
    membership.save()
    return membership


def remove_member(membership, user) -> None:
    """Take a person's role in an agency away (only coordinators)."""
    if not rules.can_manage_agencies(user):
        raise NotAllowed(_("Only coordinators and administrators name agencies' focal points and validators."))
    membership._history_user = user
    membership.delete()

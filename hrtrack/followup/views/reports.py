"""Assignments, progress reports from draft to validated, and their evidence files.

- ``/assignments/<id>/``: the item, the agency's role, the note, the reports the viewer may read,
  the deadlines with their computed state; a coordinator changes or ends the assignment there,
  a focal point of the agency writes a report.
- ``/assignments/<id>/reports/new/`` and ``/reports/<id>/edit/``: a report's fields, its
  evidence files and links, and values of the item's indicators.
- ``/reports/<id>/``: the report; its steps (submit, validate, return with a reason) as forms
  that carry the version the person saw.
- ``/reports/<id>/evidence/<eid>/``: an evidence file, behind the report's own permission check.

Every page has its JSON twin (the same path plus ``.json``; see :mod:`.common`). Who may do
what is asked of :mod:`..rules` and every change is a step of :mod:`..workflow`. A step taken
on a version someone else has saved over is a conflict: the page shows the form again with
the person's input and a table of what changed in between; the twin answers 409.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hrtrack.lib.history import history_entries
from hrtrack.lib.uploads import limit_uploads
from hrtrack.lib.web import absolute, json_error

from .. import publication, rules, workflow
from ..forms import AssignmentEditForm, ReportForm, ReturnForm, VersionForm
from ..models import Deadline, Evidence, ProgressReport
from ..restricted import withhold_for
from ..workflow import Conflict
from .common import (
    REPORT_JSON_RELATED,
    REPORT_RELATED,
    assignment_or_404,
    payload,
    report_or_404,
    require,
    twin,
    twins,
)

ASSIGN_REFUSED = gettext_lazy("Only coordinators and administrators change assignments.")


def _invalid(form) -> ValidationError:
    """A form's errors as the JSON twins answer them (400, each field's messages)."""
    return ValidationError(form.errors.as_data())


def _post_only():
    return json_error(_("Send this with POST."), 405)


def _with_version(form, version: int):
    """The person's own input, with the version now saved: what they see after a conflict, so
    that saving again is a decision taken on what changed, never a silent overwrite."""
    data = form.data.copy()
    data["version"] = str(version)
    return data


def _check_step(user, report: ProgressReport, version, allowed, refusal) -> None:
    """Refuse the step unless ``allowed(user, report)``; but a step the person was allowed to
    take on the version they saw, which someone has saved over since, is a :class:`Conflict`
    (what changed, and by whom), not a refusal: a colleague returned the report meanwhile."""
    if version is not None and version != report.version:
        seen = report.history.filter(version=version).first()
        if seen is not None and allowed(user, seen.instance):
            raise Conflict(report, workflow.changes_since(report, version))
    require(allowed(user, report), refusal)


# Assignments --------------------------------------------------------------------------------


def _deadlines(assignment):
    """The assignment's deadlines, and its item's own (a commitment's date), with their state."""
    return (Deadline.objects.filter(Q(assignment=assignment)
                                    | Q(assignment__isnull=True, recommendation_id=assignment.recommendation_id))
            .with_state().order_by("due_on", "pk"))


def _reports_of(user, assignment):
    return (rules.visible_reports(user, assignment.reports.all())
            .select_related("assignment__organization", "assignment__recommendation", "submitted_by", "validated_by",
                            "returned_by", "created_by")
            .prefetch_related("evidence", "indicator_values").order_by("-created_at", "-pk"))


def _assignment_json(request, assignment) -> dict:
    latest = assignment.latest_validated()
    assignment.latest_status = latest.status if latest else None
    reports = list(_reports_of(request.user, assignment))
    withhold_for(request.user, items=[assignment.recommendation], reports=reports,
                 narratives=lambda report: not rules.can_edit_report(request.user, report))
    return {
        **assignment.as_json(absolute(request)),
        "item_url": absolute(request)(assignment.recommendation.get_absolute_url()),
        "item_text": assignment.recommendation.text,
        "reports": [report.as_json(absolute(request)) for report in reports],
        "deadlines": [deadline.as_json() for deadline in _deadlines(assignment)],
    }


def _assignment_page(request, assignment, *, edit_form=None, end_form=None, conflict=None, status=200):
    user = request.user
    reports = list(_reports_of(user, assignment))
    withhold_for(user, items=[assignment.recommendation], reports=reports,
                 changes=conflict.changes if conflict else ())
    return render(request, "followup/assignment_detail.html", {
        "assignment": assignment, "item": assignment.recommendation, "latest": assignment.latest_validated(),
        "reports": reports, "deadlines": _deadlines(assignment),
        "can_report": rules.can_report_on(user, assignment), "can_assign": rules.can_assign(user),
        "edit_form": edit_form or AssignmentEditForm(initial={
            "version": assignment.version, "role": assignment.role, "note": assignment.note}),
        "end_form": end_form or VersionForm(initial={"version": assignment.version}),
        "conflict": conflict,
    }, status=status)


@twin
def assignment_detail(request, pk, as_json=False):
    assignment = assignment_or_404(pk)
    if as_json:
        return JsonResponse(_assignment_json(request, assignment))
    return _assignment_page(request, assignment)


@twin
@require_POST
def assignment_edit(request, pk, as_json=False):
    """A coordinator changes the agency's role or the note, on the version they saw."""
    assignment = assignment_or_404(pk)
    require(rules.can_assign(request.user), ASSIGN_REFUSED)
    form = AssignmentEditForm(payload(request))
    if not form.is_valid():
        if as_json:
            raise _invalid(form)
        return _assignment_page(request, assignment, edit_form=form, status=400)
    try:
        saved = workflow.save_versioned(assignment, form.cleaned_data["version"], request.user,
                                        role=form.cleaned_data["role"], note=form.cleaned_data["note"])
    except Conflict as conflict:
        if as_json:
            raise
        fresh = assignment_or_404(pk)
        return _assignment_page(request, fresh, edit_form=AssignmentEditForm(_with_version(form, fresh.version)),
                                conflict=conflict, status=409)
    saved = assignment_or_404(saved.pk)
    if as_json:
        return JsonResponse(_assignment_json(request, saved))
    messages.success(request, _("The assignment was saved."))
    return redirect(saved)


@twin
@require_POST
def assignment_end(request, pk, as_json=False):
    """A coordinator ends the assignment: it goes, with its reports and their evidence."""
    assignment = assignment_or_404(pk)
    require(rules.can_assign(request.user), ASSIGN_REFUSED)
    form = VersionForm(payload(request))
    if not form.is_valid():
        if as_json:
            raise _invalid(form)
        return _assignment_page(request, assignment, end_form=form, status=400)
    ended = _assignment_json(request, assignment)
    files = [(e.file.storage, e.file.name)
             for e in Evidence.objects.filter(report__assignment=assignment).exclude(file="")]
    try:
        workflow.end_assignment(assignment, request.user, form.cleaned_data["version"])
    except Conflict as conflict:
        if as_json:
            raise
        fresh = assignment_or_404(pk)
        return _assignment_page(request, fresh, conflict=conflict, status=409)
    # The evidence rows went with the reports; their files must not stay behind in storage.
    for storage, name in files:
        storage.delete(name)
    if as_json:
        return JsonResponse({**ended, "ended": True})
    messages.success(request, _("The assignment of %(agency)s was ended.") % {"agency": assignment.organization})
    return redirect(assignment.recommendation)


# Reports ------------------------------------------------------------------------------------


def _save_report(user, form: ReportForm, *, assignment, report=None) -> ProgressReport:
    """The report (new, or ``report`` changed at the form's version) with its new evidence and
    indicator values, all or nothing: a step that fails undoes the others, and the files
    already stored for this save are deleted again."""
    stored = []
    try:
        with transaction.atomic():
            if report is None:
                report = workflow.start_report(assignment, user, **form.report_values())
            else:
                report = workflow.edit_report(report, user, form.cleaned_data["version"], **form.report_values())
            for upload in form.cleaned_data["evidence_files"]:
                evidence = workflow.add_evidence(report, user, description=Path(upload.name).name[:500],
                                                 upload=upload)
                stored.append((evidence.file.storage, evidence.file.name))
            for address, description in form.cleaned_data["evidence_links"]:
                workflow.add_evidence(report, user, description=description, url=address)
            for indicator, value in form.indicator_values():
                workflow.record_value(indicator, user, observed_on=form.observed_on_date(), value=value,
                                      report=report)
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    return report


def _report_json(request, report) -> dict:
    user = request.user
    actions = []
    if rules.can_edit_report(user, report):
        actions += ["edit", "submit"]
    if rules.can_validate(user, report):
        actions += ["validate", "return"]
    # Whoever may still change the narrative reads it as written (see hrtrack.followup.restricted).
    withhold_for(user, reports=[report], narratives="edit" not in actions)
    return {**report.as_json(absolute(request)), "actions": actions,
            "assignment_url": absolute(request)(report.assignment.get_absolute_url())}


def _report_page(request, report, *, return_form=None, conflict=None, errors=(), status=200):
    user = request.user
    can_edit, can_validate = rules.can_edit_report(user, report), rules.can_validate(user, report)
    kept = return_form is not None and can_validate
    history = history_entries(report)
    withhold_for(user, reports=[report], history=history, changes=conflict.changes if conflict else (),
                 narratives=not can_edit)
    return render(request, "followup/report_detail.html", {
        "report": report, "assignment": report.assignment, "item": report.assignment.recommendation,
        "evidence": report.evidence.order_by("pk"),
        "indicator_values": report.indicator_values.select_related("indicator"),
        "can_edit": can_edit, "can_validate": can_validate,
        "return_form": return_form or ReturnForm(initial={"version": report.version}),
        "history": history, "conflict": conflict, "errors": errors,
        "conflict_next": "form" if kept else "steps" if can_edit or can_validate else "none",
    }, status=status)


def _report_form_page(request, form, *, assignment, report=None, conflict=None, status=200):
    # The narrative is not withheld here: its agency's focal points edit it, and a field shown
    # withheld would save "[…]" over the name (see hrtrack.followup.restricted); the rest is.
    withhold_for(request.user, items=[assignment.recommendation], reports=[report] if report else [],
                 changes=conflict.changes if conflict else (), narratives=False)
    return render(request, "followup/report_form.html", {
        "form": form, "assignment": assignment, "item": assignment.recommendation, "report": report,
        "evidence": report.evidence.order_by("pk") if report else [], "conflict": conflict,
    }, status=status)


#: Evidence files are refused as they arrive past their limit, before they fill the disk.
evidence_uploads = limit_uploads(lambda _name: settings.EVIDENCE_MAX_BYTES)


@evidence_uploads
@twin
def report_new(request, pk, as_json=False):
    """A focal point of the agency writes a new report (a draft) on the assignment."""
    assignment = assignment_or_404(pk)
    if as_json and request.method != "POST":
        return _post_only()
    user = request.user
    require(rules.can_report_on(user, assignment), _("Only the agency's focal points report on its assignments."))
    if request.method != "POST":
        return _report_form_page(request, ReportForm(assignment=assignment, user=user), assignment=assignment)
    form = ReportForm(payload(request), request.FILES, assignment=assignment, user=user)
    if not form.is_valid():
        if as_json:
            raise _invalid(form)
        return _report_form_page(request, form, assignment=assignment, status=400)
    report = _save_report(user, form, assignment=assignment)  # on the assignment read above, with its agency and item
    if as_json:
        return JsonResponse(_report_json(request, report), status=201)
    messages.success(request, _("Your report was saved as a draft. Submit it when it is ready for validation."))
    return redirect(report)


@twin
def report_detail(request, pk, as_json=False):
    report = report_or_404(request.user, pk)
    if as_json:
        return JsonResponse(_report_json(request, report))
    return _report_page(request, report)


def _edit_refusal(report):
    if report.state == ProgressReport.State.VALIDATED:
        return _("This report is validated: it can no longer be changed.")
    if not report.editable:
        return _("This report is submitted for validation: it can be changed again only if it is returned.")
    return _("Only the agency's focal points change its draft or returned reports.")


@evidence_uploads
@twin
def report_edit(request, pk, as_json=False):
    """A focal point corrects a draft or a returned report (the reason it was returned beside it)."""
    # A JSON save answers with the report alone: who submitted, validated or returned it is not read
    # with it (three joins of every column of a person; a conflict reads who saved from the history).
    report = report_or_404(request.user, pk, REPORT_JSON_RELATED if as_json and request.method == "POST"
                           else REPORT_RELATED)
    if as_json and request.method != "POST":
        return _post_only()
    user, assignment = request.user, report.assignment
    if request.method != "POST":
        require(rules.can_edit_report(user, report), _edit_refusal(report))
        return _report_form_page(request, ReportForm(assignment=assignment, user=user, report=report),
                                 assignment=assignment, report=report)
    data = payload(request)
    form = ReportForm(data, request.FILES, assignment=assignment, user=user, report=report)
    try:
        _check_step(user, report, VersionForm(data).cleaned_version(), rules.can_edit_report, _edit_refusal(report))
        if not form.is_valid():
            if as_json:
                raise _invalid(form)
            return _report_form_page(request, form, assignment=assignment, report=report, status=400)
        saved = _save_report(user, form, assignment=assignment, report=report)
    except Conflict as conflict:
        if as_json:
            raise
        fresh = report_or_404(user, pk)
        kept = ReportForm(_with_version(form, fresh.version), assignment=assignment, user=user, report=fresh)
        return _report_form_page(request, kept, assignment=assignment, report=fresh, conflict=conflict, status=409)
    # Its author reads it as saved (an edit changes neither its assignment nor who may read it), with the
    # assignment, agency and item already read rather than read again.
    saved.assignment = assignment
    report = saved
    if as_json:
        return JsonResponse(_report_json(request, report))
    messages.success(request, _("Your changes were saved."))
    return redirect(report)


def _step(request, pk, as_json, *, allowed, refusal, take, done, form_class=VersionForm):
    """A step on a report from its page (submit, validate, return): the version checked, the
    step taken by ``take(report, user, cleaned_data)``, the page shown again on a problem with
    what the person typed (a return's reason) kept."""
    report = report_or_404(request.user, pk)
    user = request.user
    form = form_class(payload(request))
    kept = (lambda f: {"return_form": f}) if form_class is ReturnForm else (lambda f: {})
    try:
        _check_step(user, report, VersionForm(form.data).cleaned_version(), allowed, refusal)
        if not form.is_valid():
            if as_json:
                raise _invalid(form)
            shown_beside_fields = form_class is ReturnForm
            problems = [] if shown_beside_fields else [m for ms in form.errors.values() for m in ms]
            return _report_page(request, report, status=400, errors=problems, **kept(form))
        try:
            report = take(report, user, form.cleaned_data)
        except ValidationError as error:
            if as_json:
                raise
            return _report_page(request, report, status=400, errors=error.messages, **kept(form))
    except Conflict as conflict:
        if as_json:
            raise
        fresh = report_or_404(user, pk)
        return _report_page(request, fresh, conflict=conflict, status=409,
                            **kept(form_class(_with_version(form, fresh.version))))
    report = report_or_404(user, report.pk)
    if as_json:
        return JsonResponse(_report_json(request, report))
    messages.success(request, done)
    return redirect(report)


@twin
@require_POST
def report_submit(request, pk, as_json=False):
    return _step(request, pk, as_json, allowed=rules.can_edit_report,
                 refusal=_("Only the agency's focal points submit its draft or returned reports."),
                 take=lambda report, user, data: workflow.submit(report, user, data["version"]),
                 done=_("The report was submitted: the agency's validators will review it."))


@twin
@require_POST
def report_validate(request, pk, as_json=False):
    return _step(request, pk, as_json, allowed=rules.can_validate,
                 refusal=_("Only the agency's validators validate its submitted reports."),
                 take=lambda report, user, data: workflow.validate(report, user, data["version"]),
                 done=_("The report was validated: it now counts towards the item's status and is public."))


@twin
@require_POST
def report_return(request, pk, as_json=False):
    return _step(request, pk, as_json, allowed=rules.can_validate, form_class=ReturnForm,
                 refusal=_("Only the agency's validators return its submitted reports."),
                 take=lambda report, user, data: workflow.return_report(report, user, data["version"], data["reason"]),
                 done=_("The report was returned to its focal points with your reason."))


# Evidence -----------------------------------------------------------------------------------


def evidence(request, pk, eid):
    """An evidence file, to whoever may read its report (a 404 for anyone else, as if there
    were none), as a download: never shown in the site's own pages, whatever it contains.
    The public (anonymous visitors, contributors) get published evidence of public reports only."""
    if publication.sees_unpublished(request.user):
        report = report_or_404(request.user, pk)
        files = Evidence.objects.filter(report=report)
    else:
        files = publication.public_evidence().filter(report_id=pk)
    item = files.filter(pk=eid).exclude(file="").first()
    if item is None:
        raise Http404(_("This report has no such evidence file."))
    try:
        handle = item.file.storage.open(item.file.name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("The file is missing from storage.")) from error
    response = FileResponse(handle, as_attachment=True, filename=item.file_name or Path(item.file.name).name,
                            content_type=item.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private" if publication.sees_unpublished(request.user) else "public, max-age=300"
    return response


@twin
@require_POST
def evidence_remove(request, pk, eid, as_json=False):
    report = report_or_404(request.user, pk)
    item = Evidence.objects.filter(report=report, pk=eid).first()
    if item is None:
        raise Http404(_("This report has no such evidence."))
    require(rules.can_edit_report(request.user, report), _edit_refusal(report))
    workflow.remove_evidence(item, request.user)
    if as_json:
        return JsonResponse(_report_json(request, report_or_404(request.user, pk)))
    messages.success(request, _("The evidence “%(description)s” was removed.") % {"description": item.description})
    return redirect("followup:report_edit", pk=report.pk)


urlpatterns = [
    *twins("assignments/<id:pk>/", assignment_detail, "assignment"),
    *twins("assignments/<id:pk>/edit/", assignment_edit, "assignment_edit"),
    *twins("assignments/<id:pk>/end/", assignment_end, "assignment_end"),
    *twins("assignments/<id:pk>/reports/new/", report_new, "report_new"),
    *twins("reports/<id:pk>/", report_detail, "report"),
    *twins("reports/<id:pk>/edit/", report_edit, "report_edit"),
    *twins("reports/<id:pk>/submit/", report_submit, "report_submit"),
    *twins("reports/<id:pk>/validate/", report_validate, "report_validate"),
    *twins("reports/<id:pk>/return/", report_return, "report_return"),
    path("reports/<id:pk>/evidence/<id:eid>/", evidence, name="evidence"),
    *twins("reports/<id:pk>/evidence/<id:eid>/remove/", evidence_remove, "evidence_remove"),
]

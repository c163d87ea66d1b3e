"""Assigning items to agencies and the agencies' people, each page with its JSON twin.

- ``POST /recommendations/<id>/assign/``: one item to one or more agencies, as lead or support
  (the item page's form, a suggestion accepted, a commitment on its dialogue's page);
- ``POST /assignments/bulk/``: every item a list's filters select (not only the page shown), with
  the list's own filter parameters (:func:`hrtrack.recommendations.filters.item_filters`). With
  no filter at all it assigns nothing unless ``confirm_all`` says to take every item; a filter
  that cannot be applied is refused rather than ignored, since ignoring it would assign more;
- ``POST /recommendations/<id>/deadlines/``: a deadline on the item (or one of its assignments);
- ``/agencies/`` and ``/agencies/<id>/``: our state's agencies, their focal points, validators
  and assignments, readable by every staff member; coordinators add and remove people.

Coordinators and administrators act (:mod:`..rules`); everyone else is refused with 403 and
nothing changes. A page's form that fails comes back to the page it was sent from with the
reason; its JSON twin answers 400 with the fields' problems.
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.accounts.models import AGENCY_ROLES, Membership, Role, User
from hrtrack.directory.models import Organization, our_state
from hrtrack.lib.text import fold
from hrtrack.lib.web import BoundedIntegerField, IdListField, absolute, json_error, page_json, paginate
from hrtrack.recommendations.filters import ItemFilterSet, current_state, item_filters
from hrtrack.recommendations.forms import ListDisplayForm
from hrtrack.recommendations.models import Recommendation

from .. import publication, rules, workflow
from ..models import Assignment, Deadline, ImplementationStatus
from ..restricted import withhold_for
from ..suggest import state_agencies
from ..summary import describe_result, labelled
from .common import payload, public_twin, require, twin, twins, validation_errors

#: A bulk assignment takes at most this many items at once: past it, narrow the filters.
BULK_LIMIT = 5000

#: Filters that choose where to look rather than what: with none of the others, a bulk assignment
#: takes every item there is and must be confirmed.
NOT_NARROWING = ("scope",)

ASSIGN_REFUSED = gettext_lazy("Only coordinators and administrators assign items to agencies.")
DEADLINE_REFUSED = gettext_lazy("Only coordinators and administrators set deadlines.")
MEMBERS_REFUSED = gettext_lazy("Only coordinators and administrators name agencies' focal points and validators.")


# Forms ----------------------------------------------------------------------------------------


class AssignForm(forms.Form):
    """Which of our state's agencies get the item(s), as what, and what the coordinator expects."""

    agencies = IdListField(label=gettext_lazy("Agencies"),
                           error_messages={"required": gettext_lazy("Choose at least one agency.")})
    role = forms.ChoiceField(label=gettext_lazy("As"), choices=Assignment.Role.choices, required=False)
    note = forms.CharField(label=gettext_lazy("Note for the agency"), required=False, max_length=2000)

    def clean_agencies(self) -> list[Organization]:
        ids = list(dict.fromkeys(self.cleaned_data["agencies"]))
        found = Organization.objects.agencies(current_state()).in_bulk(ids)
        unknown = [str(pk) for pk in ids if pk not in found]
        if unknown:
            raise ValidationError(_("Not one of our state's agencies: %(ids)s.") % {"ids": ", ".join(unknown)})
        return [found[pk] for pk in ids]

    def clean_role(self) -> str:
        return self.cleaned_data["role"] or Assignment.Role.LEAD


class BulkAssignForm(AssignForm):
    confirm_all = forms.BooleanField(label=gettext_lazy("Yes, every item"), required=False)


class DeadlineForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What is due"), max_length=300)
    due_on = forms.DateField(label=gettext_lazy("Due on"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Deadline.Kind.choices, required=False)
    assignment = BoundedIntegerField(label=gettext_lazy("For the agency"), required=False, min_value=1)
    remind_days_before = forms.IntegerField(label=gettext_lazy("Remind days before"), required=False,
                                            min_value=0, max_value=365)

    def __init__(self, *args, item: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item

    def clean_assignment(self) -> Assignment | None:
        pk = self.cleaned_data["assignment"]
        if pk is None:
            return None
        assignment = Assignment.objects.filter(pk=pk, recommendation=self.item).first()
        if assignment is None:
            raise ValidationError(_("This item has no assignment %(pk)s.") % {"pk": pk})
        return assignment


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[(r.value, r.label) for r in AGENCY_ROLES])

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        person = User.objects.filter(username=username).first()
        if person is None:
            raise ValidationError(_("Nobody signs in as “%(username)s”.") % {"username": username})
        if not person.is_active:
            raise ValidationError(_("%(username)s can no longer sign in.") % {"username": username})
        if not person.is_staff_member:
            raise ValidationError(_("%(username)s is a civil-society contributor and cannot act for an agency.")
                                  % {"username": username})
        return person


# Answers --------------------------------------------------------------------------------------


def _errors(form: forms.Form) -> dict:
    return {name: [str(message) for message in errors] for name, errors in form.errors.items()}


def _post_only(request: HttpRequest, as_json: bool) -> HttpResponse | None:
    if request.method == "POST":
        return None
    if as_json:
        return json_error(_("Send this with POST."), 405)
    return HttpResponseNotAllowed(["POST"])


def _back(request: HttpRequest, default: str) -> str:
    """Where a page's form goes back to: its ``next`` field, if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _refused(request: HttpRequest, as_json: bool, errors: dict, back: str, message=None) -> HttpResponse:
    """Bad input: nothing was saved. The twin answers 400 with the fields; a page goes back with
    the reason."""
    message = str(message or _("Nothing was saved."))
    if as_json:
        return json_error(message, 400, fields=errors)
    details = [m for name, problems in errors.items() for m in problems]
    messages.error(request, " ".join([message, *details]))
    return redirect(back)


def _item_or_404(pk: int) -> Recommendation:
    item = Recommendation.objects.filter(pk=pk).first()
    if item is None:
        raise Http404(_("There is no recommendation with the id %(pk)s.") % {"pk": pk})
    return item


# Assigning ------------------------------------------------------------------------------------


@twin
def assign_item(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    """One item to one or more agencies; an agency that has it already keeps it, with the role given."""
    if refusal := _post_only(request, as_json):
        return refusal
    require(rules.can_assign(request.user), ASSIGN_REFUSED)
    item = _item_or_404(pk)
    back = _back(request, item.get_absolute_url())
    form = AssignForm(payload(request))
    if not form.is_valid():
        return _refused(request, as_json, _errors(form), back, _("Nothing was assigned."))
    agencies = form.cleaned_data["agencies"]
    result = workflow.assign([item.pk], agencies, form.cleaned_data["role"], request.user,
                             note=form.cleaned_data["note"])
    if as_json:
        assignments = Assignment.objects.filter(recommendation=item).with_latest_status().select_related(
            "organization")
        return JsonResponse({"item": item.pk, "created": result.created, "already": result.already,
                             "changed": result.changed,
                             "assignments": [a.as_json(absolute(request)) for a in assignments]},
                            status=201 if result.created else 200)
    messages.success(request, describe_result(result, 1, agencies))
    return redirect(back)


def bulk_filter_params(params) -> QueryDict:
    """The item list's filter and display parameters among ``params``: what a bulk form carries
    and what takes a coordinator back to the same list."""
    kept = QueryDict(mutable=True)
    for name in [*ItemFilterSet.base_filters, *ListDisplayForm.base_fields]:
        values = [v for v in (params.getlist(name) if hasattr(params, "getlist") else [params.get(name)])
                  if v not in (None, "")]
        if values:
            kept.setlist(name, values)
    return kept


def narrowing_filters(filters: ItemFilterSet) -> list[str]:
    """The filters given a value (of a bound, valid filter set) that narrow the selection."""
    return [name for name, value in filters.form.cleaned_data.items()
            if name not in NOT_NARROWING and value not in (None, "", [], ())]


@twin
def assign_bulk(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    """Every item the list's filters select, to one or more agencies (see the module's docstring)."""
    if refusal := _post_only(request, as_json):
        return refusal
    require(rules.can_assign(request.user), ASSIGN_REFUSED)
    data = payload(request)
    kept = bulk_filter_params(data)
    back = f"{reverse('recommendations:recommendations')}?{kept.urlencode()}" if kept else reverse(
        "recommendations:recommendations")
    form = BulkAssignForm(data)
    filters = item_filters(data)
    errors = _errors(form) if not form.is_valid() else {}
    if not filters.form.is_valid():
        errors.update(_errors(filters.form))
        return _refused(request, as_json, errors, back, _(
            "Nothing was assigned: a filter cannot be applied, and leaving it out would assign more items "
            "than the list chose."))
    if not narrowing_filters(filters) and not form.cleaned_data.get("confirm_all"):
        errors["confirm_all"] = [_("No filter is given: this would assign every item. Choose filters, or "
                                   "confirm that every item is meant.")]
    if errors:
        return _refused(request, as_json, errors, back, _("Nothing was assigned."))
    ids = list(filters.qs.order_by().values_list("pk", flat=True)[:BULK_LIMIT + 1])
    if len(ids) > BULK_LIMIT:
        return _refused(request, as_json, {"__all__": [_(
            "These filters select more than %(limit)d items: narrow them to assign at most %(limit)d at once.")
            % {"limit": BULK_LIMIT}]}, back, _("Nothing was assigned."))
    agencies = form.cleaned_data["agencies"]
    result = workflow.assign(ids, agencies, form.cleaned_data["role"], request.user, note=form.cleaned_data["note"])
    if as_json:
        return JsonResponse({"items": len(ids), "created": result.created, "already": result.already,
                             "changed": result.changed, "role": form.cleaned_data["role"],
                             "agencies": [agency.as_json() for agency in agencies]},
                            status=201 if result.created else 200)
    if ids:
        messages.success(request, describe_result(result, len(ids), agencies))
    else:
        messages.warning(request, _("No item matches these filters: nothing was assigned."))
    return redirect(back)


@twin
def deadline_new(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    """A deadline on the item, or on one of its assignments (an agency's report)."""
    if refusal := _post_only(request, as_json):
        return refusal
    require(rules.can_assign(request.user), DEADLINE_REFUSED)
    item = _item_or_404(pk)
    back = _back(request, item.get_absolute_url() + "#deadlines")
    form = DeadlineForm(payload(request), item=item)
    if not form.is_valid():
        return _refused(request, as_json, _errors(form), back, _("No deadline was set."))
    data = form.cleaned_data
    remind = data["remind_days_before"]
    deadline = workflow.set_deadline(
        request.user, item=item, title=data["title"], due_on=data["due_on"], kind=data["kind"] or Deadline.Kind.REPORT,
        assignment=data["assignment"], remind_days_before=14 if remind is None else remind)
    if as_json:
        return JsonResponse(Deadline.objects.with_state().get(pk=deadline.pk).as_json(), status=201)
    messages.success(request, _("Deadline set: %(title)s, due on %(date)s.") % {
        "title": deadline.title, "date": deadline.due_on.isoformat()})
    return redirect(back)


# Agencies and their people --------------------------------------------------------------------


def agencies_to_choose() -> list[Organization]:
    """Our state's agencies for an assign form's boxes, in the reader's alphabetical order: by
    their Spanish names on Spanish pages, accents and quotes folded."""
    return sorted(state_agencies(), key=lambda agency: (fold(agency.label), agency.pk))


def _with_people(queryset):
    people = Membership.objects.select_related("user").order_by("role", "user__username")
    return queryset.prefetch_related(Prefetch("memberships", queryset=people))


def _agencies_with_people(state):
    """``state``'s agencies with their people and how many assignments they hold (none without a
    state). Three queries."""
    agencies = Organization.objects.agencies(state) if state is not None else Organization.objects.none()
    return _with_people(agencies.annotate(
        assignment_count=Count("assignments"),
        lead_count=Count("assignments", filter=Q(assignments__role=Assignment.Role.LEAD)),
    ).order_by("name", "pk"))


def _agency_or_404(pk: int) -> Organization:
    """One of our state's agencies, or an organization that still holds assignments or people
    (after the state was changed, say); any other organization is not an agency: 404."""
    held = Q(Exists(Assignment.objects.filter(organization=OuterRef("pk")))) | Q(
        Exists(Membership.objects.filter(organization=OuterRef("pk"))))
    queryset = Organization.objects.filter(Q(pk__in=Organization.objects.agencies(current_state()).values("pk")) | held)
    agency = _with_people(queryset).filter(pk=pk).first()
    if agency is None:
        raise Http404(_("There is no agency with the id %(pk)s.") % {"pk": pk})
    return agency


def _is_ours(agency: Organization) -> bool:
    return Organization.objects.agencies(current_state()).filter(pk=agency.pk).exists()


def member_json(membership: Membership) -> dict:
    person = membership.user
    return {"id": membership.pk, "username": person.get_username(), "name": person.get_full_name(),
            "role": membership.role}


def agency_json(agency: Organization, absolute_url) -> dict:
    """An agency with its people (and its counts, when annotated)."""
    members = list(agency.memberships.all())
    data = {**agency.as_json(), "url": absolute_url(agency.get_absolute_url()),
            "focal_points": [member_json(m) for m in members if m.role == Role.FOCAL_POINT],
            "validators": [member_json(m) for m in members if m.role == Role.VALIDATOR]}
    if hasattr(agency, "assignment_count"):
        data["assignments"] = {"total": agency.assignment_count, "lead": agency.lead_count,
                               "support": agency.assignment_count - agency.lead_count}
    return data


@twin
def agency_list(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    state = our_state()
    page = paginate(request, _agencies_with_people(state))
    if as_json:
        return page_json(request, page, [agency_json(agency, absolute(request)) for agency in page])
    return render(request, "followup/agency_list.html", {
        "page_obj": page, "can_manage": rules.can_manage_agencies(request.user), "state": state})


def agency_public(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    """An agency as the public sees it: its published items, each with its latest public status
    (a validated, published report), counts by status, and its latest public reports. No people,
    no unpublished item, no draft."""
    agency = _agency_or_404(pk)
    reports = publication.public_reports().filter(assignment__organization=agency)
    latest = reports.filter(assignment=OuterRef("pk")).order_by("-validated_at", "-pk")
    assignments = (Assignment.objects.filter(organization=agency, recommendation__published_at__isnull=False)
                   .annotate(latest_status=Subquery(latest.values("status")[:1]))
                   .select_related("recommendation").order_by("-created_at", "-pk"))
    labels = dict(ImplementationStatus.choices)
    counts = {}
    for status in assignments.values_list("latest_status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    by_status = [{"status": status, "label": labels.get(status, _("No public report yet")), "items": n}
                 for status, n in sorted(counts.items(), key=lambda pair: -pair[1])]
    page = paginate(request, assignments)
    latest_reports = list(reports.select_related("assignment__recommendation").order_by("-validated_at", "-pk")[:10])
    page.object_list = list(page.object_list)
    withhold_for(request.user, items=[a.recommendation for a in page.object_list], reports=latest_reports)
    if as_json:
        to_absolute = absolute(request)
        results = [{"item": a.recommendation.title, "item_url": to_absolute(a.recommendation.get_absolute_url()),
                    "role": a.role, "status": a.latest_status} for a in page]
        listing = json.loads(page_json(request, page, results).content)
        return JsonResponse({
            "agency": {"id": agency.pk, "name": agency.label, "url": to_absolute(agency.get_absolute_url())},
            "by_status": by_status, "items": listing,
            "reports": [{"item_url": to_absolute(r.assignment.recommendation.get_absolute_url()), "status": r.status,
                         "validated_at": r.validated_at.isoformat() if r.validated_at else None,
                         "narrative": r.narrative} for r in latest_reports],
        })
    for assignment in page.object_list:
        assignment.status_label = labels.get(assignment.latest_status) if assignment.latest_status else None
    return render(request, "followup/agency_public.html", {
        "agency": agency, "page_obj": page, "by_status": by_status, "reports": latest_reports,
        "total": sum(counts.values()),
    })


@public_twin(agency_public)
def agency_detail(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    agency = _agency_or_404(pk)
    assignments = (Assignment.objects.filter(organization=agency).with_latest_status()
                   .select_related("recommendation", "organization").order_by("-created_at", "-pk"))
    page = paginate(request, assignments)
    page.object_list = list(page.object_list)
    withhold_for(request.user, items=[a.recommendation for a in page.object_list])
    if as_json:
        to_absolute = absolute(request)
        results = [{**a.as_json(to_absolute), "item_text": a.recommendation.text,
                    "item_url": to_absolute(a.recommendation.get_absolute_url())} for a in page]
        listing = json.loads(page_json(request, page, results).content)
        return JsonResponse({"agency": agency_json(agency, to_absolute), "assignments": listing})
    members = list(agency.memberships.all())
    is_ours = _is_ours(agency)
    page.object_list = labelled(page.object_list)
    return render(request, "followup/agency_detail.html", {
        "agency": agency, "page_obj": page, "is_ours": is_ours,
        "people": [
            {"label": _("Focal points"), "members": [m for m in members if m.role == Role.FOCAL_POINT],
             "empty": _("No focal point yet: nobody can report for this agency.")},
            {"label": _("Validators"), "members": [m for m in members if m.role == Role.VALIDATOR],
             "empty": _("No validator yet: nobody can approve this agency's reports.")},
        ],
        "can_manage": rules.can_manage_agencies(request.user) and is_ours,
        "roles": [(r.value, r.label) for r in AGENCY_ROLES],
    })


@twin
def member_add(request: HttpRequest, pk: int, as_json: bool = False) -> HttpResponse:
    if refusal := _post_only(request, as_json):
        return refusal
    require(rules.can_manage_agencies(request.user), MEMBERS_REFUSED)
    agency = _agency_or_404(pk)
    back = agency.get_absolute_url()
    if not _is_ours(agency):
        return _refused(request, as_json, {"__all__": [_("%(agency)s is not one of our state's agencies.") % {
            "agency": agency.label}]}, back, _("Nobody was added."))
    form = MemberForm(payload(request))
    if not form.is_valid():
        return _refused(request, as_json, _errors(form), back, _("Nobody was added."))
    person, role = form.cleaned_data["username"], form.cleaned_data["role"]
    try:
        membership = workflow.add_member(agency, person, role, request.user)
    except ValidationError as error:
        return _refused(request, as_json, validation_errors(error), back, _("Nobody was added."))
    if as_json:
        return JsonResponse(member_json(membership), status=201)
    messages.success(request, _("%(person)s is now %(role)s of %(agency)s.") % {
        "person": person.get_username(), "role": membership.get_role_display().lower(), "agency": agency.label})
    return redirect(back)


@twin
def member_remove(request: HttpRequest, pk: int, mid: int, as_json: bool = False) -> HttpResponse:
    if refusal := _post_only(request, as_json):
        return refusal
    require(rules.can_manage_agencies(request.user), MEMBERS_REFUSED)
    agency = _agency_or_404(pk)
    membership = Membership.objects.select_related("user").filter(pk=mid, organization=agency).first()
    if membership is None:
        raise Http404(_("%(agency)s has no member %(mid)s.") % {"agency": agency.label, "mid": mid})
    removed = member_json(membership)
    workflow.remove_member(membership, request.user)
    if as_json:
        return JsonResponse({"removed": removed})
    messages.success(request, _("%(person)s is no longer %(role)s of %(agency)s.") % {
        "person": membership.user.get_username(), "role": membership.get_role_display().lower(),
        "agency": agency.label})
    return redirect(agency.get_absolute_url())


urlpatterns = [
    *twins("agencies/", agency_list, "agencies"),
    *twins("agencies/<id:pk>/", agency_detail, "agency"),
    *twins("agencies/<id:pk>/members/", member_add, "agency_member_add"),
    *twins("agencies/<id:pk>/members/<id:mid>/remove/", member_remove, "agency_member_remove"),
    *twins("recommendations/<id:pk>/assign/", assign_item, "assign"),
    *twins("assignments/bulk/", assign_bulk, "assign_bulk"),
    *twins("recommendations/<id:pk>/deadlines/", deadline_new, "deadline_new"),
]

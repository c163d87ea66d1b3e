"""What the follow-up's pages and JSON twins share: who may come in, one answer for each kind of
refusal, the objects a person may reach by id, and the data a form or a program sends.

Actions have a JSON twin at the same path plus ``.json`` (``reports/7/submit.json``), which takes
the same fields, form-encoded or as a JSON object, and answers with the object's JSON (200, or
201 for a new one); a refusal is ``{"error": ...}`` with 400 (with ``fields``), 401, 403, 404, or
409 for a conflict (with ``changes``: what someone else saved in between).
"""

import json
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _

from hrtrack.lib.web import is_staff_member, json_error, staff_required

from .. import rules
from ..models import Assignment, ProgressReport
from ..restricted import withhold_for
from ..workflow import Conflict


def conflict_json(conflict: Conflict, user=None) -> JsonResponse:
    """A conflict as the JSON twins answer it (409), the values changed as ``user`` may read them
    (restricted people's names withheld unless they may see them)."""
    item = getattr(conflict.obj, "recommendation", None) or getattr(
        getattr(conflict.obj, "assignment", None), "recommendation", None)
    changes = [dict(c) for c in conflict.changes]
    withhold_for(user, items=[item] if item is not None else [], changes=changes)
    changes = [{**c, "at": c["at"].isoformat() if c.get("at") else None} for c in changes]
    return json_error(str(conflict), 409, changes=changes, version=conflict.obj.version)


def validation_errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for e in errors for m in e.messages] for name, errors in error.error_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def twin(view):
    """For a view registered twice, as a page and with ``{"as_json": True}`` as its JSON twin:
    staff only (a JSON 401/403 for the twin), and the twin's refusals as JSON with their codes."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, as_json: bool = False, **kwargs):
        if not as_json:
            return staff_required(view)(request, *args, as_json=False, **kwargs)
        if not request.user.is_authenticated:
            return json_error(_("Sign in to see this."), 401)
        if not is_staff_member(request.user):
            return json_error(_("You do not have access to the staff site."), 403)
        try:
            return view(request, *args, as_json=True, **kwargs)
        except Http404 as error:
            return json_error(str(error) or _("Not found."), 404)
        except PermissionDenied as error:
            return json_error(str(error) or _("You may not do this."), 403)
        except Conflict as conflict:
            return conflict_json(conflict, request.user)
        except ValidationError as error:
            return json_error(_("Nothing was saved: see the fields."), 400, fields=validation_errors(error))

    return wrapper


def public_twin(public_view):
    """:func:`twin` for a page that the public also opens: anonymous visitors and contributors get
    ``public_view`` (page or JSON, a 404 as JSON on the twin), the staff site's people the view."""

    def decorate(view):
        staff = twin(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, as_json: bool = False, **kwargs):
            if is_staff_member(request.user):
                return staff(request, *args, as_json=as_json, **kwargs)
            try:
                return public_view(request, *args, as_json=as_json, **kwargs)
            except Http404 as error:
                if as_json:
                    return json_error(str(error) or _("Not found."), 404)
                raise

        return wrapper

    return decorate


def twins(route: str, view, name: str) -> list:
    """The URLs of a view registered as a page and as its JSON twin (see :func:`twin`): the page
    at ``route`` (which ends with "/") named ``name``, the twin at the same path with ".json"
    for the slash, named ``name_json``."""
    return [path(route, view, name=name),
            path(route.removesuffix("/") + ".json", view, {"as_json": True}, name=f"{name}_json")]


def payload(request: HttpRequest):
    """The fields sent: a JSON object body, or the form's fields. A body that is not a JSON
    object is a ValidationError (400)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as error:
            raise ValidationError(_("The body is not valid JSON: %(error)s") % {"error": error}) from error
        if not isinstance(data, dict):
            raise ValidationError(_("The body must be a JSON object."))
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, value in data.items():
            if isinstance(value, list):
                query.setlist(key, [str(v) for v in value])
            elif value is not None:
                query[key] = str(value) if not isinstance(value, bool) else ("on" if value else "")
        return query
    return request.POST


def assignment_or_404(pk: int) -> Assignment:
    """Any staff member may open an assignment (who is responsible is no secret); its reports
    are filtered by :func:`.rules.visible_reports` wherever they are shown."""
    return get_object_or_404(Assignment.objects.select_related("organization", "recommendation"), pk=pk)


#: What a report's pages show with it: its assignment's agency and item, and who moved it along.
REPORT_RELATED = ("assignment__organization", "assignment__recommendation", "submitted_by", "validated_by",
                  "returned_by")
#: What a JSON answer about a report reads of it (``ProgressReport.as_json``): no person.
REPORT_JSON_RELATED = ("assignment__organization", "assignment__recommendation")


def report_or_404(user, pk: int, related=REPORT_RELATED) -> ProgressReport:
    """The report, if ``user`` may read it; another agency's draft is a 404, as if it did not exist.
    ``related``: what is read with it (anything else is read when it is asked for)."""
    queryset = rules.visible_reports(user, ProgressReport.objects.select_related(*related))
    report = queryset.filter(pk=pk).first()
    if report is None:
        raise Http404(_("There is no report with the id %(pk)s.") % {"pk": pk})
    return report


def require(allowed: bool, message) -> None:
    if not allowed:
        raise PermissionDenied(str(message))

"""Signing up as a contributor, contributing, and the moderation queue; each page with its JSON
twin at the same path with ``.json``.

- ``/contribute/sign-up/``: a civil-society contributor's account (rate-limited per address).
- ``/contribute/<item|report>/<id>/`` (+ ``.json``): the approved contributions on a published
  item or public report; POST sends one (signed in; rate-limited per person and per address).
  An unpublished target is a 404, as if it did not exist.
- ``/contribute/files/<id>/``: an approved contribution's file (its author and moderators see
  it before).
- ``/moderation/`` (+ ``.json``): what waits, for coordinators and administrators; POST
  ``/moderation/<id>/approve/`` or ``/reject/`` (with a reason).
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.followup.models import ProgressReport
from hrtrack.lib.uploads import limit_uploads
from hrtrack.lib.web import absolute, is_staff_member, json_error, page_json, paginate
from hrtrack.recommendations.models import Recommendation

from . import ratelimit, workflow
from .forms import ContributionForm, RejectForm, SignUpForm
from .models import Contribution

TOO_MANY = gettext_lazy("You have sent too many contributions in the last hour. Nothing was saved: "
                        "please try again later.")
TOO_MANY_SIGN_UPS = gettext_lazy("Too many accounts were created from your network in the last hour. "
                                 "Nothing was saved: please try again later.")
MODERATORS_ONLY = gettext_lazy("Only coordinators and administrators moderate contributions.")


def _too_many(request, message, as_json: bool, template: str, context: dict):
    if as_json:
        response = json_error(message, 429)
    else:
        response = render(request, template, {**context, "too_many": message}, status=429)
    response["Retry-After"] = str(ratelimit.WINDOW)
    return response


# Sign-up ------------------------------------------------------------------------------------


def sign_up(request):
    next_path = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_path, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_path = ""
    if request.user.is_authenticated:
        return redirect(next_path or "portal:home")
    form = SignUpForm(request.POST or None)
    context = {"form": form, "next": next_path}
    if request.method == "POST":
        if ratelimit.exceeded(request, "sign-up"):
            return _too_many(request, TOO_MANY_SIGN_UPS, False, "contributions/sign_up.html", context)
        if form.is_valid():
            user = form.save()
            ratelimit.count(request, "sign-up")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(name)s: you may now comment on published items and reports.")
                             % {"name": user.first_name})
            return redirect(next_path or "portal:home")
        return render(request, "contributions/sign_up.html", context, status=400)
    return render(request, "contributions/sign_up.html", context)


# Contributing -------------------------------------------------------------------------------


def _target(request, kind: str, pk: int):
    """The item or report, if this visitor may see it and it takes contributions; else 404."""
    model = ProgressReport if kind == "report" else Recommendation
    target = model.objects.filter(pk=pk).first()
    if target is None or not (workflow.target_is_public(target) or
                              (is_staff_member(request.user) and request.method == "GET")):
        raise Http404(_("There is no published item or report here."))
    return target


def _target_json(request, target, kind: str) -> dict:
    return {"model": kind, "id": target.pk, "url": request.build_absolute_uri(target.get_absolute_url()),
            "title": str(target)}


@limit_uploads(lambda _name: settings.EVIDENCE_MAX_BYTES)  # refused as it arrives, before it fills the disk
def contribute(request, kind: str, pk: int, as_json: bool = False):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        target = _target(request, kind, pk)
    except Http404 as error:
        if as_json:
            return json_error(str(error), 404)
        raise
    context = {"target": target, "kind": kind}
    if request.method != "POST":
        if as_json:
            approved = Contribution.objects.on(target).approved().select_related("item", "report")
            results = [c.as_json(absolute(request)) for c in approved]
            return JsonResponse({"on": _target_json(request, target, kind), "count": len(results),
                                 "results": results})
        return render(request, "contributions/contribute.html", context)

    if not workflow.can_contribute(request.user):
        if as_json:
            return json_error(_("Sign in to contribute."), 401)
        return redirect_to_login(target.get_absolute_url())
    if ratelimit.exceeded(request, "contribution"):
        return _too_many(request, TOO_MANY, as_json, "contributions/contribute.html", context)
    form = ContributionForm(request.POST, request.FILES, evidence=kind == "item")
    if not form.is_valid():
        if as_json:
            return json_error(_("Nothing was saved: see the fields."), 400, fields=form.errors)
        return render(request, "contributions/contribute.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    contribution = workflow.submit(target, request.user, text=data["text"], url=data.get("url", ""),
                                   upload=data.get("file") or None)
    ratelimit.count(request, "contribution")
    message = _("Thank you: your contribution waits for a moderator, and is shown once approved.")
    if as_json:
        return JsonResponse({"id": contribution.pk, "state": contribution.state, "message": message}, status=201)
    messages.success(request, message)
    return redirect("contributions:contribute", kind=kind, pk=target.pk)


def contribution_file(request, pk: int):
    """A contribution's file, as a download that never runs in the site's pages: to anyone once
    approved on a public target; before that to its author and the moderators; else 404."""
    contribution = Contribution.objects.filter(pk=pk).exclude(file="").select_related("item", "report").first()
    user = request.user
    allowed = contribution is not None and (
        (contribution.state == Contribution.State.APPROVED and workflow.target_is_public(contribution.target))
        or workflow.can_moderate(user)
        or (user.is_authenticated and contribution.author_id == user.pk))
    if not allowed:
        raise Http404(_("There is no such file."))
    try:
        handle = contribution.file.storage.open(contribution.file.name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("The file is missing from storage.")) from error
    response = FileResponse(handle, as_attachment=True,
                            filename=contribution.file_name or Path(contribution.file.name).name,
                            content_type=contribution.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# Moderation ---------------------------------------------------------------------------------


STATES = [state for state, _label in Contribution.State.choices]


def moderation(request, as_json: bool = False):
    state = request.GET.get("state") or Contribution.State.PENDING
    if state not in STATES:
        if as_json:
            return json_error(_("Unknown state: %(state)s.") % {"state": state}, 400)
        state = Contribution.State.PENDING
    queue = Contribution.objects.filter(state=state).select_related(
        "item", "report__assignment__organization", "moderated_by")
    queue = (queue.order_by("created_at", "pk") if state == Contribution.State.PENDING
             else queue.order_by("-moderated_at", "-pk"))
    page = paginate(request, queue)
    if as_json:
        return page_json(request, page, [c.as_moderation_json(absolute(request)) for c in page])
    counts = dict(Contribution.objects.values_list("state").annotate(n=Count("pk")).order_by())
    tabs = [(value, label, counts.get(value, 0)) for value, label in Contribution.State.choices]
    return render(request, "contributions/moderation.html", {
        "page": page, "state": state, "tabs": tabs, "reject_form": RejectForm()})


def moderate(request, pk: int, decision: str, as_json: bool = False):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    contribution = Contribution.objects.filter(pk=pk).select_related("item", "report").first()
    if contribution is None:
        if as_json:
            return json_error(_("There is no such contribution."), 404)
        raise Http404(_("There is no such contribution."))
    try:
        if decision == "approve":
            workflow.approve(contribution, request.user)
            message = _("The contribution of %(name)s is approved and shown.")
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get("reason") or _("Say why the contribution is rejected."))
            workflow.reject(contribution, request.user, form.cleaned_data["reason"])
            message = _("The contribution of %(name)s is rejected: it stays hidden.")
    except ValidationError as error:
        if as_json:
            return json_error(_("Nothing was saved: see the fields."), 400, fields={"reason": error.messages})
        messages.error(request, _("Nothing was saved: say why the contribution is rejected."))
        return redirect(reverse("contributions:moderation"))
    except PermissionDenied as error:
        if as_json:
            return json_error(str(error), 403)
        raise
    message = message % {"name": contribution.author_name}
    if as_json:
        return JsonResponse({**contribution.as_moderation_json(absolute(request)), "message": message})
    messages.success(request, message)
    return redirect(reverse("contributions:moderation"))

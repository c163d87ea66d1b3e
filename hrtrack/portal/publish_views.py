"""Publishing and unpublishing: ``POST /publish/`` (``portal:publish``) and its JSON twin ``/publish.json``.

Coordinators and administrators publish (:func:`hrtrack.followup.publication.can_publish`); anyone
else is refused (the page sends anonymous visitors to sign in and answers 403; the twin answers
401 and 403 as JSON) and nothing changes. The fields, form-encoded or as a JSON object:

- ``model``: ``item`` (``recommendation`` too), ``dialogue``, ``report`` or ``evidence``;
- ``published``: ``1`` to publish, ``0`` to unpublish;
- ``ids``: the objects (repeatable); or, for items and dialogues, their list's own filters
  (:class:`~hrtrack.recommendations.filters.ItemFilterSet`, :class:`~hrtrack.dialogues.filters.DialogueFilterSet`):
  every one the filters select, not only the page shown. With no filter that narrows the list it
  publishes nothing unless ``confirm_all`` says every one is meant; a filter that cannot be
  applied is refused rather than ignored, since ignoring it would publish more;
- ``next``: where the page goes back to (on this site).

Bad input (an unknown model, no ids, a report not validated, evidence of an unpublished report) is
a 400 and changes nothing; ids that do not exist are a 404. Who published and when is in each
object's history (:func:`hrtrack.followup.publication.publish`), which also tells the search.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hrtrack.dialogues.filters import DialogueFilterSet
from hrtrack.dialogues.models import Dialogue
from hrtrack.followup import publication
from hrtrack.followup.models import Evidence, ProgressReport
from hrtrack.followup.views.assign import bulk_filter_params, narrowing_filters
from hrtrack.followup.views.common import payload, validation_errors
from hrtrack.lib.web import IdListField, json_error
from hrtrack.recommendations.filters import item_filters
from hrtrack.recommendations.models import Recommendation

#: One request publishes at most this many objects (the whole UPR Info set is about 34,000 items).
PUBLISH_LIMIT = 50_000

REFUSED = gettext_lazy("Only coordinators and administrators publish and unpublish.")

#: What ``model`` names.
MODELS = {
    "item": Recommendation,
    "dialogue": Dialogue,
    "report": ProgressReport,
    "evidence": Evidence,
}
ALIASES = {"recommendation": "item", "items": "item", "dialogues": "dialogue", "reports": "report"}
#: The models that can be chosen by their list's filters rather than by id.
BY_FILTERS = ("item", "dialogue")

YES = ("1", "true", "yes", "on", "publish", "published")
NO = ("0", "false", "no", "off", "unpublish", "unpublished")


class PublishForm(forms.Form):
    model = forms.ChoiceField(label=gettext_lazy("What"), choices=[
        ("item", gettext_lazy("Items")), ("dialogue", gettext_lazy("Dialogues")),
        ("report", gettext_lazy("Progress reports")), ("evidence", gettext_lazy("Evidence"))])
    ids = IdListField(label=gettext_lazy("Which"), required=False)
    published = forms.CharField(label=gettext_lazy("Published"), strip=True, error_messages={
        "required": gettext_lazy("Say 1 to publish or 0 to unpublish.")})
    confirm_all = forms.BooleanField(label=gettext_lazy("Yes, every one"), required=False)

    def __init__(self, data, *args, **kwargs):
        if data is not None and data.get("model", "").strip().lower() in ALIASES:
            data = data.copy()
            data["model"] = ALIASES[data["model"].strip().lower()]
        elif data is not None and "model" in data:
            data = data.copy()
            data["model"] = data["model"].strip().lower()
        super().__init__(data, *args, **kwargs)

    def clean_published(self) -> bool:
        value = self.cleaned_data["published"].lower()
        if value in YES:
            return True
        if value in NO:
            return False
        raise ValidationError(_("Say 1 to publish or 0 to unpublish, not “%(value)s”.") % {"value": value})


# Answers ----------------------------------------------------------------------------------


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _errors(form: forms.Form) -> dict:
    return {name: [str(message) for message in problems] for name, problems in form.errors.items()}


def _refused(request: HttpRequest, as_json: bool, errors: dict, back: str, message=None) -> HttpResponse:
    """Nothing changed: the twin answers 400 with the fields, a page goes back with the reason."""
    message = str(message or _("Nothing was published or unpublished."))
    if as_json:
        return json_error(message, 400, fields=errors)
    messages.error(request, " ".join([message, *(m for problems in errors.values() for m in problems)]))
    return redirect(back)


def _list_url(model: str, data) -> str:
    """The list a bulk form was sent from, with its filters."""
    if model == "item":
        kept, name = bulk_filter_params(data), "recommendations:recommendations"
    else:
        kept = QueryDict(mutable=True)
        for field in DialogueFilterSet.base_filters:
            values = [v for v in data.getlist(field) if v.strip()]
            if values:
                kept.setlist(field, values)
        name = "dialogues:dialogues"
    url = reverse(name)
    return f"{url}?{kept.urlencode()}" if kept else url


def _object_url(obj) -> str:
    if isinstance(obj, Evidence):
        return obj.report.get_absolute_url()
    return obj.get_absolute_url()


def _dialogue_filters(data) -> DialogueFilterSet:
    return DialogueFilterSet(data=data, queryset=Dialogue.objects.all())


def _narrowing(filters) -> list[str]:
    if isinstance(filters, DialogueFilterSet):
        return filters.narrowing()
    return narrowing_filters(filters)


def describe(model: str, published: bool, selected: int, changed: int) -> str:
    """What a publishing request did, as its page's message says it."""
    if not selected:
        return _("Nothing matches: nothing was published or unpublished.")
    if published:
        text = {
            "item": ngettext("%(count)d item published", "%(count)d items published", changed),
            "dialogue": ngettext("%(count)d dialogue published", "%(count)d dialogues published", changed),
            "report": ngettext("%(count)d report published, with its evidence",
                               "%(count)d reports published, with their evidence", changed),
            "evidence": ngettext("%(count)d piece of evidence published", "%(count)d pieces of evidence published",
                                 changed),
        }[model]
    else:
        text = {
            "item": ngettext("%(count)d item unpublished", "%(count)d items unpublished", changed),
            "dialogue": ngettext("%(count)d dialogue unpublished", "%(count)d dialogues unpublished", changed),
            "report": ngettext("%(count)d report unpublished, with its evidence",
                               "%(count)d reports unpublished, with their evidence", changed),
            "evidence": ngettext("%(count)d piece of evidence unpublished",
                                 "%(count)d pieces of evidence unpublished", changed),
        }[model]
    message = text % {"count": changed}
    if selected > changed:
        message += " " + ngettext("(%(count)d was already.)", "(%(count)d were already.)", selected - changed) % {
            "count": selected - changed}
    return message


# The door -----------------------------------------------------------------------------------


def publish(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    """Publish or unpublish (see the module's docstring)."""
    if request.method != "POST":
        return json_error(_("Send this with POST."), 405) if as_json else HttpResponseNotAllowed(["POST"])
    user = request.user
    if not user.is_authenticated:
        if as_json:
            return json_error(_("Sign in to see this."), 401)
        return redirect_to_login(_back(request, reverse("portal:home")))
    if not publication.can_publish(user):
        if as_json:
            return json_error(str(REFUSED), 403)
        raise PermissionDenied(str(REFUSED))
    try:
        data = payload(request)
    except ValidationError as error:
        return _refused(request, as_json, validation_errors(error), _back(request, reverse("portal:home")))
    try:
        return _publish(request, data, as_json)
    except Http404 as error:
        if as_json:
            return json_error(str(error), 404)
        raise


def _publish(request: HttpRequest, data, as_json: bool) -> HttpResponse:
    form = PublishForm(data)
    home = reverse("portal:home")
    if not form.is_valid():
        model = form.cleaned_data.get("model")
        back = _back(request, _list_url(model, data) if model in BY_FILTERS else home)
        return _refused(request, as_json, _errors(form), back)
    model, published, ids = form.cleaned_data["model"], form.cleaned_data["published"], form.cleaned_data["ids"]
    klass = MODELS[model]
    if ids:
        ids = list(dict.fromkeys(ids))
        objects = list(klass.objects.filter(pk__in=ids).select_related(
            *(["report"] if klass is Evidence else [])))
        missing = sorted(set(ids) - {obj.pk for obj in objects})
        if missing:
            raise Http404(_("Not found: %(ids)s.") % {"ids": ", ".join(map(str, missing))})
        back = _back(request, _object_url(objects[0]) if len(objects) == 1 else home)
    elif model in BY_FILTERS:
        back = _back(request, _list_url(model, data))
        filters = item_filters(data) if model == "item" else _dialogue_filters(data)
        if not filters.form.is_valid():
            return _refused(request, as_json, _errors(filters.form), back, _(
                "Nothing was published or unpublished: a filter cannot be applied, and leaving it out would take "
                "more than the list chose."))
        if not _narrowing(filters) and not form.cleaned_data["confirm_all"]:
            return _refused(request, as_json, {"confirm_all": [_(
                "No filter is given: this would take every one there is. Choose filters, or confirm that every one "
                "is meant.")]}, back)
        selected = klass.objects.filter(pk__in=filters.qs.order_by().values("pk"))
        if selected.count() > PUBLISH_LIMIT:
            return _refused(request, as_json, {"__all__": [_(
                "These filters select more than %(limit)d: narrow them to take at most %(limit)d at once.")
                % {"limit": PUBLISH_LIMIT}]}, back)
        objects = list(selected)
    else:
        return _refused(request, as_json, {"ids": [_("Choose which, by their ids.")]}, _back(request, home))
    try:
        changed = publication.publish(objects, request.user, published=published)
    except publication.NotPublishable as error:
        return _refused(request, as_json, {"__all__": [str(error)]}, back)
    if as_json:
        return JsonResponse({"model": model, "published": published, "selected": len(objects), "changed": changed,
                             "ids": [obj.pk for obj in objects] if ids else None})
    messages.success(request, describe(model, published, len(objects), changed))
    return redirect(back)

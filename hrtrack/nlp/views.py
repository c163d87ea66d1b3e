"""The review queue: model suggestions that wait for a person to confirm or reject them; our
state's items' by default (``?scope=world``: every country's), as on the item list."""

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hrtrack.lib.web import coordinator_required, has_out_of_range, invalid_filters, page_json, paginate
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import ConceptLink

from .forms import DecisionForm, ReviewFilterForm


def pending_suggestions() -> QuerySet:
    """Unconfirmed links a model set, most confident first."""
    return ConceptLink.objects.filter(origin=ConceptLink.Origin.MODEL, confirmed=False).select_related(
        "recommendation", "concept", "concept__scheme").order_by("-confidence", "pk")


def in_scope(suggestions: QuerySet, items: ItemFilterSet) -> QuerySet:
    """The suggestions on the items of ``items``' scope (our state's, or every country's)."""
    if not items.current_scope.ours:
        return suggestions
    return suggestions.filter(recommendation__in=items.qs.values("pk"))


REVIEW_REFUSED = gettext_lazy("Only coordinators and administrators review suggestions.")


@coordinator_required(REVIEW_REFUSED)
def review(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET)
    items = ItemFilterSet.scope_only(request.GET)
    page = paginate(request, in_scope(pending_suggestions().filter(**form.filters()), items))
    return render(request, "nlp/review.html", {"form": form, "page_obj": page, "scope": items.current_scope})


def suggestion_json(link: ConceptLink) -> dict:
    return {
        "id": link.pk, "item": link.recommendation_id, "text": link.recommendation.text,
        "scheme": link.concept.scheme.slug, "concept": link.concept.code, "label": link.concept.label,
        "confidence": link.confidence, "model": link.model_name, "added": link.created_at.isoformat(),
    }


@coordinator_required(REVIEW_REFUSED, json=True)
def review_json(request: HttpRequest) -> JsonResponse:
    form = ReviewFilterForm(request.GET)
    if request.GET and not form.is_valid():
        return invalid_filters(form)
    items = ItemFilterSet.scope_only(request.GET)
    if not items.form.is_valid():
        return invalid_filters(items.form)
    page = paginate(request, in_scope(pending_suggestions().filter(**form.filters()), items))
    return page_json(request, page, [suggestion_json(link) for link in page])


def decide_links(user, link_ids: list[int], decision: str) -> int:
    """Confirm or reject unconfirmed model suggestions; returns how many were decided. A rejected
    link is deleted, and its history (with the person) keeps the rejection for training."""
    links = list(ConceptLink.objects.filter(pk__in=link_ids, origin=ConceptLink.Origin.MODEL, confirmed=False))
    now = timezone.now()
    with transaction.atomic():
        for link in links:
            link._history_user = user
            if decision == "confirm":
                link.confirmed, link.confirmed_by, link.confirmed_at = True, user, now
                link.save(update_fields=["confirmed", "confirmed_by", "confirmed_at"])
            else:
                link.delete()
    return len(links)


@require_POST
@coordinator_required(REVIEW_REFUSED)
def decide(request: HttpRequest) -> HttpResponse:
    data = request.POST
    one = data.get("one", "")
    if one:  # a row's own button: "confirm:12" or "reject:12"
        decision, _sep, pk = one.partition(":")
        data = QueryDict(mutable=True)
        data.update({"decision": decision})
        data.setlist("link", [pk])
    form = DecisionForm(data)
    target = request.POST.get("next") or reverse("nlp:review")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("nlp:review")
    if has_out_of_range(form):
        return HttpResponse(_("A suggestion's id is too large."), status=400, content_type="text/plain; charset=utf-8")
    if not form.is_valid():
        messages.error(request, _("Choose at least one suggestion and a decision."))
        return redirect(target)
    count = decide_links(request.user, form.cleaned_data["link"], form.cleaned_data["decision"])
    if form.cleaned_data["decision"] == "confirm":
        message = ngettext("%(count)s suggestion confirmed.", "%(count)s suggestions confirmed.", count)
    else:
        message = ngettext("%(count)s suggestion rejected.", "%(count)s suggestions rejected.", count)
    messages.success(request, message % {"count": number_format(count)})
    return redirect(target)

"""The review queue: model suggestions that wait for a person to confirm or reject them; our
state's items' by default (``?scope=world``: every country's), as on the item list."""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hrtrack.lib.web import coordinator_required, has_out_of_range, invalid_filters, page_json, paginate
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import ConceptLink

from . import review as reviewing
from .forms import DecisionForm, ReviewFilterForm
from .review import GROUP_LIMIT, decide_links, ordered, page_groups, pending_suggestions

__all__ = ["decide_links", "pending_suggestions", "review", "review_json", "decide"]


def in_scope(suggestions: QuerySet, items: ItemFilterSet) -> QuerySet:
    """The suggestions on the items of ``items``' scope (our state's, or every country's)."""
    if not items.current_scope.ours:
        return suggestions
    return suggestions.filter(recommendation__in=items.qs.values("pk"))


def queue_of(form: ReviewFilterForm, items: ItemFilterSet) -> QuerySet:
    """The suggestions the queue's filters and scope select, in no order: what a group stays within."""
    return in_scope(pending_suggestions().filter(**form.filters()), items)


REVIEW_REFUSED = gettext_lazy("Only coordinators and administrators review suggestions.")


@coordinator_required(REVIEW_REFUSED)
def review(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET)
    items = ItemFilterSet.scope_only(request.GET)
    queue = queue_of(form, items)
    page = paginate(request, ordered(queue, form.chosen_order()))
    return render(request, "nlp/review.html", {"form": form, "page_obj": page, "scope": items.current_scope,
                                                "groups": page_groups(list(page), queue)})


def suggestion_json(link: ConceptLink, group: list[ConceptLink] = ()) -> dict:
    """A suggestion as the JSON twin and the API show it: words and a confidence, not the model's
    version (that stays in the admin and the history). ``same`` lists the same suggestion on
    near-identical items, which the page's group buttons decide with it."""
    return {
        "id": link.pk, "item": link.recommendation_id, "text": link.recommendation.text,
        "scheme": link.concept.scheme.slug, "concept": link.concept.code, "label": link.concept.label,
        "confidence": link.confidence, "added": link.created_at.isoformat(),
        "same": [{"id": other.pk, "item": other.recommendation_id} for other in group if other.pk != link.pk],
    }


@coordinator_required(REVIEW_REFUSED, json=True)
def review_json(request: HttpRequest) -> JsonResponse:
    form = ReviewFilterForm(request.GET)
    if request.GET and not form.is_valid():
        return invalid_filters(form)
    items = ItemFilterSet.scope_only(request.GET)
    if not items.form.is_valid():
        return invalid_filters(items.form)
    queue = queue_of(form, items)
    page = paginate(request, ordered(queue, form.chosen_order()))
    links = list(page)
    # Each suggestion its own row (as the API has always listed them), with its group's others.
    groups = {member.pk: group.links for group in page_groups(links, queue) for member in group.links}
    return page_json(request, page, [suggestion_json(link, groups.get(link.pk, ())) for link in links])


@require_POST
@coordinator_required(REVIEW_REFUSED)
def decide(request: HttpRequest) -> HttpResponse:
    data = request.POST
    one = data.get("one", "")
    if one:  # a row's own button, "confirm:12", or a group's, "reject:12,40,41"
        decision, _sep, pks = one.partition(":")
        data = QueryDict(mutable=True)
        data.update({"decision": decision})
        data.setlist("link", pks.split(",")[:GROUP_LIMIT])
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
    result = reviewing.decide(request.user, form.cleaned_data["link"], form.cleaned_data["decision"])
    count = result.decided
    if form.cleaned_data["decision"] == "confirm":
        message = ngettext("%(count)s suggestion confirmed.", "%(count)s suggestions confirmed.", count)
    else:
        message = ngettext("%(count)s suggestion rejected.", "%(count)s suggestions rejected.", count)
    messages.success(request, message % {"count": number_format(count)})
    if result.already:
        messages.warning(request, ngettext(
            "%(count)s was already decided (by someone else, or meanwhile) and is left as it is.",
            "%(count)s were already decided (by someone else, or meanwhile) and are left as they are.",
            result.already) % {"count": number_format(result.already)})
    if result.refused:
        messages.warning(request, ngettext(
            "%(count)s is on an item you may not decide on and was left out.",
            "%(count)s are on items you may not decide on and were left out.",
            result.refused) % {"count": number_format(result.refused)})
    return redirect(target)

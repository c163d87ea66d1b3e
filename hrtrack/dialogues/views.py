"""The dialogue pages of the staff site, each with a JSON twin at the same path plus ``.json``."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from hrtrack.followup import rules
from hrtrack.followup.summary import items_followup, items_followup_json
from hrtrack.followup.views.assign import agencies_to_choose
from hrtrack.lib.history import history_entries, history_json
from hrtrack.lib.web import (
    absolute,
    has_out_of_range,
    invalid_filters,
    json_error,
    page_json,
    paginate,
    staff_required,
)

from .filters import DialogueFilterSet
from .models import Dialogue


def _filtered(request: HttpRequest) -> DialogueFilterSet:
    return DialogueFilterSet(request.GET, queryset=Dialogue.objects.newest_first())


@staff_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    filters = _filtered(request)
    status = 400 if has_out_of_range(filters.form) else 200
    page = paginate(request, filters.qs)
    return render(request, "dialogues/dialogue_list.html", {"form": filters.form, "page_obj": page}, status=status)


@staff_required(json=True)
def dialogue_list_json(request: HttpRequest) -> JsonResponse:
    filters = _filtered(request)
    if has_out_of_range(filters.form):
        return invalid_filters(filters.form)
    page = paginate(request, filters.qs)
    return page_json(request, page, [dialogue.as_json(absolute(request)) for dialogue in page])


def _commitments_followup(dialogue: Dialogue) -> dict[int, dict]:
    """Each commitment's assignments and latest validated status, by item id (two queries)."""
    return items_followup(item.pk for item in dialogue.commitment_items)


@staff_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    can_see_restricted = request.user.can_see_restricted()
    dialogue = get_object_or_404(Dialogue.objects.with_page_details(can_see_restricted), pk=pk)
    followup = _commitments_followup(dialogue)
    can_assign = rules.can_assign(request.user)
    return render(request, "dialogues/dialogue_detail.html", {
        "dialogue": dialogue,
        "can_see_restricted": can_see_restricted,
        "cases": getattr(dialogue, "visible_cases", []),
        "commitments": [{"item": item, **followup[item.pk]} for item in dialogue.commitment_items],
        "can_assign": can_assign,
        "agencies": agencies_to_choose() if can_assign else [],
        "history": history_entries(dialogue),
    })


@staff_required(json=True)
def dialogue_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    dialogue = Dialogue.objects.with_page_details(request.user.can_see_restricted()).filter(pk=pk).first()
    if dialogue is None:
        return json_error(_("There is no dialogue with the id %(pk)s.") % {"pk": pk}, 404)
    to_absolute = absolute(request)
    data = dialogue.as_detail_json(to_absolute)
    followup = _commitments_followup(dialogue)
    for commitment in data["commitments"]:
        commitment.update(items_followup_json(followup[commitment["id"]], to_absolute))
    data["history"] = history_json(history_entries(dialogue))
    return JsonResponse(data)

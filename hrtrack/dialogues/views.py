"""The dialogue pages of the staff site, each with a JSON twin at the same path plus ``.json``."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

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


@staff_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    can_see_restricted = request.user.can_see_restricted()
    dialogue = get_object_or_404(Dialogue.objects.with_page_details(can_see_restricted), pk=pk)
    return render(request, "dialogues/dialogue_detail.html", {
        "dialogue": dialogue,
        "can_see_restricted": can_see_restricted,
        "cases": getattr(dialogue, "visible_cases", []),
    })


@staff_required(json=True)
def dialogue_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    dialogue = Dialogue.objects.with_page_details(request.user.can_see_restricted()).filter(pk=pk).first()
    if dialogue is None:
        return json_error(_("There is no dialogue with the id %(pk)s.") % {"pk": pk}, 404)
    return JsonResponse(dialogue.as_detail_json(absolute(request)))

"""The item pages of the staff site (recommendations, commitments, pledges, observations), each
with a JSON twin at the same path plus ``.json``.

Filters come in as GET parameters and go through :class:`~.filters.ItemFilterSet`, the one
definition the search uses too. A value that means nothing (``kind=speech``) is ignored and named
beside its field; a number no database column holds is a 400; a page number past the end shows
the last page.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hrtrack.followup import rules
from hrtrack.followup.models import Deadline
from hrtrack.followup.summary import item_followup, item_followup_json
from hrtrack.followup.views.assign import BULK_LIMIT, agencies_to_choose, narrowing_filters
from hrtrack.lib.history import history_json
from hrtrack.lib.web import (
    absolute,
    has_out_of_range,
    invalid_filters,
    json_error,
    page_json,
    paginate,
    staff_required,
)

from .filters import ItemFilterSet, item_filters
from .forms import ListDisplayForm
from .models import ConceptLink, Recommendation, RepeatGroupMember

#: ``?repeats=together``: one row per group of repeated items rather than one per item.
TOGETHER = "together"


def _grouped(request: HttpRequest) -> bool:
    return request.GET.get("repeats") == TOGETHER


class GroupedRows:
    """The grouped list's rows for the paginator: the ids of the items that stand for their group
    (the first of it in the list's order) and of items without repeats, in the list's order.

    Its length is one aggregate query (distinct groups, an item without repeats being its own);
    a slice reads the selected ids with their group keys in chunks, in order, only as far as the
    slice's end: page 1 reads one chunk whatever the list holds. ``groups`` maps each row read to
    its group key (None: no repeats)."""

    CHUNK = 500

    def __init__(self, queryset):
        self.queryset = queryset
        self.groups: dict[int, int | None] = {}

    def count(self) -> int:
        return self.queryset.order_by().aggregate(
            n=Count(Coalesce("repeat_membership__group_key", -F("pk")), distinct=True))["n"]

    def __getitem__(self, index: slice) -> list[int]:
        rows: list[int] = []
        seen: set[int] = set()
        ids = self.queryset.values_list("pk", "repeat_membership__group_key")
        start = 0
        while index.stop is None or len(rows) < index.stop:
            chunk = list(ids[start:start + self.CHUNK])
            for pk, key in chunk:
                if key is None or key not in seen:
                    rows.append(pk)
                    self.groups[pk] = key
                    if key is not None:
                        seen.add(key)
            if len(chunk) < self.CHUNK:
                break
            start += self.CHUNK
        return rows[index]


def items_page(request: HttpRequest, filters: ItemFilterSet) -> Page:
    """The page of items the filters select; with ``repeats=together``, one row per group of
    repeated items, the first of them in the list's order (the most recent) standing for the
    group, with ``item.repeats``: how often it was made and a link to all of the group's items.

    The groups are the stored ones that the item page reads too (``RepeatGroupMember``), so
    both count the same items. Grouping takes a bounded number of queries (:class:`GroupedRows`:
    the count, the selected ids up to the page's end; then the page's items, its groups' members
    and their summaries); the item links are not read."""
    queryset = filters.qs
    if not _grouped(request):
        return paginate(request, queryset)
    rows = GroupedRows(queryset)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    groups = rows.groups
    items = {item.pk: item for item in Recommendation.objects.with_related().filter(pk__in=page.object_list)}
    summaries = Recommendation.objects.repeat_summaries(RepeatGroupMember.objects.members_of(
        groups[pk] for pk in page.object_list if groups[pk] is not None))
    page.object_list = [items[pk] for pk in page.object_list if pk in items]
    members = reverse("recommendations:recommendations")
    for item in page.object_list:
        key = groups[item.pk]
        item.repeats = {**summaries[key], "members_url": f"{members}?repeats_of={key}"} if key else None
    return page


def bulk_assignment(request: HttpRequest, filters: ItemFilterSet, page: Page) -> dict:
    """What the list's bulk-assign form needs (coordinators): how many items the filters select
    (all of them, not the page), the filters it carries as hidden fields (those the list applied:
    one it ignored is not carried), our state's agencies, and whether no filter narrows the list."""
    form = filters.form
    form.is_valid()
    hidden = [(name, value) for name in filters.base_filters if name not in form.errors
              for value in request.GET.getlist(name) if value.strip()]
    hidden += [(name, value) for name in ListDisplayForm.base_fields for value in request.GET.getlist(name)
               if value.strip()]
    count = filters.qs.count() if _grouped(request) else page.paginator.count
    return {"count": count, "hidden": hidden, "agencies": agencies_to_choose(),
            "needs_confirmation": not narrowing_filters(filters), "too_many": count > BULK_LIMIT, "limit": BULK_LIMIT}


@staff_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    filters = item_filters(request.GET)
    status = 400 if has_out_of_range(filters.form) else 200
    page = items_page(request, filters)
    bulk = bulk_assignment(request, filters, page) if rules.can_assign(request.user) and status == 200 else None
    return render(request, "recommendations/recommendation_list.html",
                  {"form": filters.drawn_form(), "display_form": ListDisplayForm(request.GET), "page_obj": page,
                   "grouped": _grouped(request), "bulk": bulk}, status=status)


@staff_required(json=True)
def recommendation_list_json(request: HttpRequest) -> JsonResponse:
    filters = item_filters(request.GET)
    if has_out_of_range(filters.form):
        return invalid_filters(filters.form)
    page = items_page(request, filters)
    to_absolute = absolute(request)
    results = []
    for item in page:
        data = item.as_json(to_absolute)
        if _grouped(request):
            repeats = getattr(item, "repeats", None)
            data["repeats"] = {**repeats, "members_url": to_absolute(repeats["members_url"])} if repeats else None
        results.append(data)
    return page_json(request, page, results)


def _detail_queryset():
    links = ConceptLink.objects.select_related("concept__scheme", "set_by").order_by(
        "concept__scheme__slug", "concept__label_en")
    return Recommendation.objects.select_related("mechanism", "dialogue__series", "document").prefetch_related(
        "recipients", "recommending_states", Prefetch("concept_links", queryset=links))


def _concept_links_by_scheme(item: Recommendation) -> list[dict]:
    groups: dict[int, dict] = {}
    for link in item.concept_links.all():
        scheme = link.concept.scheme
        groups.setdefault(scheme.pk, {"scheme": scheme, "links": []})["links"].append(link)
    return list(groups.values())


def _similar_and_repeated(item: Recommendation) -> dict:
    """The item's similar and repeated items, and how often its recommendation was made (over
    its repeat group, the one the grouped list shows; none for an item without repeats)."""
    links = item.linked_items()
    group = RepeatGroupMember.objects.group_of(item)
    summary = Recommendation.objects.repeat_summary(group) if len(group) > 1 else None
    return {"similar": links["similar"], "repeated": links["repeated"], "repeat_summary": summary}


def _own_history(item: Recommendation, timeline: list[dict]) -> list[dict]:
    """The entries of the item's timeline about the item itself (its text, countries, response...)."""
    return [entry for entry in timeline if isinstance(entry["record"], Recommendation.history.model)]


@staff_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_detail_queryset(), pk=pk)
    followup = item_followup(item, request.user)
    can_assign = followup["can_assign"]
    return render(request, "recommendations/recommendation_detail.html", {
        "item": item,
        "concept_groups": _concept_links_by_scheme(item),
        "followup": followup,
        "timeline": followup["timeline"],
        "history": _own_history(item, followup["timeline"]),
        "agencies": agencies_to_choose() if can_assign else [],
        "deadline_kinds": Deadline.Kind.choices,
        **_similar_and_repeated(item),
    })


@staff_required(json=True)
def recommendation_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    item = _detail_queryset().filter(pk=pk).first()
    if item is None:
        return json_error(_("There is no recommendation with the id %(pk)s.") % {"pk": pk}, 404)
    to_absolute = absolute(request)
    data = item.as_json(to_absolute)
    data["concepts"] = [
        {"scheme": link.concept.scheme.slug, **link.concept.as_json(), "origin": link.origin,
         "confidence": link.confidence, "confirmed": link.confirmed}
        for link in item.concept_links.all()
    ]
    followup = item_followup(item, request.user)
    data.update(item_followup_json(followup, to_absolute))
    data["history"] = history_json(_own_history(item, followup["timeline"]))
    linked = _similar_and_repeated(item)
    data["similar"] = [entry["item"].as_link_json(to_absolute, entry) for entry in linked["similar"]]
    data["repeated"] = [{**entry["item"].as_link_json(to_absolute, entry), "earlier": entry["earlier"]}
                        for entry in linked["repeated"]]
    summary = linked["repeat_summary"]
    data["repeat_summary"] = None if summary is None else {
        key: summary[key] for key in ("times", "since", "states", "items", "text")}
    return JsonResponse(data)

"""The item pages (recommendations, commitments, pledges, observations), each with a JSON twin at
the same path plus ``.json``, and the list's CSV at ``/recommendations.csv``.

One permanent link per item: the staff site's people get the staff pages (every item, its
assignments, suggestions and history); anonymous visitors and civil-society contributors get the
public pages of published items only (an unpublished one is a 404 as if there were none), with the
fields that apply to the item's kind, its confirmed themes and the public reports on it.

Filters come in as GET parameters and go through :class:`~.filters.ItemFilterSet`, the one
definition the search uses too. A value that means nothing (``kind=speech``) is ignored and named
beside its field; a number no database column holds is a 400; a page number past the end shows
the last page.
"""

import csv
from collections.abc import Iterator

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.dialogues.restricted import restricted_names
from hrtrack.followup import rules
from hrtrack.followup.dashboard import anonymous_answer, cached, items_key
from hrtrack.followup.models import Assignment, Deadline, Evidence, ImplementationStatus, ProgressReport
from hrtrack.followup.publication import public_reports, sees_unpublished, visible_items
from hrtrack.followup.restricted import sees_restricted
from hrtrack.followup.summary import item_followup, item_followup_json
from hrtrack.followup.views.assign import BULK_LIMIT, agencies_to_choose, narrowing_filters
from hrtrack.lib.filters import applied_filters
from hrtrack.lib.history import history_json, history_of
from hrtrack.lib.web import (
    absolute,
    has_out_of_range,
    invalid_filters,
    json_error,
    page_json,
)

from .filters import ItemFilterSet, item_filters
from .forms import ListDisplayForm
from .models import MECHANISM_SCHEMES, THEME_SCHEMES, ConceptLink, Kind, Recommendation, RepeatGroupMember

#: ``?repeats=together``: one row per group of repeated items rather than one per item.
TOGETHER = "together"


def _grouped(request: HttpRequest) -> bool:
    return request.GET.get("repeats") == TOGETHER


# Who sees what: the rule of hrtrack.followup.publication --------------------------------------


def status_reports(user) -> QuerySet:
    """The reports that set an item's status for ``user``: every validated one for the staff, the
    public ones for everyone else."""
    validated = ProgressReport.objects.validated()
    return validated if sees_unpublished(user) else public_reports(validated)


def with_status(items: QuerySet, user) -> QuerySet:
    """``items`` annotated with ``latest_status``: the status of the latest report that sets it for
    ``user`` (:func:`status_reports`), over all the item's assignments; None without one."""
    latest = status_reports(user).filter(assignment__recommendation=OuterRef("pk"))
    return items.annotate(latest_status=Subquery(latest.order_by("-validated_at", "-pk").values("status")[:1]))


def shown_links(links: QuerySet | None = None) -> QuerySet:
    """Concept links anyone may read: a person's or the source file's, and a model's once confirmed."""
    links = ConceptLink.objects.all() if links is None else links
    return links.exclude(origin=ConceptLink.Origin.MODEL, confirmed=False)


class PublicItemFilterSet(ItemFilterSet):
    """The list's filters for anonymous visitors and contributors: the same parameters but those
    about the administration's own work (``assigned``, ``agency``), and an implementation status
    read from public reports only."""

    assigned = None
    agency = None
    DRAWN = tuple(name for name in ItemFilterSet.DRAWN if name != "assigned")

    def filter_status(self, queryset, name, statuses):
        latest = public_reports().filter(assignment=OuterRef("pk")).order_by("-validated_at", "-pk")
        assignments = Assignment.objects.annotate(latest=Subquery(latest.values("status")[:1])).filter(
            latest__in=statuses)
        return queryset.filter(pk__in=assignments.values("recommendation_id"))


def filters_for(request: HttpRequest) -> ItemFilterSet:
    """The list's filter set for this visitor: every item for the staff, published ones otherwise."""
    if sees_unpublished(request.user):
        return item_filters(request.GET)
    return PublicItemFilterSet(data=request.GET, queryset=Recommendation.objects.with_related().published())


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


class CountedPaginator(Paginator):
    """The item list's pages, with the count of what the filters select kept in the cache until the
    items change (:func:`~hrtrack.followup.dashboard.cached`; the key is the count's own SQL, so
    the public's published-only count and the staff's are apart): counting every match of a broad
    filter costs more than reading the page."""

    @cached_property
    def count(self) -> int:
        items = self.object_list
        if not isinstance(items, QuerySet):
            return super().count
        return cached("item_count", items_key(items.order_by()), lambda: items.count())


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
        return CountedPaginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = GroupedRows(queryset)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    groups = rows.groups
    items = {item.pk: item for item in Recommendation.objects.with_related().filter(pk__in=page.object_list)}
    members = RepeatGroupMember.objects.members_of(groups[pk] for pk in page.object_list if groups[pk] is not None)
    if not sees_unpublished(request.user):  # a group's unpublished members count for nobody outside
        shown = set(Recommendation.objects.published().filter(
            pk__in=[pk for ids in members.values() for pk in ids]).values_list("pk", flat=True))
        members = {key: [pk for pk in ids if pk in shown] for key, ids in members.items()}
    summaries = Recommendation.objects.repeat_summaries(members)
    page.object_list = [items[pk] for pk in page.object_list if pk in items]
    members_url = reverse("recommendations:recommendations")
    for item in page.object_list:
        key = groups[item.pk]
        item.repeats = {**summaries[key], "members_url": f"{members_url}?repeats_of={key}"} if key else None
    return page


def bulk_assignment(request: HttpRequest, filters: ItemFilterSet, page: Page) -> dict:
    """What the list's bulk-assign form needs (coordinators): how many items the filters select
    (all of them, not the page), the filters it carries as hidden fields (those the list applied:
    one it ignored is not carried), our state's agencies, and whether no filter narrows the list."""
    hidden = applied_filters(filters, request.GET)
    hidden += [(name, value) for name in ListDisplayForm.base_fields for value in request.GET.getlist(name)
               if value.strip()]
    count = filters.qs.count() if _grouped(request) else page.paginator.count
    return {"count": count, "hidden": hidden, "agencies": agencies_to_choose(),
            "needs_confirmation": not narrowing_filters(filters), "too_many": count > BULK_LIMIT, "limit": BULK_LIMIT}


def recommendation_list(request: HttpRequest) -> HttpResponse:
    """The list of items: every item for the staff, with the bulk forms for those who assign; the
    published ones for everyone else, without them (for anonymous visitors, the content is kept
    in the cache until the data change: :func:`~hrtrack.followup.dashboard.anonymous_answer`)."""
    staff = sees_unpublished(request.user)
    if staff:
        return _list_page(request, staff=True)
    status, content = anonymous_answer(request, "public_list", lambda: _public_list_content(request))
    return render(request, "recommendations/public_list.html", {"content": mark_safe(content)}, status=status)


def _list_context(request: HttpRequest, staff: bool) -> tuple[int, dict]:
    filters = filters_for(request)
    status = 400 if has_out_of_range(filters.form) else 200
    page = items_page(request, filters)
    bulk = (bulk_assignment(request, filters, page) if staff and rules.can_assign(request.user) and status == 200
            else None)
    if not sees_restricted(request.user):
        withhold_names(page.object_list)
    return status, {"form": filters.drawn_form(), "display_form": ListDisplayForm(request.GET), "page_obj": page,
                    "grouped": _grouped(request), "bulk": bulk}


def _list_page(request: HttpRequest, staff: bool) -> HttpResponse:
    status, context = _list_context(request, staff)
    return render(request, "recommendations/recommendation_list.html", context, status=status)


def _public_list_content(request: HttpRequest) -> tuple[int, str]:
    status, context = _list_context(request, staff=False)
    return status, render_to_string("recommendations/_public_list.html", context, request)


def recommendation_list_json(request: HttpRequest) -> HttpResponse:
    status, content = anonymous_answer(request, "public_list_json", lambda: _list_json(request))
    return HttpResponse(content, status=status, content_type="application/json")


def _list_json(request: HttpRequest) -> tuple[int, bytes]:
    response = _list_json_response(request)
    return response.status_code, response.content


def _list_json_response(request: HttpRequest) -> JsonResponse:
    filters = filters_for(request)
    if has_out_of_range(filters.form):
        return invalid_filters(filters.form)
    page = items_page(request, filters)
    to_absolute = absolute(request)
    staff = sees_unpublished(request.user)
    if not sees_restricted(request.user):
        withhold_names(page.object_list)
    results = []
    for item in page:
        data = item_json(item, to_absolute, staff)
        if _grouped(request):
            repeats = getattr(item, "repeats", None)
            data["repeats"] = {**repeats, "members_url": to_absolute(repeats["members_url"])} if repeats else None
        results.append(data)
    return page_json(request, page, results)


def withhold_from_followup(item: Recommendation, followup: dict) -> None:
    """The staff's view of ``item`` for someone who may not read restricted names: its text and
    heading, its reports' narratives and its timeline's values with those names withheld."""
    names = restricted_names([item.dialogue_id] if item.dialogue_id else [])
    item.text, item.heading = names.withhold(item.text)[0], names.withhold(item.heading)[0]
    for report in followup["reports"]:
        report.narrative = names.withhold(report.narrative)[0]
    for entry in followup["timeline"]:
        entry["subject"] = names.withhold(str(entry.get("subject", "")))[0]
        for change in entry.get("changes", []):
            change["old"], change["new"] = names.withhold(str(change["old"]))[0], names.withhold(str(change["new"]))[0]


def withhold_names(items) -> None:
    """The texts of ``items`` as the public reads them: restricted people's names withheld."""
    items = list(items)
    names = restricted_names([item.dialogue_id for item in items if item.dialogue_id])
    for item in items:
        item.text, item.heading = names.withhold(item.text)[0], names.withhold(item.heading)[0]


def item_json(item: Recommendation, to_absolute, staff: bool) -> dict:
    """An item as a list's JSON shows it, with its title; for the public, its dialogue only once published."""
    data = {"title": item.title, **item.as_json(to_absolute)}
    if not staff and item.dialogue_id and item.dialogue.published_at is None:
        data["dialogue"] = None
    return data


# The list as CSV ---------------------------------------------------------------------------------


class Echo:
    """A file-like object that hands back what the CSV writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text a spreadsheet will not run as a formula: a leading = + - @ gets a quote in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


#: The CSV's columns, in the reader's language; the staff's has a last one, when it was published.
CSV_HEADER = [gettext_lazy("Link"), gettext_lazy("Kind"), gettext_lazy("Text"), gettext_lazy("Mechanism"),
              gettext_lazy("Document symbol"), gettext_lazy("Paragraph"), gettext_lazy("Session"),
              gettext_lazy("Cycle"), gettext_lazy("Date"),
              gettext_lazy("Recommending states (for a commitment or a pledge: who made it)"),
              gettext_lazy("Addressed to"), gettext_lazy("Response"), gettext_lazy("Action category"),
              gettext_lazy("Themes"), gettext_lazy("Implementation status"), gettext_lazy("Responsible agencies"),
              gettext_lazy("Due")]
CSV_PUBLISHED = gettext_lazy("Published")
#: Items read at once for the CSV: a bounded number of queries per batch, whatever the list holds.
CSV_BATCH = 500


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def csv_rows(request: HttpRequest, ids: list[int], staff: bool, withhold: bool | None = None) -> Iterator[list]:
    """The header, then each item of ``ids`` (in that order) as a row, with names rather than codes:
    the countries and themes in the reader's language, several values joined by "; " (names such as
    "Korea, Republic of" hold commas).

    Plain values rather than models, a batch at a time (six queries each): the names of the
    countries, mechanisms and labels of the choices are read once."""
    from hrtrack.directory.models import Country
    from hrtrack.taxonomy.models import Concept

    yield [str(label) for label in [*CSV_HEADER, *([CSV_PUBLISHED] if staff else [])]]
    spanish = translation.get_language() == "es"

    def name(english: str, spanish_name: str) -> str:
        return (spanish_name if spanish else "") or english

    countries = {pk: name(en, es) for pk, en, es in Country.objects.values_list("pk", "name_en", "name_es")}
    mechanisms = {pk: name(en, es) for pk, en, es in Concept.objects.filter(
        scheme__slug__in=MECHANISM_SCHEMES).values_list("pk", "label_en", "label_es")}
    kinds, responses = _labels(Kind.choices), _labels(Recommendation._meta.get_field("response").choices)
    categories = _labels(Recommendation._meta.get_field("action_category").choices)
    statuses = _labels(ImplementationStatus.choices)
    item_url = reverse("recommendations:recommendation", args=[0]).removesuffix("0/")
    base = request.build_absolute_uri(item_url)
    recipients_through = Recommendation.recipients.through.objects
    states_through = Recommendation.recommending_states.through.objects
    fields = ("pk", "kind", "text", "mechanism_id", "document_symbol", "paragraph", "session", "cycle", "issued_on",
              "recommending_body", "response", "action_category", "due", "published_at")
    if withhold is None:
        withhold = not staff
    names = None if not withhold else restricted_names(list(
        Recommendation.objects.exclude(dialogue=None).values_list("dialogue_id", flat=True).distinct()))
    for start in range(0, len(ids), CSV_BATCH):
        batch = ids[start:start + CSV_BATCH]
        rows = {row[0]: row for row in Recommendation.objects.filter(pk__in=batch).order_by().values_list(*fields)}
        latest: dict[int, str] = {}  # each item's latest report that sets its status, read newest first
        for item, status in status_reports(request.user).filter(assignment__recommendation_id__in=batch).order_by(
                "-validated_at", "-pk").values_list("assignment__recommendation_id", "status"):
            latest.setdefault(item, status)
        recipients: dict[int, list[str]] = {}
        for item, country in recipients_through.filter(recommendation_id__in=batch).values_list(
                "recommendation_id", "country_id"):
            recipients.setdefault(item, []).append(countries[country])
        states: dict[int, list[str]] = {}
        for item, country in states_through.filter(recommendation_id__in=batch).values_list(
                "recommendation_id", "country_id"):
            states.setdefault(item, []).append(countries[country])
        themes: dict[int, list[str]] = {}
        for item, english, spanish_label in shown_links().filter(
                recommendation_id__in=batch, concept__scheme__slug__in=THEME_SCHEMES).order_by(
                "concept__label_en").values_list("recommendation_id", "concept__label_en", "concept__label_es"):
            themes.setdefault(item, []).append(name(english, spanish_label))
        agencies: dict[int, list[str]] = {}
        for assignment in Assignment.objects.filter(recommendation_id__in=batch).select_related(
                "organization").order_by("role", "organization__name"):
            agencies.setdefault(assignment.recommendation_id, []).append(str(assignment.organization))
        for pk in batch:
            if pk not in rows:  # deleted while the CSV was written
                continue
            (_pk, kind, text, mechanism, symbol, paragraph, session, cycle, issued_on, body, response, category, due,
             published_at) = rows[pk]
            status = latest.get(pk)
            if names is not None:
                text = names.withhold(text)[0]
            row = [f"{base}{pk}/", kinds.get(kind, kind), text, mechanisms.get(mechanism, ""), symbol, paragraph,
                   session or "", cycle or "", issued_on.isoformat() if issued_on else "",
                   "; ".join(sorted(states.get(pk, []))) or body, "; ".join(sorted(recipients.get(pk, []))),
                   responses.get(response, ""), categories.get(category, ""), "; ".join(themes.get(pk, [])),
                   statuses.get(status, ""), "; ".join(agencies.get(pk, [])), due]
            if staff:
                row.append(published_at.isoformat() if published_at else "")
            yield [csv_safe(str(cell)) for cell in row]


def recommendation_list_csv(request: HttpRequest) -> HttpResponse:
    """Every item the list's filters select (not only a page of them) as CSV, streamed: the staff's
    every item, everyone else's the published ones."""
    filters = filters_for(request)
    if has_out_of_range(filters.form):
        return HttpResponse(_("Invalid filters.") + "\n", status=400, content_type="text/plain; charset=utf-8")
    ids = list(filters.qs.values_list("pk", flat=True))
    staff, language = sees_unpublished(request.user), translation.get_language()
    restricted = sees_restricted(request.user)
    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        # Streamed after the view returns: the rows keep the request's language.
        with translation.override(language):
            for row in csv_rows(request, ids, staff, withhold=not restricted):
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recommendations.csv"'
    response["X-Total-Count"] = str(len(ids))
    return response


# An item ---------------------------------------------------------------------------------------


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
    historical = history_of(Recommendation).model
    return [entry for entry in timeline if isinstance(entry["record"], historical)]


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not sees_unpublished(request.user):
        return public_detail(request, pk)
    # Who published it is on the staff's page (portal/_publish.html): joined, not read on its own.
    item = get_object_or_404(_detail_queryset().select_related("published_by"), pk=pk)
    followup = item_followup(item, request.user)
    if not sees_restricted(request.user):
        withhold_from_followup(item, followup)
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


def recommendation_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    item = visible_items(request.user, _detail_queryset()).filter(pk=pk).first()
    if item is None:
        return json_error(_("There is no recommendation with the id %(pk)s.") % {"pk": pk}, 404)
    to_absolute = absolute(request)
    if not sees_unpublished(request.user):
        return JsonResponse(public_detail_json(public_view(item), to_absolute))
    followup = item_followup(item, request.user)
    if not sees_restricted(request.user):
        withhold_from_followup(item, followup)
    data = {"title": item.title, **item.as_json(to_absolute)}
    data["concepts"] = [
        {"scheme": link.concept.scheme.slug, **link.concept.as_json(), "origin": link.origin,
         "confidence": link.confidence, "confirmed": link.confirmed}
        for link in item.concept_links.all()
    ]
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


# An item's public page -----------------------------------------------------------------------


#: Which of an item's facts apply to each kind: a pledge or a commitment has no recommending state
#: (its states made it), no recipient, response or action category.
RECOMMENDED = {Kind.RECOMMENDATION, Kind.OBSERVATION}


def public_view(item: Recommendation) -> dict:
    """What anyone may see of a published ``item``: its confirmed concepts by scheme (not the
    mechanisms', shown as the item's mechanism), its responsible agencies, the public reports on it
    (latest first) with their published evidence, its status (the latest of them), its published
    dialogue, and its published similar and repeated items with how often it was made among them."""
    concepts: dict[int, dict] = {}
    for link in item.concept_links.all():
        if link.origin == ConceptLink.Origin.MODEL and not link.confirmed:
            continue
        scheme = link.concept.scheme
        if scheme.slug not in MECHANISM_SCHEMES:
            concepts.setdefault(scheme.pk, {"scheme": scheme, "concepts": []})["concepts"].append(link.concept)
    agencies = [assignment.organization for assignment in Assignment.objects.filter(recommendation=item)
                .select_related("organization").order_by("role", "organization__name", "pk")]
    # Reports are on assignments: an item nobody holds (most) has none to read.
    evidence = Evidence.objects.published().order_by("pk")
    reports = list(public_reports(ProgressReport.objects.filter(assignment__recommendation=item))
                   .select_related("assignment__organization").prefetch_related(Prefetch("evidence", evidence))
                   .order_by("-validated_at", "-pk")) if agencies else []
    links = item.linked_items()
    similar = [entry for entry in links["similar"] if entry["item"].published_at is not None]
    repeated = [entry for entry in links["repeated"] if entry["item"].published_at is not None]
    group = RepeatGroupMember.objects.group_of(item)
    if len(group) > 1:  # the item alone is published (this is its public view): nothing to read
        group = list(Recommendation.objects.published().filter(pk__in=group).values_list("pk", flat=True))
    dialogue = item.dialogue if item.dialogue_id and item.dialogue.published_at is not None else None
    # Restricted people a text names (a commitment read from a statement, a report) are withheld.
    names = restricted_names([item.dialogue_id] if item.dialogue_id else [])
    item.text, item.heading = names.withhold(item.text)[0], names.withhold(item.heading)[0]
    for report in reports:
        report.narrative = names.withhold(report.narrative)[0]
    return {
        "item": item,
        "recommended": item.kind in RECOMMENDED,
        "concept_groups": list(concepts.values()),
        "agencies": agencies,
        "reports": reports,
        "status": reports[0] if reports else None,
        "dialogue": dialogue,
        "similar": similar,
        "repeated": repeated,
        "repeat_summary": Recommendation.objects.repeat_summary(group) if len(group) > 1 else None,
    }


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_items(request.user, _detail_queryset()).filter(pk=pk).first()
    if item is None:
        raise Http404(_("There is no published item with the id %(pk)s.") % {"pk": pk})
    return render(request, "recommendations/public_detail.html", public_view(item))


def public_report_json(report: ProgressReport, to_absolute) -> dict:
    """A public report as anyone may read it: its agency, status, period and narrative, its evidence."""
    return {
        "id": report.pk,
        "agency": report.assignment.organization.as_json(),
        "status": report.status,
        "status_label": report.get_status_display(),
        "narrative": report.narrative,
        "period_start": report.period_start.isoformat() if report.period_start else None,
        "period_end": report.period_end.isoformat() if report.period_end else None,
        "validated_at": report.validated_at.isoformat() if report.validated_at else None,
        "published_at": report.published_at.isoformat() if report.published_at else None,
        "evidence": [{"id": e.pk, "description": e.description, "url": e.url or None, "file_name": e.file_name}
                     for e in report.evidence.all()],
    }


def public_detail_json(view: dict, to_absolute) -> dict:
    """:func:`public_view` as the item's JSON twin shows it to anyone: the fields of its kind only."""
    item = view["item"]
    data = {
        "id": item.pk,
        "url": to_absolute(item.get_absolute_url()),
        "title": item.title,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "text": item.text,
        "heading": item.heading,
        "language": item.language,
        "mechanism": item.mechanism.as_json() if item.mechanism else None,
        "document_symbol": item.document_symbol,
        "paragraph": item.paragraph,
        "session": item.session,
        "cycle": item.cycle,
        "date": item.issued_on.isoformat() if item.issued_on else None,
        "due": item.due,
        "published_at": item.published_at.isoformat() if item.published_at else None,
    }
    if item.mechanism:
        data["mechanism"]["url"] = to_absolute(reverse("portal:mechanism", args=[item.mechanism.code]))
    states = [{**c.as_json(), "url": to_absolute(reverse("portal:state", args=[c.code]))}
              for c in item.recommending_states.all()]
    if view["recommended"]:
        data.update({"recommending_states": states, "recommending_body": item.recommending_body,
                     "recipients": [c.as_json() for c in item.recipients.all()], "response": item.response or None,
                     "action_category": item.action_category})
    else:
        data["made_by"] = states
    dialogue = view["dialogue"]
    data["dialogue"] = None if dialogue is None else {
        "id": dialogue.pk, "title": str(dialogue), "url": to_absolute(dialogue.get_absolute_url())}
    data["themes"] = [{"scheme": group["scheme"].slug, "scheme_name": group["scheme"].name, **concept.as_json(),
                       "url": to_absolute(reverse("portal:theme", args=[group["scheme"].slug, concept.code]))}
                      for group in view["concept_groups"] for concept in group["concepts"]]
    status = view["status"]
    data["status"] = None if status is None else {
        "status": status.status, "label": status.get_status_display(),
        "agency": status.assignment.organization.as_json(),
        "validated_at": status.validated_at.isoformat() if status.validated_at else None}
    data["agencies"] = [agency.as_json() for agency in view["agencies"]]
    data["reports"] = [public_report_json(report, to_absolute) for report in view["reports"]]
    data["similar"] = [{"title": entry["item"].title, **entry["item"].as_link_json(to_absolute, entry)}
                       for entry in view["similar"]]
    data["repeated"] = [{"title": entry["item"].title, **entry["item"].as_link_json(to_absolute, entry),
                         "earlier": entry["earlier"]} for entry in view["repeated"]]
    summary = view["repeat_summary"]
    data["repeat_summary"] = None if summary is None else {
        key: summary[key] for key in ("times", "since", "states", "items", "text")}
    return data

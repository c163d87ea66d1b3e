"""The staff site: server-rendered pages, each with a JSON twin at the same path plus ``.json``.

Filters come in as GET parameters and go through a form, so that one definition cleans them
for the page and its twin. A bad value is ignored (and named beside its field on the page),
never a server error; a page number past the end shows the last page.
"""

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import get_m2m_reverse_field_name

from hrtrack.accounts.permissions import staff_required
from hrtrack.dialogues.models import CaseRaised, Delegation, DelegationMember, Dialogue, DialogueSeries, Mention
from hrtrack.directory.models import Country, Person
from hrtrack.nlp.similar import group_summaries, group_summary, linked_items, repeat_group, repeat_group_members
from hrtrack.recommendations.models import ActionCategory, ConceptLink, Kind, Recommendation, Response
from hrtrack.taxonomy.models import Concept

#: The scheme the recommendations list filters themes by.
THEME_SCHEME = "upr-issues"


# Filters ----------------------------------------------------------------------------------


class CountryCodeField(forms.ModelChoiceField):
    """A country given by its ISO code, in either case (``mx`` or ``MX``)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Country.objects.all(), to_field_name="code", required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class FilterForm(forms.Form):
    """A form over GET parameters that keeps the valid values and drops the others."""

    def filters(self) -> dict:
        self.is_valid()  # fills errors (shown beside their field) and cleaned_data with what is valid
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class DialogueFilterForm(FilterForm):
    series = forms.ModelChoiceField(
        label=gettext_lazy("Series"), queryset=DialogueSeries.objects.all(), to_field_name="slug", required=False,
        empty_label=gettext_lazy("Any series"),
    )
    party = CountryCodeField(label=gettext_lazy("Party"), empty_label=gettext_lazy("Any party"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2200, required=False)
    q = forms.CharField(label=gettext_lazy("Title contains"), max_length=200, required=False)


def filter_dialogues(queryset: QuerySet, filters: dict) -> QuerySet:
    """Dialogues of a series, with a party, starting in a year, or whose title has some words."""
    if "series" in filters:
        queryset = queryset.filter(series=filters["series"])
    if "party" in filters:
        queryset = queryset.filter(parties=filters["party"])
    if "year" in filters:
        queryset = queryset.filter(starts_on__year=filters["year"])
    if "q" in filters:
        queryset = queryset.filter(Q(title__icontains=filters["q"]) | Q(series__name__icontains=filters["q"]))
    return queryset


class RecommendationFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", gettext_lazy("Any kind")), *Kind.choices], required=False
    )
    recipient = CountryCodeField(label=gettext_lazy("Addressed to"), empty_label=gettext_lazy("Any state"))
    recommending_state = CountryCodeField(label=gettext_lazy("From"), empty_label=gettext_lazy("Any state"))
    response = forms.ChoiceField(
        label=gettext_lazy("Response"), choices=[("", gettext_lazy("Any response")), *Response.choices],
        required=False,
    )
    action_category = forms.TypedChoiceField(
        label=gettext_lazy("Action category"), coerce=int, empty_value=None, required=False,
        choices=[("", gettext_lazy("Any category")), *ActionCategory.choices],
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"), queryset=Concept.objects.in_scheme(THEME_SCHEME), to_field_name="code",
        required=False, empty_label=gettext_lazy("Any theme"),
    )
    session = forms.IntegerField(label=gettext_lazy("Session"), min_value=1, max_value=10000, required=False)
    q = forms.CharField(label=gettext_lazy("Text contains"), max_length=200, required=False)
    repeats_of = forms.IntegerField(label=gettext_lazy("Same recommendation as item"), min_value=1, required=False)
    group = forms.ChoiceField(
        label=gettext_lazy("Group"), required=False,
        choices=[("", gettext_lazy("One row per item")), ("repeated", gettext_lazy("Repeated items together"))],
    )


def filter_recommendations(queryset: QuerySet, filters: dict) -> QuerySet:
    """Items matching every filter given. Each join is unique per item, so no row repeats."""
    for name in ("kind", "response", "action_category", "session"):
        if name in filters:
            queryset = queryset.filter(**{name: filters[name]})
    if "recipient" in filters:
        queryset = queryset.filter(recipients=filters["recipient"])
    if "recommending_state" in filters:
        queryset = queryset.filter(recommending_states=filters["recommending_state"])
    if "theme" in filters:
        queryset = queryset.filter(concept_links__concept=filters["theme"])
    if "q" in filters:
        queryset = queryset.filter(text__icontains=filters["q"])
    if "repeats_of" in filters:
        queryset = queryset.filter(pk__in=repeat_group(filters["repeats_of"]))
    return queryset


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """The page asked for; the first for a page that is not a number, the last past the end."""
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def dialogues_queryset() -> QuerySet:
    # Explicit NULLS LAST: undated rounds go to the end on PostgreSQL too, as they do on SQLite.
    return Dialogue.objects.with_related().order_by(
        F("starts_on").desc(nulls_last=True), "series__name", "-edition", "-pk"
    )


def recommendations_queryset() -> QuerySet:
    return Recommendation.objects.with_related().order_by(F("issued_on").desc(nulls_last=True), "-pk")


# JSON -------------------------------------------------------------------------------------


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def page_json(request: HttpRequest, page: Page, results: list) -> JsonResponse:
    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return JsonResponse({
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": results,
    })


def country_json(country: Country | None) -> dict | None:
    return {"code": country.code, "name": country.name} if country else None


def concept_json(concept: Concept | None) -> dict | None:
    return {"code": concept.code, "label": concept.label} if concept else None


def dialogue_json(request: HttpRequest, dialogue: Dialogue) -> dict:
    return {
        "id": dialogue.pk,
        "url": request.build_absolute_uri(dialogue.get_absolute_url()),
        "series": {"slug": dialogue.series.slug, "name": dialogue.series.name},
        "title": str(dialogue),
        "edition": dialogue.edition,
        "date_start": dialogue.date_start,
        "date_end": dialogue.date_end,
        "venue": {"city": dialogue.venue_city, "country": country_json(dialogue.venue_country)},
        "parties": [country_json(c) for c in dialogue.parties.all()],
    }


def recommendation_json(request: HttpRequest, item: Recommendation) -> dict:
    return {
        "id": item.pk,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "kind": item.kind,
        "text": item.text,
        "language": item.language,
        "mechanism": concept_json(item.mechanism),
        "document_symbol": item.document_symbol,
        "session": item.session,
        "cycle": item.cycle,
        "date": item.issued_on.isoformat() if item.issued_on else None,
        "recommending_states": [country_json(c) for c in item.recommending_states.all()],
        "recommending_body": item.recommending_body,
        "recipients": [country_json(c) for c in item.recipients.all()],
        "response": item.response or None,
        "action_category": item.action_category,
        "due": item.due,
        "dialogue": item.dialogue_id,
    }


# Home -------------------------------------------------------------------------------------


def countries_with_items() -> QuerySet:
    """Countries that owe follow-up: those items are addressed to, and those that made
    commitments or pledges (a commitment's parties are its recommending states)."""
    addressed = Recommendation.recipients.through.objects.values("country_id")
    committed = Recommendation.recommending_states.through.objects.filter(
        recommendation__kind__in=[Kind.COMMITMENT, Kind.PLEDGE]
    ).values("country_id")
    return Country.objects.filter(Q(pk__in=addressed) | Q(pk__in=committed))


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    per_kind = dict(Recommendation.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = [{"value": value, "label": label, "count": per_kind.get(value, 0)} for value, label in Kind.choices]
    counts = {
        "dialogues": Dialogue.objects.count(),
        "series": DialogueSeries.objects.count(),
        "recommendations": sum(per_kind.values()),
        "commitments": per_kind.get(Kind.COMMITMENT, 0),
        "countries": countries_with_items().count(),
        "people": Person.objects.count(),
    }
    latest = dialogues_queryset()[:5]
    return render(request, "portal/home.html", {"counts": counts, "kinds": kinds, "latest_dialogues": latest})


# Dialogues --------------------------------------------------------------------------------


@staff_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    form = DialogueFilterForm(request.GET)
    page = paginate(request, filter_dialogues(dialogues_queryset(), form.filters()))
    return render(request, "portal/dialogue_list.html", {"form": form, "page_obj": page})


@staff_required(json=True)
def dialogue_list_json(request: HttpRequest) -> JsonResponse:
    page = paginate(request, filter_dialogues(dialogues_queryset(), DialogueFilterForm(request.GET).filters()))
    return page_json(request, page, [dialogue_json(request, d) for d in page])


def dialogue_detail_queryset(can_see_restricted: bool) -> QuerySet:
    """A dialogue with everything its page shows. People marked restricted, and the cases
    raised, are left out for those who may not see them, here rather than in the template."""
    members = DelegationMember.objects.select_related("person", "post__organization").order_by("position", "pk")
    mentions = Mention.objects.select_related("person").order_by("person__name")
    if not can_see_restricted:
        members = members.filter(person__restricted=False)
        mentions = mentions.filter(person__restricted=False)
    prefetches = [
        "parties", "topics", "mechanisms", "side_meetings", "documents",
        Prefetch(
            "delegations",
            queryset=Delegation.objects.select_related("party").prefetch_related(Prefetch("members", queryset=members)),
        ),
        Prefetch(
            "commitments",
            queryset=Recommendation.objects.commitments().prefetch_related("recommending_states").order_by("pk"),
            to_attr="commitment_items",
        ),
        Prefetch("mentions", queryset=mentions, to_attr="visible_mentions"),
    ]
    if can_see_restricted:
        cases = CaseRaised.objects.select_related("raised_by").prefetch_related("people").order_by("pk")
        prefetches.append(Prefetch("cases", queryset=cases, to_attr="visible_cases"))
    return Dialogue.objects.select_related("series", "venue_country", "host").prefetch_related(*prefetches)


@staff_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    can_see_restricted = request.user.can_see_restricted()
    dialogue = get_object_or_404(dialogue_detail_queryset(can_see_restricted), pk=pk)
    return render(request, "portal/dialogue_detail.html", {
        "dialogue": dialogue,
        "can_see_restricted": can_see_restricted,
        "cases": getattr(dialogue, "visible_cases", []),
    })


@staff_required(json=True)
def dialogue_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    can_see_restricted = request.user.can_see_restricted()
    dialogue = dialogue_detail_queryset(can_see_restricted).filter(pk=pk).first()
    if dialogue is None:
        return json_error(_("There is no dialogue with the id %(pk)s.") % {"pk": pk}, 404)
    data = dialogue_json(request, dialogue)
    data.update({
        "host": str(dialogue.host) if dialogue.host else None,
        "summary": dialogue.summary,
        "outcome": dialogue.outcome,
        "delegations": [
            {
                "party": country_json(delegation.party),
                "members": [
                    {
                        "name": member.person.name,
                        "post": member.post.title if member.post else None,
                        "organization": str(member.post.organization) if member.post and member.post.organization
                        else None,
                        "role": member.role,
                    }
                    for member in delegation.members.all()
                ],
            }
            for delegation in dialogue.delegations.all()
        ],
        "topics": [concept_json(c) for c in dialogue.topics.all()],
        "mechanisms": [concept_json(c) for c in dialogue.mechanisms.all()],
        "commitments": [
            {
                "id": item.pk,
                "url": request.build_absolute_uri(item.get_absolute_url()),
                "text": item.text,
                "due": item.due,
                "parties": [country_json(c) for c in item.recommending_states.all()],
            }
            for item in dialogue.commitment_items
        ],
        "people_mentioned": [{"name": m.person.name, "title": m.title} for m in dialogue.visible_mentions],
    })
    if can_see_restricted:
        data["cases"] = [
            {
                "title": case.title,
                "description": case.description,
                "raised_by": country_json(case.raised_by),
                "people": [p.name for p in case.people.all()],
                "response": case.response,
            }
            for case in dialogue.visible_cases
        ]
    return JsonResponse(data)


# Recommendations --------------------------------------------------------------------------


def recommendations_page(request: HttpRequest, filters: dict) -> Page:
    """The page of items the filters select; with ``group=repeated``, one row per group of
    repeated items, the first of them in the list's order (the most recent) standing for the
    group, with ``item.repeats``: how often it was made and a link to all of the group's items.

    The groups are the stored ones that the item page reads too (:func:`repeat_group`), so
    both count the same items. Grouping takes a fixed number of queries whatever the page
    holds: the selected ids with their group keys, the page's items, its groups' members and
    their summaries; the item links are not read."""
    grouped = filters.get("group") == "repeated"
    queryset = filter_recommendations(recommendations_queryset(), filters)
    if not grouped:
        return paginate(request, queryset)
    rows, seen, groups = [], set(), {}
    for pk, key in queryset.values_list("pk", "repeat_membership__group_key"):
        if key is None or key not in seen:
            rows.append(pk)
            seen.add(key)
            groups[pk] = key
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    items = {item.pk: item for item in recommendations_queryset().filter(pk__in=page.object_list)}
    summaries = group_summaries(repeat_group_members(
        groups[pk] for pk in page.object_list if groups[pk] is not None))
    page.object_list = [items[pk] for pk in page.object_list if pk in items]
    for item in page.object_list:
        key = groups[item.pk]
        item.repeats = {**summaries[key], "members_url": f"{reverse('portal:recommendations')}?repeats_of={key}"} \
            if key else None
    return page


@staff_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    form = RecommendationFilterForm(request.GET)
    filters = form.filters()
    page = recommendations_page(request, filters)
    return render(request, "portal/recommendation_list.html", {"form": form, "page_obj": page,
                                                               "grouped": filters.get("group") == "repeated"})


@staff_required(json=True)
def recommendation_list_json(request: HttpRequest) -> JsonResponse:
    filters = RecommendationFilterForm(request.GET).filters()
    page = recommendations_page(request, filters)
    results = []
    for item in page:
        data = recommendation_json(request, item)
        if filters.get("group") == "repeated":
            repeats = getattr(item, "repeats", None)
            data["repeats"] = {**repeats, "members_url": request.build_absolute_uri(repeats["members_url"])} \
                if repeats else None
        results.append(data)
    return page_json(request, page, results)


def recommendation_detail_queryset() -> QuerySet:
    links = ConceptLink.objects.select_related("concept__scheme", "set_by").order_by(
        "concept__scheme__slug", "concept__label_en"
    )
    return Recommendation.objects.select_related("mechanism", "dialogue__series", "document").prefetch_related(
        "recipients", "recommending_states", Prefetch("concept_links", queryset=links)
    )


def concept_links_by_scheme(item: Recommendation) -> list[dict]:
    groups: dict[int, dict] = {}
    for link in item.concept_links.all():
        scheme = link.concept.scheme
        groups.setdefault(scheme.pk, {"scheme": scheme, "links": []})["links"].append(link)
    return list(groups.values())


HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


def _shown(field, value) -> str:
    """A value from a history diff as a person reads it: choice labels, related objects' names."""
    if field.many_to_many:
        key = get_m2m_reverse_field_name(field)
        return ", ".join(str(row[key]) for row in value) or "—"
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def history_entries(item: Recommendation) -> list[dict]:
    """Who changed the item, when, and which fields, newest first."""
    records = list(item.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    # Items written in bulk (imports) can have no history record at all.
    for index, newer in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            for change in newer.diff_against(older, foreign_keys_are_objs=True).changes:
                field = Recommendation._meta.get_field(change.field)
                changes.append({
                    "field": field.verbose_name,
                    "old": _shown(field, change.old),
                    "new": _shown(field, change.new),
                })
        entries.append({
            "date": newer.history_date,
            "user": newer.history_user,
            "type": HISTORY_TYPES.get(newer.history_type, newer.history_type),
            "type_code": newer.history_type,
            "changes": changes,
        })
    return entries


def similar_and_repeated(item: Recommendation) -> dict:
    """The item's similar and repeated items, and how often its recommendation was made (over
    its repeat group, the one the grouped list shows; none for an item without repeats)."""
    links = linked_items(item)
    group = repeat_group(item)
    summary = group_summary(group) if len(group) > 1 else None
    return {"similar": links["similar"], "repeated": links["repeated"], "repeat_summary": summary}


def linked_item_json(request: HttpRequest, entry: dict) -> dict:
    other = entry["item"]
    return {
        "id": other.pk,
        "url": request.build_absolute_uri(other.get_absolute_url()),
        "text": other.text,
        "session": other.session,
        "cycle": other.cycle,
        "date": other.issued_on.isoformat() if other.issued_on else None,
        "recipients": [country.code for country in other.recipients.all()],
        "score": entry["score"],
        "confirmed": entry["confirmed"],
    }


@staff_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(recommendation_detail_queryset(), pk=pk)
    return render(request, "portal/recommendation_detail.html", {
        "item": item,
        "concept_groups": concept_links_by_scheme(item),
        "history": history_entries(item),
        **similar_and_repeated(item),
    })


@staff_required(json=True)
def recommendation_detail_json(request: HttpRequest, pk: int) -> JsonResponse:
    item = recommendation_detail_queryset().filter(pk=pk).first()
    if item is None:
        return json_error(_("There is no recommendation with the id %(pk)s.") % {"pk": pk}, 404)
    data = recommendation_json(request, item)
    data["concepts"] = [
        {
            "scheme": link.concept.scheme.slug,
            **concept_json(link.concept),
            "origin": link.origin,
            "confidence": link.confidence,
            "confirmed": link.confirmed,
        }
        for link in item.concept_links.all()
    ]
    data["history"] = [
        {
            "date": entry["date"].isoformat(),
            "user": entry["user"].get_username() if entry["user"] else None,
            "type": str(entry["type"]),
            "changed": [str(change["field"]) for change in entry["changes"]],
        }
        for entry in history_entries(item)
    ]
    linked = similar_and_repeated(item)
    data["similar"] = [linked_item_json(request, entry) for entry in linked["similar"]]
    data["repeated"] = [{**linked_item_json(request, entry), "earlier": entry["earlier"]}
                        for entry in linked["repeated"]]
    summary = linked["repeat_summary"]
    data["repeat_summary"] = None if summary is None else {
        "times": summary["times"], "since": summary["since"], "states": summary["states"], "items": summary["items"],
        "text": summary["text"],
    }
    return JsonResponse(data)


"""The search pages: /search/ for everyone, its CSV export, and each user's saved searches.

The engine (``engine.parse_request`` and ``engine.search``) decides what matches and what the
visitor may see; these views only draw its answer. A parameter the engine rejects is a 400
page that says why, never a server error.
"""

import csv
from collections.abc import Iterator
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from hrtrack.followup import rules
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.web import is_staff_member
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import Kind

from . import engine
from .forms import RenameSavedSearchForm, SavedSearchForm, SearchForm, saved_query_string
from .labels import facet_labels
from .models import SavedSearch

FILTER_LABELS = {
    "kind": gettext_lazy("Kind"),
    "recipient": gettext_lazy("Addressed to"),
    "recommending_state": gettext_lazy("Recommending state"),
    "mechanism": gettext_lazy("Mechanism"),
    "session": gettext_lazy("Session"),
    "cycle": gettext_lazy("Cycle"),
    "theme": gettext_lazy("Theme"),
    "group": gettext_lazy("Affected group"),
    "sdg": gettext_lazy("Sustainable Development Goal"),
    "response": gettext_lazy("Response"),
    "action_category": gettext_lazy("Action category"),
    "status": gettext_lazy("Implementation status"),
    "agency": gettext_lazy("Responsible agency"),
    "series": gettext_lazy("Dialogue series"),
}

#: Result kinds: the items' kinds, and dialogues.
KIND_LABELS = {**dict(Kind.choices), "dialogue": gettext_lazy("Dialogue")}

#: A facet shows this many values; the next FACET_VALUES_MORE wait behind "More". Each value is a
#: link holding the whole query, so the page stays light on slow connections.
FACET_VALUES_SHOWN = 8
FACET_VALUES_MORE = 40

#: The CSV export stops after this many rows, and says so. The engine is asked for them all in
#: one call (set on the parsed request: the page's ``limit`` stops at 100), which ranks and counts
#: the matches once.
EXPORT_MAX_ROWS = 10_000

#: The CSV columns after id, kind, text and score, and the ``Hit.fields`` key each comes from.
EXPORT_FIELDS = [
    ("recipient", "recipients"),
    ("recommending states", "recommending_states"),
    ("session", "session"),
    ("cycle", "cycle"),
    ("date", "date"),
    ("response", "response"),
    ("action category", "action_category"),
    ("themes", "themes"),
]
EXPORT_HEADER = ["id", "kind", "text", "score", *(column for column, _key in EXPORT_FIELDS), "url"]

#: ``Hit.fields`` keys whose values are codes, and the filter whose labels name them.
FIELD_FILTERS = {
    "recipients": "recipient", "recommending_states": "recommending_state", "mechanisms": "mechanism",
    "response": "response", "action_category": "action_category", "themes": "theme", "groups": "group",
    "sdgs": "sdg", "statuses": "status", "agencies": "agency", "series": "series",
}

#: What a result shows under its snippet: (label, ``Hit.fields`` key).
HIT_FACTS = [
    (gettext_lazy("Addressed to"), "recipients"),
    (gettext_lazy("From"), "recommending_states"),
    (gettext_lazy("Series"), "series"),
    (gettext_lazy("Session"), "session"),
    (gettext_lazy("Cycle"), "cycle"),
    (gettext_lazy("Date"), "date"),
    (gettext_lazy("Response"), "response"),
    (gettext_lazy("Status"), "statuses"),
    (gettext_lazy("Themes"), "themes"),
]


# Showing what the engine returns ----------------------------------------------------------


def field_text(fields: dict, key: str, separator: str = ", ", memo: dict | None = None) -> str:
    """A result's field as a person reads it: names rather than codes, lists joined, blanks empty.
    ``memo`` keeps the labels found between calls (an export's 10,000 rows ask for the same few)."""
    value = fields.get(key)
    values = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")]
    if not values:
        return ""
    if key not in FIELD_FILTERS:
        return separator.join(values)
    if memo is None:
        # The engine's labels are cached per process: one query per kind of value at most.
        labels = facet_labels(FIELD_FILTERS[key], values)
        return separator.join(labels.get(v, v) for v in values)
    missing = [v for v in values if (key, v) not in memo]
    if missing:
        found = facet_labels(FIELD_FILTERS[key], missing)
        memo.update({(key, v): found.get(v, v) for v in missing})
    return separator.join(memo[key, v] for v in values)


def hit_facts(hit: engine.Hit, memo: dict | None = None,
              facts: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """The key fields a result shows under its snippet, those with a value only. ``memo`` keeps
    the labels of the values between a page's results (``field_text``), ``facts`` is HIT_FACTS with
    its labels already translated (a page's results show a hundred)."""
    shown = []
    for label, key in HIT_FACTS if facts is None else facts:
        text = field_text(hit.fields, key, memo=memo)
        if text:
            shown.append((label, text))
    return shown


#: A grouped result names this many of the states that made it, then "and N others".
MADE_BY_NAMED = 2


def repeat_entries(hit: engine.Hit, memo: dict) -> tuple[list[dict], str]:
    """A grouped result's items as links named by who made them, and "by France, Spain and 3
    others" (each state once); nothing for a result made once."""
    if hit.made < 2:
        return [], ""
    members = []
    for member in hit.members:
        label = field_text(member, "recommending_states", memo=memo) or _("Item %(id)s") % {"id": member["object_id"]}
        members.append({"url": member["url"], "label": label, "id": member["id"]})
    names = list(dict.fromkeys(field_text({"recommending_states": [code]}, "recommending_states", memo=memo)
                               for member in hit.members for code in member["recommending_states"]))
    if not names:
        return members, ""
    if len(names) == 1:
        return members, _("by %(name)s") % {"name": names[0]}
    if len(names) <= MADE_BY_NAMED + 1:
        return members, _("by %(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    others = len(names) - MADE_BY_NAMED
    return members, ngettext("by %(names)s and %(count)d other", "by %(names)s and %(count)d others", others) % {
        "names": ", ".join(names[:MADE_BY_NAMED]), "count": others}


def hit_entry(hit: engine.Hit, memo: dict, facts: list[tuple[str, str]] | None = None) -> dict:
    """What the page draws for one result (``memo`` and ``facts`` as for ``hit_facts``)."""
    members, made_by = repeat_entries(hit, memo)
    return {"hit": hit, "kind_label": KIND_LABELS.get(hit.kind, hit.kind), "facts": hit_facts(hit, memo, facts),
            "title": hit.fields.get("title") or "", "members": members, "made_by": made_by}


class Toggles:
    """``toggle(name, value)``: the query string with a filter value added, or removed if it was
    there (any case, spaces aside), back to the first page. The parameters are encoded once for a
    page's ~150 facet links, each of which encodes only its own filter's values (copying and
    encoding the whole QueryDict for each link took a tenth of the page's time)."""

    def __init__(self, params: QueryDict):
        self.params = params
        self.keys = [key for key in params if key != "offset"]
        self.encoded = {key: [self._encode(key, value) for value in params.getlist(key)] for key in self.keys}
        self._around: dict[str, tuple[str, str]] = {}

    def _encode(self, key: str, value: str) -> str:
        # As QueryDict.urlencode writes each pair.
        encoding = self.params.encoding
        return urlencode({key.encode(encoding): str(value).encode(encoding)})

    def around(self, name: str) -> tuple[str, str]:
        """The encoded parameters before ``name`` and after it (all before it when it is not there:
        a new parameter goes last)."""
        if name not in self._around:
            at = self.keys.index(name) if name in self.encoded else len(self.keys)
            self._around[name] = ("&".join(part for key in self.keys[:at] for part in self.encoded[key]),
                                  "&".join(part for key in self.keys[at + 1:] for part in self.encoded[key]))
        return self._around[name]

    def __call__(self, name: str, value: str) -> str:
        values = self.params.getlist(name)
        folded = value.lower()
        kept = [index for index, each in enumerate(values) if each.strip().lower() != folded]
        encoded = self.encoded.get(name, [])
        if len(kept) < len(values):
            own = [encoded[index] for index in kept]
        else:
            own = [*encoded, self._encode(name, value)]
        before, after = self.around(name)
        return "&".join(part for part in (before, *own, after) if part)


def facet_groups(params: QueryDict, result: engine.SearchResult, toggle: Toggles | None = None) -> list[dict]:
    """Each filter with values in the result: their labels, counts and the link that toggles them
    (the values the page shows only: the engine counts up to FACET_VALUES a filter)."""
    toggle = toggle or Toggles(params)
    search_url = reverse("search:search")
    counts: dict[int, str] = {}

    def entry(name: str, value: engine.FacetValue) -> dict:
        query = toggle(name, value.value)
        if value.count not in counts:
            counts[value.count] = intcomma(value.count)
        return {"value": value.value, "label": value.label or value.value, "count": value.count,
                "selected": value.selected, "query": query, "href": f"{search_url}?{query}",
                "count_text": counts[value.count]}

    groups = []
    for name in engine.FILTERS:
        values = result.facets.get(name) or []
        if not values:
            continue
        # The selected values always show, even when they are not among the most frequent.
        first, rest = values[:FACET_VALUES_SHOWN], values[FACET_VALUES_SHOWN:]
        more = [value for value in rest if not value.selected][:FACET_VALUES_MORE]
        first += [value for value in rest if value.selected]
        groups.append({"name": name, "label": FILTER_LABELS.get(name, name),
                       "values": [entry(name, value) for value in first],
                       "more": [entry(name, value) for value in more]})
    return groups


def active_filters(params: QueryDict, groups: list[dict], toggle: Toggles | None = None) -> list[dict]:
    """The filter values in use, each with the link that removes it."""
    toggle = toggle or Toggles(params)
    labels = {(g["name"], e["value"].lower()): e["label"] for g in groups for e in g["values"] + g["more"]}
    active = []
    for name in engine.FILTERS:
        for value in params.getlist(name):
            value = value.strip()
            if value:
                active.append({
                    "filter": FILTER_LABELS[name],
                    "label": labels.get((name, value.lower()), value),
                    "query": toggle(name, value),
                })
    return active


def page_links(params: QueryDict, request: engine.SearchRequest, total: int) -> dict:
    """Previous and next pages by offset, and which results this page shows."""

    def at(offset: int) -> str:
        query = params.copy()
        if offset:
            query["offset"] = str(offset)
        else:
            query.pop("offset", None)
        return query.urlencode()

    limit, offset = request.limit, request.offset
    return {
        "first": offset + 1 if total else 0,
        "last": min(offset + limit, total),
        "previous": at(max(offset - limit, 0)) if offset > 0 else None,
        "next": at(offset + limit) if offset + limit < total else None,
    }


def list_query(params: QueryDict) -> str:
    """The item list's query string for a search's filters, words and dates: where assigning a
    search's results starts (the list's bulk form, which counts what it will assign). ``kind=dialogue``
    is dropped: a dialogue is not an item. The list matches the words as typed, not their meaning."""
    kept = QueryDict(mutable=True)
    for name in ItemFilterSet.base_filters:
        values = [value.strip() for value in params.getlist(name) if value.strip()]
        if name == "kind":
            values = [part for value in values for part in value.split(",")
                      if part.strip() and part.strip().lower() != "dialogue"]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def search_context(request: HttpRequest, params: QueryDict) -> tuple[dict, int]:
    """The search page's context for these parameters, and its status (400 for a bad parameter)."""
    context = {
        "form": SearchForm(params),
        "saved_query_string": saved_query_string(params),
        # A new query from the form keeps the filters chosen, the page size and repeats shown apart.
        "kept_params": [(name, value) for name in (*engine.FILTERS, "limit", "repeats")
                        for value in params.getlist(name)],
        "export_max_rows": EXPORT_MAX_ROWS,
    }
    try:
        search_request = engine.parse_request(params)
    except InvalidInput as error:
        context["problems"] = error.problems
        return context, 400
    result = engine.search(search_request, request.user)
    toggle = Toggles(params)
    groups = facet_groups(params, result, toggle)
    warnings = result.warnings
    if not is_staff_member(request.user):
        # Warnings that name a command (`hrtrack search reindex`) are for those who run the site.
        warnings = [warning for warning in warnings if "`" not in warning]
    memo: dict = {}
    facts = [(str(label), key) for label, key in HIT_FACTS]
    texts = result.total if result.texts is None else result.texts
    context.update({
        "result": result,
        # The results the pages hold: identical repeated items count once (engine's ``repeats``).
        "texts": texts,
        "hits": [hit_entry(hit, memo, facts) for hit in result.hits],
        "facets": groups,
        "warnings": warnings,
        "active_filters": active_filters(params, groups, toggle),
        "pages": page_links(params, search_request, texts),
    })
    if rules.can_assign(request.user):
        query = list_query(params)
        context["assign_url"] = f"{reverse('recommendations:recommendations')}?{query}#bulk-assign-heading"
    return context, 200


# Pages ------------------------------------------------------------------------------------


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    context, status = search_context(request, request.GET)
    if request.user.is_authenticated:
        context["save_form"] = SavedSearchForm(
            owner=request.user, initial={"query_string": context["saved_query_string"]}
        )
    return render(request, "search/search.html", context, status=status)


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


def export_rows(request: HttpRequest, result: engine.SearchResult) -> Iterator[list]:
    """The header, then every hit of ``result`` as a CSV row (read a chunk at a time, as they are
    written out, when the search was run with ``stream``)."""
    yield EXPORT_HEADER
    labels: dict = {}
    for hit in engine.iter_hits(result):
        yield [csv_safe(cell) for cell in [
            hit.id, hit.kind, hit.text, round(hit.score, 6),
            # "; " between values: names such as "Korea, Republic of" hold commas.
            *(field_text(hit.fields, key, "; ", labels) for _column, key in EXPORT_FIELDS),
            request.build_absolute_uri(hit.url) if hit.url else "",
        ]]


@require_GET
def search_csv(request: HttpRequest) -> HttpResponse:
    """All results of a search as CSV (at most EXPORT_MAX_ROWS), whatever page the visitor was on,
    streamed: the first row leaves once the matches are ranked, the rest are read as they go."""
    try:
        search_request = engine.parse_request(request.GET)
    except InvalidInput as error:
        return HttpResponse("; ".join(error.problems) + "\n", status=400, content_type="text/plain; charset=utf-8")
    search_request.offset, search_request.limit = 0, EXPORT_MAX_ROWS
    first = engine.search(search_request, request.user, stream=True)
    writer = csv.writer(Echo())
    language = translation.get_language()

    def lines() -> Iterator[str]:
        # Written after the view returns: the labels keep the request's language.
        with translation.override(language):
            for row in export_rows(request, first):
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="search-results.csv"'
    response["X-Total-Count"] = str(first.total)
    response["X-Export-Limit"] = str(EXPORT_MAX_ROWS)
    if first.total > EXPORT_MAX_ROWS:
        response["X-Export-Truncated"] = "true"
    return response


# Saved searches ---------------------------------------------------------------------------


SORT_LABELS = {"date": gettext_lazy("newest first"), "-date": gettext_lazy("oldest first")}
MODE_LABELS = {"text": gettext_lazy("exact words only"), "semantic": gettext_lazy("meaning only")}


def describe(query_string: str) -> str:
    """A saved search's parameters in words: “torture” · Addressed to: mx · From date: 2015-01-01."""
    params = QueryDict(query_string)
    parts = []
    if params.get("q", "").strip():
        parts.append(f"“{params['q'].strip()}”")
    for name in engine.FILTERS:
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            parts.append(f"{FILTER_LABELS[name]}: {', '.join(values)}")
    for name, label in (("date_from", _("From date")), ("date_to", _("To date"))):
        if params.get(name):
            parts.append(f"{label}: {params[name]}")
    if params.get("sort") in SORT_LABELS:
        parts.append(_("Sorted: %(order)s") % {"order": SORT_LABELS[params["sort"]]})
    if params.get("mode") in MODE_LABELS:
        parts.append(_("Match: %(mode)s") % {"mode": MODE_LABELS[params["mode"]]})
    return " · ".join(parts)


def saved_rows(request: HttpRequest, failed: RenameSavedSearchForm | None = None) -> list[dict]:
    """The visitor's saved searches, each with its rename form (the one that failed keeps its error)."""
    rows = []
    for saved in SavedSearch.objects.filter(owner=request.user).order_by("name", "pk"):
        if failed is not None and failed.instance.pk == saved.pk:
            form = failed
        else:
            form = RenameSavedSearchForm(instance=saved, owner=request.user, prefix=f"rename-{saved.pk}")
        rows.append({"search": saved, "form": form, "description": describe(saved.query_string)})
    return rows


def own_saved_search(request: HttpRequest, pk: int) -> SavedSearch:
    """The visitor's own saved search; someone else's is a 404, as if it did not exist."""
    return get_object_or_404(SavedSearch, pk=pk, owner=request.user)


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    """The visitor's saved searches (GET), or a new one saved from the search page (POST)."""
    if request.method == "POST":
        form = SavedSearchForm(request.POST, owner=request.user)
        if form.is_valid():
            saved = form.save()
            messages.success(request, _("The search was saved as “%(name)s”.") % {"name": saved.name})
            return redirect(f"{reverse('search:search')}?{saved.query_string}")
        # Back to the same results, with the problem beside the name field.
        params = QueryDict(request.POST.get("query_string", "").lstrip("?"))
        context, status = search_context(request, params)
        context["save_form"] = form
        return render(request, "search/search.html", context, status=status)
    return render(request, "search/saved_list.html", {"searches": saved_rows(request)})


@login_required
@require_GET
def saved_open(request: HttpRequest, pk: int) -> HttpResponse:
    saved = own_saved_search(request, pk)
    return redirect(f"{reverse('search:search')}?{saved.query_string}")


@login_required
@require_POST
def saved_rename(request: HttpRequest, pk: int) -> HttpResponse:
    saved = own_saved_search(request, pk)
    old_name = saved.name
    form = RenameSavedSearchForm(request.POST, instance=saved, owner=request.user, prefix=f"rename-{saved.pk}")
    if form.is_valid():
        form.save()
        messages.success(request, _("“%(old)s” is now named “%(new)s”.") % {"old": old_name, "new": saved.name})
        return redirect("search:saved")
    return render(request, "search/saved_list.html", {"searches": saved_rows(request, failed=form)})


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = own_saved_search(request, pk)
    saved.delete()
    messages.success(request, _("The saved search “%(name)s” was deleted.") % {"name": saved.name})
    return redirect("search:saved")

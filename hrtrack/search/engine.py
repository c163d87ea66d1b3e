"""The one search behind the three doors (staff and public pages, /api/v1/search, `hrtrack search`).

CONTRACT (agreed between the engine and the pages; keep these names and shapes):

- ``parse_request(params) -> SearchRequest`` reads a mapping of strings (a QueryDict, a dict of
  str -> str | list[str], the command's options turned into a dict). Unknown parameters are
  ignored; a bad value (limit not a number, an unknown sort, a date that is not ISO) raises
  ``hrtrack.lib.errors.InvalidInput`` with a message a user understands.
  Parameters: ``q``; filters, each repeatable: ``recipient``, ``recommending_state`` (ISO alpha-2,
  any case), ``mechanism`` (mechanism concept code), ``session``, ``cycle`` (integers), ``theme``,
  ``group`` (affected group), ``sdg`` (concept codes), ``response``, ``action_category``,
  ``status`` (implementation status), ``agency`` (organization id), ``series`` (dialogue series
  slug), ``kind`` (recommendation / pledge / commitment / dialogue); ``date_from``, ``date_to``
  (ISO dates); ``sort`` (``relevance`` default, ``date`` newest first, ``-date`` oldest first);
  ``mode`` (``fused`` default, ``text``, ``semantic``); ``limit`` (1-100, default 20); ``offset``.
- ``search(request, user) -> SearchResult``: ``user`` decides what may be seen (restricted people
  and cases only for those allowed; anonymous users see only published content).
- ``SearchResult.facets``: for each filter name, the values present in the matching set with
  their counts (``FacetValue``), most frequent first, the selected values always included.
"""

from __future__ import annotations

import functools
import html
import re
import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import fold

from . import query as syntax

FILTERS = (
    "recipient", "recommending_state", "mechanism", "session", "cycle", "theme", "group", "sdg",
    "response", "action_category", "status", "agency", "series", "kind",
)
SORTS = ("relevance", "date", "-date")
MODES = ("fused", "text", "semantic")
KINDS = ("recommendation", "pledge", "commitment", "observation", "dialogue")
#: Reciprocal rank fusion's constant (Cormack et al. 2009): a rank-1 hit in one list weighs
#: about as much as rank 3 in both, so neither list has to be calibrated against the other.
RRF_K = 60
#: How many semantic neighbours join the fused list (and count as matches).
SEMANTIC_CANDIDATES = 100
MAX_QUERY_LENGTH = 1000
#: Facet values listed per filter (the selected ones are always added).
FACET_VALUES = 100
#: New items found unindexed are indexed on the spot up to this many (imports from the command
#: line write without signals); more wait for `hrtrack search reindex`.
CATCH_UP_LIMIT = 5000


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    mode: str = "fused"
    limit: int = 20
    offset: int = 0


@dataclass
class Hit:
    id: str                 # stable across the doors, e.g. "recommendation:123"
    kind: str               # recommendation | pledge | commitment | dialogue
    object_id: int
    text: str
    snippet: str            # HTML-safe: escaped text with the matched words in <mark>
    score: float
    url: str                # the item's page on the staff site
    fields: dict            # recipient(s), recommending states, session, cycle, date, response,
                            # action_category, themes, groups, sdgs, status, agencies, series, title


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    took_ms: float
    request: SearchRequest | None = None
    mode: str = "fused"     # the mode that ran: "text" when no embedding model is there
    warnings: list[str] = field(default_factory=list)


# Reading the parameters -------------------------------------------------------------------


def _values(params, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        raw = params.get(name)
        raw = [] if raw is None else list(raw) if isinstance(raw, (list, tuple)) else [raw]
    out = []
    for value in raw:
        if value is None:
            continue
        out.extend(part.strip() for part in str(value).split(",") if part.strip())
    return out


def _one(params, name: str) -> str | None:
    """The parameter's last value (commas are not separators here: a query may hold them)."""
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name)
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else None
    return None if raw in (None, "") else str(raw)


def _integer(params, name: str, default: int, low: int, high: int) -> int:
    value = _one(params, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(_("%(name)s must be a whole number, not %(value)s.") % {"name": name, "value": value}) \
            from None
    if not low <= number <= high:
        raise InvalidInput(_("%(name)s must be between %(low)d and %(high)d.") % {"name": name, "low": low,
                                                                                  "high": high})
    return number


def _date(params, name: str) -> date | None:
    value = _one(params, name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("%(name)s must be a date as YYYY-MM-DD, not %(value)s.") % {"name": name,
                                                                                         "value": value}) from None


def parse_request(params) -> SearchRequest:
    """Read and check a search's parameters (see the module's docstring); InvalidInput when bad."""
    q = (_one(params, "q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidInput(_("The query is too long: %(max)d characters at most.") % {"max": MAX_QUERY_LENGTH})
    filters: dict[str, list[str]] = {}
    for name in FILTERS:
        values = _values(params, name)
        if not values:
            continue
        if name in ("recipient", "recommending_state"):
            values = [v.upper() for v in values]
        elif name == "kind":
            values = [v.lower() for v in values]
            unknown = [v for v in values if v not in KINDS]
            if unknown:
                raise InvalidInput(_("Unknown kind %(value)s: use one of %(kinds)s.") % {
                    "value": unknown[0], "kinds": ", ".join(KINDS)})
        elif name in ("session", "cycle", "action_category", "agency"):
            for value in values:
                if not value.isdigit():
                    raise InvalidInput(_("%(name)s must be a whole number, not %(value)s.") % {
                        "name": name, "value": value})
            values = [str(int(v)) for v in values]
        filters[name] = list(dict.fromkeys(values))
    sort = _one(params, "sort") or "relevance"
    if sort not in SORTS:
        raise InvalidInput(_("Unknown sort %(value)s: use one of %(sorts)s.") % {"value": sort,
                                                                                 "sorts": ", ".join(SORTS)})
    mode = _one(params, "mode") or "fused"
    if mode not in MODES:
        raise InvalidInput(_("Unknown mode %(value)s: use one of %(modes)s.") % {"value": mode,
                                                                                 "modes": ", ".join(MODES)})
    request = SearchRequest(
        q=q, filters=filters, date_from=_date(params, "date_from"), date_to=_date(params, "date_to"),
        sort=sort, mode=mode, limit=_integer(params, "limit", 20, 1, 100),
        offset=_integer(params, "offset", 0, 0, 10_000),
    )
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise InvalidInput(_("date_from is after date_to."))
    return request


# Full text --------------------------------------------------------------------------------


def can_see_restricted(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.can_see_restricted())


def _text_sqlite(query: syntax.Query, restricted: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(document ids, scores) of the matches; with the ids to leave out when the query only excludes."""
    column = None if restricted else "text"
    with connection.cursor() as cursor:
        expression = syntax.to_fts5(query.root, column)
        ids, scores = np.zeros(0, dtype=np.int64), np.zeros(0)
        if expression:
            cursor.execute("SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s", [expression])
            rows = cursor.fetchall()
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            scores = -np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        excluded = None
        if query.only_excludes:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                           [syntax.excluded_to_fts5(query.root, column)])
            excluded = np.array([r[0] for r in cursor.fetchall()], dtype=np.int64)
    return ids, scores, excluded


def _text_postgres(query: syntax.Query, restricted: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    column = "vector_all" if restricted else "vector"
    with connection.cursor() as cursor:
        ids, scores, excluded = np.zeros(0, dtype=np.int64), np.zeros(0), None
        built = [syntax.to_tsquery_sql(query.root, config) for config in ("english", "spanish")]
        if built[0]:
            (english, english_params), (spanish, spanish_params) = built
            cursor.execute(
                f"SELECT id, GREATEST(ts_rank({column}, {english}), ts_rank({column}, {spanish})) "
                f"FROM search_searchdocument WHERE live AND ({column} @@ {english} OR {column} @@ {spanish})",
                english_params + spanish_params + english_params + spanish_params,
            )
            rows = cursor.fetchall()
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            scores = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        if query.only_excludes:
            (english, english_params), (spanish, spanish_params) = [
                syntax.excluded_tsquery_sql(query.root, config) for config in ("english", "spanish")]
            cursor.execute(
                f"SELECT id FROM search_searchdocument WHERE {column} @@ {english} OR {column} @@ {spanish}",
                english_params + spanish_params)
            excluded = np.array([r[0] for r in cursor.fetchall()], dtype=np.int64)
    return ids, scores, excluded


def text_matches(query: syntax.Query, restricted: bool):
    """Run the full-text query on this database. A query the engine still refuses is an InvalidInput."""
    run = _text_postgres if connection.vendor == "postgresql" else _text_sqlite
    try:
        with transaction.atomic():  # a failed statement must not spoil an outer transaction on PostgreSQL
            return run(query, restricted)
    except DatabaseError as error:
        raise InvalidInput(_("The search engine could not read this query: %(error)s") % {"error": error}) \
            from None


# Snippets ---------------------------------------------------------------------------------

_SNIPPET_WORDS = 40
_TOKEN = re.compile(r"\w+|[^\w]+", re.UNICODE)
_SUFFIXES = ("ations", "ation", "itions", "ition", "ments", "ment", "ings", "ing", "ists", "ist", "isms", "ism",
             "ions", "ion", "ies", "es", "ed", "ly", "s", "aciones", "acion", "istas", "ista", "as", "os")


@functools.lru_cache(maxsize=100_000)
def light_stem(word: str) -> str:
    """A word's rough stem for highlighting: enough to mark 'journalists' for 'journalist'."""
    word = fold(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def snippet(text: str, terms: list[syntax.Term], words: int = _SNIPPET_WORDS) -> str:
    """The passage of ``text`` with the most query words, HTML-escaped, the words in <mark>."""
    tokens = _TOKEN.findall(text)
    stems = {light_stem(t.word) for t in terms if not t.prefix}
    prefixes = tuple(fold(t.word) for t in terms if t.prefix)

    def is_hit(token: str) -> bool:
        if not token[:1].isalnum():
            return False
        folded = fold(token)
        return light_stem(folded) in stems or (bool(prefixes) and folded.startswith(prefixes))

    word_positions = [i for i, t in enumerate(tokens) if t[:1].isalnum()]
    hits = [is_hit(tokens[i]) for i in word_positions]
    start_word = 0
    if len(word_positions) > words and any(hits):
        best, best_count = 0, -1
        window = sum(hits[:words])
        for first in range(0, len(word_positions) - words + 1):
            if first:
                window += hits[first + words - 1] - hits[first - 1]
            if window > best_count:
                best, best_count = first, window
        start_word = max(0, best - 3)
    end_word = min(len(word_positions), start_word + words)
    begin = word_positions[start_word] if word_positions else 0
    end = word_positions[end_word - 1] + 1 if word_positions else len(tokens)
    out = ["…" if begin > 0 else ""]
    for index in range(begin, end):
        token = tokens[index]
        escaped = html.escape(token)
        out.append(f"<mark>{escaped}</mark>" if is_hit(token) else escaped)
    if end < len(tokens) and any(t[:1].isalnum() for t in tokens[end:]):
        out.append("…")
    return "".join(out).strip()


# Ranking ----------------------------------------------------------------------------------


def _ranked(rows: np.ndarray, scores: np.ndarray, catalog) -> np.ndarray:
    """Rows by score, best first; ties newest first, then by id: the same order on every door."""
    return rows[np.lexsort((-catalog.ids[rows], -catalog.dates[rows], -scores))]


def _by_date(rows: np.ndarray, catalog, newest_first: bool, count: int) -> np.ndarray:
    dates = catalog.dates[rows].astype(np.int64)
    if newest_first:
        key = np.where(dates > 0, -dates, 1)   # undated last
    else:
        key = np.where(dates > 0, dates, 1 << 40)
    ids = catalog.ids[rows]
    ids_key = -ids if newest_first else ids
    if len(rows) > 4 * count:
        # Only the first ``count`` rows are needed: sort those past a partition on the date.
        cut = np.partition(key, count - 1)[count - 1]
        keep = key <= cut
        rows, key, ids_key = rows[keep], key[keep], ids_key[keep]
    return rows[np.lexsort((ids_key, key))][:count]


def fuse(lists: list[np.ndarray], k: int = RRF_K) -> tuple[np.ndarray, np.ndarray]:
    """Reciprocal rank fusion: each row scores the sum of 1 / (k + rank) over the lists."""
    scores: dict[int, float] = {}
    for ranked in lists:
        for rank, row in enumerate(ranked.tolist(), start=1):
            scores[row] = scores.get(row, 0.0) + 1.0 / (k + rank)
    rows = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
    return rows, np.fromiter(scores.values(), dtype=np.float64, count=len(scores))


# Searching --------------------------------------------------------------------------------


def search(request: SearchRequest, user=None) -> SearchResult:
    """Run one search for ``user`` (None: an anonymous visitor)."""
    from .catalog import get_catalog
    from .documents import catch_up_new_items

    started = time.perf_counter()
    warnings: list[str] = []
    catalog = get_catalog()
    behind = catch_up_new_items(CATCH_UP_LIMIT, catalog.newest_item_id())
    if behind:
        warnings.append(_("%(count)d items are not in the search index yet: run `hrtrack search reindex`.")
                        % {"count": behind})
    catalog.refresh()
    restricted = can_see_restricted(user)
    query = syntax.parse(request.q)
    mask = catalog.mask(request.filters, request.date_from, request.date_to)
    mode = request.mode
    text_rows = semantic_rows = None
    text_scores = semantic_scores = None

    if not query.empty and mode in ("fused", "text"):
        text_rows, text_scores = _text_ranked(query, restricted, catalog, mask, warnings)
    if query.only_excludes and mode != "text":
        text_rows, text_scores = _text_ranked(query, restricted, catalog, mask, warnings)
        mode = "text"
    elif not query.empty and mode in ("fused", "semantic"):
        found = _semantic(query, catalog, mask, warnings)
        if found is None:
            if mode == "semantic" or text_rows is None:
                text_rows, text_scores = _text_ranked(query, restricted, catalog, mask, warnings)
            mode = "text"
        else:
            semantic_rows, semantic_scores = found

    if query.empty:
        matching = np.nonzero(mask)[0]
        ranked, scores = None, None
    elif mode == "fused":
        rows, fused_scores = fuse([text_rows, semantic_rows])
        ranked = _ranked(rows, fused_scores, catalog)
        scores = dict(zip(rows.tolist(), fused_scores.tolist(), strict=True))
        matching = np.sort(rows)
    elif mode == "semantic":
        ranked = semantic_rows
        scores = dict(zip(semantic_rows.tolist(), semantic_scores.tolist(), strict=True))
        matching = np.sort(semantic_rows)
    else:
        ranked = text_rows
        scores = dict(zip(text_rows.tolist(), text_scores.tolist(), strict=True))
        matching = np.sort(text_rows)

    window = request.offset + request.limit
    if request.sort == "relevance" and ranked is not None:
        page_rows = ranked[request.offset:window]
    else:
        page_rows = _by_date(matching, catalog, request.sort != "-date", window)[request.offset:]
    hits = _hits(page_rows, scores or {}, catalog, query, restricted)
    facets = _facets(catalog.counts(matching), request.filters)
    took = round((time.perf_counter() - started) * 1000, 2)
    return SearchResult(total=len(matching), hits=hits, facets=facets, took_ms=took, request=request, mode=mode,
                        warnings=warnings)


def _text_ranked(query, restricted, catalog, mask, warnings):
    ids, scores, excluded = text_matches(query, restricted)
    if not len(ids) and not query.operators and not query.only_excludes:
        # A question in plain words: items with any of its words, the best first.
        loose = syntax.relaxed(query)
        if loose.root.children:
            ids, scores, excluded = text_matches(loose, restricted)
            if len(ids):
                warnings.append(_("No item has all these words: showing those with some of them."))
    if excluded is not None:
        # Only exclusions: every allowed row but those, newest first.
        keep = mask.copy()
        rows_out = catalog.row_of_id[excluded[excluded < len(catalog.row_of_id)]]
        keep[rows_out[rows_out >= 0]] = False
        rows = np.nonzero(keep)[0]
        return _by_date(rows, catalog, True, len(rows)), np.zeros(len(rows))
    inside = ids < len(catalog.row_of_id)
    ids, scores = ids[inside], scores[inside]
    rows = catalog.row_of_id[ids].astype(np.int64)
    keep = rows >= 0
    rows, scores = rows[keep], scores[keep]
    keep = mask[rows]
    rows, scores = rows[keep], scores[keep]
    order = np.lexsort((-catalog.ids[rows], -catalog.dates[rows], -scores))
    return rows[order], scores[order]


def _semantic(query, catalog, mask, warnings):
    """(rows, cosines) of the nearest documents, or None when semantic search cannot run here."""
    from hrtrack.nlp.embeddings import ModelError

    from .semantic import embed_query, get_index

    index = get_index()
    if index is None:
        warnings.append(_("No semantic index yet (run `hrtrack similar rebuild`, then `hrtrack search reindex`): "
                          "text search only."))
        return None
    try:
        vector = embed_query(query.english or " ".join(t.word for t in syntax.highlight_terms(query)))
    except ModelError:
        warnings.append(_("No embedding model is exported (run `hrtrack embeddings export`): text search only."))
        return None
    rows, scores = index.search(vector, catalog, mask, SEMANTIC_CANDIDATES)
    return rows, scores.astype(np.float64)


# Results ----------------------------------------------------------------------------------


def _hits(rows: np.ndarray, scores: dict, catalog, query, restricted: bool) -> list[Hit]:
    from .models import SearchDocument

    ids = [int(catalog.ids[row]) for row in rows]
    documents = SearchDocument.objects.in_bulk(ids)
    terms = syntax.highlight_terms(query)
    hits = []
    for row, pk in zip(rows.tolist(), ids, strict=True):
        document = documents.get(pk)
        if document is None:
            continue
        shown = document.text
        if restricted and document.restricted_text:
            # The passage may come from a case raised: for those allowed to see it.
            shown = document.text + "\n" + document.restricted_text
        fields = document_fields(document)
        hits.append(Hit(
            id=f"{document.kind}:{document.object_id}", kind=document.kind, object_id=document.object_id,
            text=document.text, snippet=snippet(shown, terms) if terms else snippet(shown, []),
            score=round(float(scores.get(row, 0.0)), 6), url=document_url(document), fields=fields,
        ))
    return hits


def document_url(document) -> str:
    name = "portal:dialogue" if document.kind == "dialogue" else "portal:recommendation"
    return reverse(name, args=[document.object_id])


def document_fields(document) -> dict:
    def split(value: str) -> list[str]:
        return value.split() if value else []

    return {
        "title": document.title or None,
        "language": document.language,
        "date": document.date.isoformat() if document.date else None,
        "recipients": split(document.recipients),
        "recommending_states": split(document.recommending_states),
        "mechanisms": split(document.mechanisms),
        "session": document.session,
        "cycle": document.cycle,
        "response": document.response or None,
        "action_category": document.action_category,
        "themes": split(document.themes),
        "groups": split(document.groups),
        "sdgs": split(document.sdgs),
        "statuses": split(document.statuses),
        "agencies": [int(v) for v in split(document.agencies)],
        "series": document.series or None,
    }


def _facets(counts: dict[str, dict[str, int]], filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    from .labels import facet_labels

    out = {}
    for name in FILTERS:
        present = counts.get(name, {})
        selected = set(filters.get(name, []))
        ordered = sorted(present.items(), key=lambda pair: (-pair[1], pair[0]))[:FACET_VALUES]
        shown = {value for value, _count in ordered}
        ordered += [(value, present.get(value, 0)) for value in filters.get(name, []) if value not in shown]
        labels = facet_labels(name, [value for value, _count in ordered])
        out[name] = [FacetValue(value=value, label=labels.get(value, value), count=count, selected=value in selected)
                     for value, count in ordered]
    return out


def hit_json(hit: Hit) -> dict:
    """One result as the API and the command print it: the same function, so the doors agree."""
    return {"id": hit.id, "kind": hit.kind, "object_id": hit.object_id, "text": hit.text, "score": hit.score,
            "snippet": hit.snippet, "url": hit.url, **hit.fields}


def result_json(result: SearchResult) -> dict:
    return {
        "total": result.total,
        "mode": result.mode,
        "results": [hit_json(hit) for hit in result.hits],
        "facets": {name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                          for v in values] for name, values in result.facets.items()},
        "took_ms": result.took_ms,
        "warnings": result.warnings,
    }


def rebuild_index():
    """Rebuild every search document now (``hrtrack search reindex`` without the semantic part,
    which follows the item embeddings by itself)."""
    from .documents import reindex

    return reindex(semantic=False)

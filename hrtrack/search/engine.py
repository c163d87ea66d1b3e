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
  ``mode`` (``fused`` default, ``text``, ``semantic``); ``limit`` (1-100, default 20); ``offset``;
  ``repeats`` (``together`` default: identical repeated items are one result, "made N times",
  :mod:`hrtrack.search.repeats`; ``apart``: one result per item). ``limit`` and ``offset`` count results.
- ``search(request, user) -> SearchResult``: ``user`` decides what may be seen (restricted people
  and cases only for those allowed; anonymous visitors and contributors find only what is published,
  ``hrtrack.followup.publication``, and an item's ``status`` is then that of its public reports).
- ``SearchResult.facets``: for each filter name, the values present in the matching set with
  their counts (``FacetValue``), most frequent first, the selected values always included.
"""

from __future__ import annotations

import functools
import html
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import DatabaseError, connection, transaction
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrtrack.followup import publication
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import fold
from hrtrack.recommendations.filters import SearchFilterSet

from . import query as syntax
from . import repeats

logger = logging.getLogger(__name__)

FILTERS = SearchFilterSet.CATALOG_FILTERS
SORTS = ("relevance", "date", "-date")
MODES = ("fused", "text", "semantic")
REPEATS = ("together", "apart")
#: Reciprocal rank fusion's constant (Cormack et al. 2009): a rank-1 hit in one list weighs
#: about as much as rank 3 in both, so neither list has to be calibrated against the other.
RRF_K = 60
#: How many semantic neighbours join the fused list (and count as matches).
SEMANTIC_CANDIDATES = 100
#: The text ranking's weight in the fusion when no item has all the query's words (the any-word
#: fallback: a query in other words than the texts', such as a paraphrase), and for Spanish queries
#: (matched through the glossary's English words); the semantic list weighs 1. A loose text list
#: only breaks ties among the semantic neighbours and follows them: at 0.5 it pulled items that
#: share a word or two above better neighbours, and the fused ranking scored below semantic search
#: alone on paraphrase queries (bench/search_relevance.py; chosen on the set's dev half).
LOOSE_TEXT_WEIGHT = 0.01
SPANISH_TEXT_WEIGHT = 0.75
#: In text mode, a query of at least SUPPLEMENT_WORDS content words with fewer than FEW_MATCHES
#: full matches is followed by the items with some of its words.
FEW_MATCHES = 10
SUPPLEMENT_WORDS = 3
#: How deep the text's ranking joins the fusion (deeper ranks weigh under 1/1060 each, too little
#: to move anything; they follow in the text's order).
TEXT_CANDIDATES = 1000
MAX_QUERY_LENGTH = 1000
#: Facet values listed per filter (the selected ones are always added).
FACET_VALUES = 100


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
    repeats: str = "together"


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
    made: int = 1           # how many items of the search make this same recommendation (repeats)
    members: list[dict] = field(default_factory=list)  # those items when more than one, this one first:
                            # id, kind, object_id, url, recommending_states (``repeat_member``)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    total: int              # the items (and dialogues) that match
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    took_ms: float
    request: SearchRequest | None = None
    mode: str = "fused"     # the mode that ran: "text" when no embedding model is there
    warnings: list[str] = field(default_factory=list)
    #: With ``search(..., stream=True)``: what ``iter_hits`` reads the hits from, a chunk at a time.
    pending: _PendingHits | None = None
    #: The results they make, what ``offset`` and ``limit`` page over: identical repeated items
    #: count once (``repeats=together``); ``total`` otherwise, and for a streamed search.
    texts: int | None = None


@dataclass
class _PendingHits:
    catalog: object         # the catalog the rows index (kept: a newer one may number them otherwise)
    rows: np.ndarray
    scores: dict
    query: syntax.Query
    restricted: bool
    public: bool


# Reading the parameters -------------------------------------------------------------------


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
    # The items' filter set cleans the filters, as it does for the list pages: one meaning per name.
    # Its form (a deep copy of some twenty fields) is made only when a filter is named: each
    # filter reads its own name alone, so without one it finds none.
    filters = SearchFilterSet.search_filters(params) if any(name in params for name in FILTERS) else {}
    sort = _one(params, "sort") or "relevance"
    if sort not in SORTS:
        raise InvalidInput(_("Unknown sort %(value)s: use one of %(sorts)s.") % {"value": sort,
                                                                                 "sorts": ", ".join(SORTS)})
    mode = _one(params, "mode") or "fused"
    if mode not in MODES:
        raise InvalidInput(_("Unknown mode %(value)s: use one of %(modes)s.") % {"value": mode,
                                                                                 "modes": ", ".join(MODES)})
    repeats = _one(params, "repeats") or "together"
    if repeats not in REPEATS:
        raise InvalidInput(_("Unknown value %(value)s for repeats: use one of %(values)s.")
                           % {"value": repeats, "values": ", ".join(REPEATS)})
    request = SearchRequest(
        q=q, filters=filters, date_from=_date(params, "date_from"), date_to=_date(params, "date_to"),
        sort=sort, mode=mode, limit=_integer(params, "limit", 20, 1, 100),
        offset=_integer(params, "offset", 0, 0, 10_000), repeats=repeats,
    )
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise InvalidInput(_("date_from is after date_to."))
    return request


# Full text --------------------------------------------------------------------------------


def can_see_restricted(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.can_see_restricted())


def sees_unpublished(user) -> bool:
    """The staff site's people find what is not published too (the domain's rule,
    :mod:`hrtrack.followup.publication`)."""
    return publication.sees_unpublished(user)


#: The catalog's filter that stands for ``status`` in a public search: the statuses of public reports.
PUBLIC_STATUS = "public_status"


def _audience_filters(filters: dict[str, list[str]], public: bool) -> dict[str, list[str]]:
    """The filters as the catalog applies them for this audience: the public's ``status`` is
    that of the item's public (validated and published) reports."""
    if not public or "status" not in filters:
        return filters
    return {(PUBLIC_STATUS if name == "status" else name): values for name, values in filters.items()}


#: Up to this many matches, the text is ranked by FTS5's bm25 itself. bm25 costs microseconds a
#: match (a million-row index has words in 100,000 items): above, the same formula is estimated in
#: numpy with each query part counted once per item (see ``_estimated_scores``).
EXACT_RANK_LIMIT = 10_000
#: bm25's constants, as FTS5 uses them.
BM25_K1, BM25_B = 1.2, 0.75
#: Parts of a query looked up on their own to estimate bm25 (the rest count as always there).
ESTIMATE_PARTS = 8


def _match_ids(cursor, expression: str) -> np.ndarray:
    """The rowids matching an FTS5 expression, sorted: one string from SQLite, no row objects."""
    cursor.execute("SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH %s", [expression])
    joined = cursor.fetchone()[0]
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.fromstring(joined, dtype=np.int64, sep=","))


def _text_sqlite(query: syntax.Query, restricted: bool, catalog) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(document ids, scores) of the matches; with the ids to leave out when the query only excludes."""
    column = None if restricted else "text"
    with connection.cursor() as cursor:
        expression = syntax.to_fts5(query.root, column)
        ids, scores = np.zeros(0, dtype=np.int64), np.zeros(0)
        if expression:
            ids = _match_ids(cursor, expression)
            if len(ids) <= EXACT_RANK_LIMIT or catalog is None:
                cursor.execute("SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s",
                               [expression])
                rows = cursor.fetchall()
                ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
                scores = -np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
            else:
                scores = _estimated_scores(cursor, query.root, column, ids, catalog)
        excluded = None
        if query.only_excludes:
            excluded = _match_ids(cursor, syntax.excluded_to_fts5(query.root, column))
    return ids, scores, excluded


def _estimated_scores(cursor, root: syntax.All, column: str | None, ids: np.ndarray, catalog) -> np.ndarray:
    """bm25 for many matches, estimated: each query part that an item has counts once (as if
    every word were there once), weighted by the part's rarity, over the item's length.

    A part the whole query requires is in every match; only the alternatives of an OR (a
    Spanish word and its English equivalents, the words of a plain question) are looked up,
    each with one more MATCH within the query's own (cheap even for "rights"), and weighted by
    how rare it is among the matches. Items longer than the average weigh less, as in bm25.
    """
    whole = syntax.All(list(root.children))
    documents = max(catalog.live_count(), 1)

    def idf(count: int) -> float:
        return max(float(np.log((documents - count + 0.5) / (count + 0.5))), 1e-6)

    weight = np.zeros(len(ids))
    looked_up = 0
    for child in root.children:
        if isinstance(child, syntax.Any) and looked_up < ESTIMATE_PARTS:
            for alternative in child.children[:ESTIMATE_PARTS - looked_up]:
                looked_up += 1
                part = _match_ids(cursor, syntax.node_to_fts5(syntax.All([alternative, whole]), column))
                if not len(part):
                    continue
                where = np.minimum(np.searchsorted(part, ids), len(part) - 1)
                weight += idf(len(part)) * (part[where] == ids)
        else:
            weight += idf(len(ids))  # the part is in every match: its own count is at least theirs
    rows = catalog.rows_of(ids)
    average = catalog.average_length()
    lengths = np.where(rows >= 0, catalog.lengths[np.maximum(rows, 0)], average).astype(np.float64)
    return weight * (BM25_K1 + 1) / (1 + BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average, 1.0)))


#: The memory a search's bitmap of matches may take: with the default 4 MB, a broad query's
#: bitmap turns lossy (whole pages) and every row of those pages is checked again.
PG_WORK_MEM = "64MB"
#: Set for each search's transaction, beside it: the words' and filters' frequencies decide how a search's
#: queries are best run, and PostgreSQL plans them for the values given, not once for any value (a generic
#: plan, which it may choose after five runs of one prepared statement: settings.PG_PREPARED_OPTIONS);
#: generic plans cost a search 5.5-5.9 ms of PostgreSQL's CPU where these cost 2.9-3.1.
PG_CUSTOM_PLANS = "set_config('plan_cache_mode', 'force_custom_plan', true)"
#: When the filters let through at most this many documents, PostgreSQL matches the words within
#: those (by primary key, about 5 microseconds each) instead of reading every match of the words
#: from the table: ``torture`` within one country's items reads 5,000 rows, not 40,000. (The
#: planner, which underestimates how many rows a tsquery matches, would take the GIN index.)
PG_FILTERED_LIMIT = 15_000
#: The same where the filters are matched in the index too (``filter_tsquery``): a BitmapAnd of the
#: words' and the filters' bitmaps reads only the rows with both, but it still makes the words'
#: bitmap (100 ms for a prefix such as ``protect*`` at a million), where a few thousand rows by
#: primary key take 15 ms.
PG_FEW_ALLOWED = 3_000


#: The filters whose values a document's ``filters`` lexemes hold on PostgreSQL (migration 0005):
#: a search with words matches these in the index too (``filter_tsquery``).
PUSHED_FILTERS = frozenset({"kind", "session", "cycle", "response", "action_category", "series", "recipient",
                            "recommending_state", "mechanism", "theme", "group", "sdg", "status", "agency",
                            PUBLIC_STATUS})


def _lexeme(value: str) -> str:
    """A lexeme as a tsquery takes it verbatim: in quotes, its quotes and backslashes doubled."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def filter_tsquery(filters: dict[str, list[str]], published_only: bool) -> str | None:
    """The filters (as the catalog applies them) as a tsquery over the documents' ``filters``
    lexemes: every filter, any of its values; None when none of them is held there. The catalog's
    mask still decides (dates, liveness): this only lets PostgreSQL read fewer rows."""
    parts = ["'published:1'"] if published_only else []
    for name, values in sorted(filters.items()):
        # A tsquery's word is at most 2,047 bytes: a longer value names no document (the mask
        # finds none either), and is left to the mask rather than turned into an error.
        values = [value for value in values if value and len(f"{name}:{value}".encode()) < 2000]
        if name in PUSHED_FILTERS and values:
            parts.append("(" + " | ".join(_lexeme(f"{name}:{value}") for value in values) + ")")
    return " & ".join(parts) or None


def _text_postgres(query: syntax.Query, restricted: bool, catalog, mask: np.ndarray | None = None,
                   pushed: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    column = "vector_all" if restricted else "vector"
    with connection.cursor() as cursor:
        ids, scores, excluded = np.zeros(0, dtype=np.int64), np.zeros(0), None
        built = [syntax.to_tsquery_sql(query.root, config) for config in ("english", "spanish")]
        if built[0]:
            (english, english_params), (spanish, spanish_params) = built
            rank = f"GREATEST(ts_rank({column}, {english}), ts_rank({column}, {spanish}))"
            rank_params = english_params + spanish_params
            where = f"live AND ({column} @@ {english} OR {column} @@ {spanish})"
            where_params = list(rank_params)
            if pushed:
                where += " AND filters @@ %s::tsquery"
                where_params.append(pushed)
            if catalog is None or mask is None:
                cursor.execute(f"SELECT set_config('work_mem', %s, true), {PG_CUSTOM_PLANS}", [PG_WORK_MEM])
                cursor.execute(f"SELECT id, {rank} FROM search_searchdocument WHERE {where}",
                               rank_params + where_params)
                rows = cursor.fetchall()
                ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
                scores = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
            else:
                ids, scores = _ranked_postgres(cursor, where, where_params, rank, rank_params, catalog, mask,
                                               pushed is not None)
        if query.only_excludes:
            (english, english_params), (spanish, spanish_params) = [
                syntax.excluded_tsquery_sql(query.root, config) for config in ("english", "spanish")]
            cursor.execute(
                f"SELECT id FROM search_searchdocument WHERE {column} @@ {english} OR {column} @@ {spanish}",
                english_params + spanish_params)
            excluded = np.array([r[0] for r in cursor.fetchall()], dtype=np.int64)
    return ids, scores, excluded


def _ranked_postgres(cursor, where: str, where_params: list, rank: str, rank_params: list, catalog,
                     mask: np.ndarray, pushed: bool = False):
    """(ids, scores) of the matches, each scored by ts_rank (the filters' mask is applied after,
    by ``_allowed``). With selective filters, only the documents they let through are matched, by
    primary key (see PG_FILTERED_LIMIT, PG_FEW_ALLOWED); otherwise, with filters matched in the index
    too (``pushed``), PostgreSQL reads only the documents that have the words and the filters."""
    params = list(where_params)
    if np.count_nonzero(mask) <= (PG_FEW_ALLOWED if pushed else PG_FILTERED_LIMIT):
        allowed_rows = np.flatnonzero(mask)
        if not len(allowed_rows):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        where = f"id = ANY(%s) AND {where}"
        params = [catalog.ids[allowed_rows].tolist(), *params]
        cursor.execute(f"SELECT set_config('enable_bitmapscan', 'off', true), {PG_CUSTOM_PLANS}")  # by primary key
    else:
        cursor.execute(f"SELECT set_config('work_mem', %s, true), {PG_CUSTOM_PLANS}", [PG_WORK_MEM])
    # The ids and the scores as two strings: a broad query's 179,000 rows as Python tuples took
    # longer than ranking them.
    cursor.execute(f"SELECT string_agg(id::text, ','), string_agg(({rank})::text, ',') "
                   f"FROM search_searchdocument WHERE {where}", rank_params + params)
    ids, scores = cursor.fetchone()
    return np.fromstring(ids or "", dtype=np.int64, sep=","), np.fromstring(scores or "", dtype=np.float64, sep=",")


def text_matches(query: syntax.Query, restricted: bool, catalog=None, mask: np.ndarray | None = None,
                 pushed: str | None = None):
    """Run the full-text query on this database. A query the engine still refuses is an InvalidInput.

    With the ``catalog``, the matches of a very broad query are ranked by estimate (SQLite); on
    PostgreSQL, with the ``mask`` too, only those the filters let through are ranked, and of a
    very broad query only the likeliest (``_ranked_postgres``).
    """
    try:
        with transaction.atomic():  # a failed statement must not spoil an outer transaction on PostgreSQL
            if connection.vendor == "postgresql":
                return _text_postgres(query, restricted, catalog, mask, pushed)
            return _text_sqlite(query, restricted, catalog)
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


def _word_matcher(terms: list[syntax.Term]):
    """Whether a token is one of the query's words (by its rough stem, or a prefix's start); each
    token is looked at once (a page's snippets hold the same words many times)."""
    stems = {light_stem(t.word) for t in terms if not t.prefix}
    prefixes = tuple(fold(t.word) for t in terms if t.prefix)
    seen: dict[str, bool] = {}

    def is_hit(token: str) -> bool:
        found = seen.get(token)
        if found is None:
            if not token[:1].isalnum():
                found = False
            else:
                folded = fold(token)
                found = light_stem(folded) in stems or (bool(prefixes) and folded.startswith(prefixes))
            seen[token] = found
        return found

    return is_hit


def snippet(text: str, terms: list[syntax.Term], words: int = _SNIPPET_WORDS, matcher=None) -> str:
    """The passage of ``text`` with the most query words, HTML-escaped, the words in <mark>
    (``matcher``: ``_word_matcher(terms)``, made once for many snippets)."""
    tokens = _TOKEN.findall(text)
    is_hit = matcher or _word_matcher(terms)
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
    if end_word == len(word_positions):
        end = len(tokens)  # the text's end: its last stop, or a withheld name's "[…]"
    out = ["…" if begin > 0 else ""]
    # The words of the passage are word_positions[start_word:end_word]; the runs between the
    # marked ones are escaped whole (escaping is the same piece by piece).
    run = begin
    for index, hit in zip(word_positions[start_word:end_word], hits[start_word:end_word], strict=True):
        if hit:
            out.append(html.escape("".join(tokens[run:index])))
            out.append(f"<mark>{html.escape(tokens[index])}</mark>")
            run = index + 1
    out.append(html.escape("".join(tokens[run:end])))
    if end < len(tokens) and any(t[:1].isalnum() for t in tokens[end:]):
        out.append("…")
    return "".join(out).strip()


# Ranking ----------------------------------------------------------------------------------


def _head(rows: np.ndarray, scores: np.ndarray, catalog, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``count`` rows by score, best first, ties newest first, then by id (the same
    order on every door), with their scores; sorting only the rows that can be among them (a
    broad query has 100,000 matches, a page shows 20)."""
    if count < len(rows):
        cut = np.partition(-scores, count - 1)[count - 1]
        keep = -scores <= cut  # ties at the cut stay: the date and the id decide between them
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((-catalog.ids[rows], -catalog.dates[rows], -scores))[:count]
    return rows[order], scores[order]


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


def fuse(lists: list[np.ndarray], k: int = RRF_K, weights: list[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Reciprocal rank fusion: each row scores the sum of weight / (k + rank) over the lists."""
    lists = [np.asarray(ranked, dtype=np.int64) for ranked in lists]
    weights = weights or [1.0] * len(lists)
    rows = np.concatenate(lists) if lists else np.zeros(0, dtype=np.int64)
    shares = np.concatenate([weight / (k + np.arange(1, len(ranked) + 1))
                             for ranked, weight in zip(lists, weights, strict=True)]) if lists else rows
    unique, inverse = np.unique(rows, return_inverse=True)
    return unique, np.bincount(inverse, weights=shares, minlength=len(unique))


def _lookup(rows: np.ndarray, scores: np.ndarray, wanted: np.ndarray) -> dict[int, float]:
    """The scores of the ``wanted`` rows (a page's) among ``rows``: one pass, no dictionary of all."""
    where = np.flatnonzero(np.isin(rows, wanted))
    return dict(zip(rows[where].tolist(), scores[where].tolist(), strict=True))


def _rank_of(row: int, rows: np.ndarray, scores: np.ndarray, catalog) -> int:
    """Where ``row`` (one of ``rows``) stands in ``_head``'s order, from 1, without sorting."""
    at = int(np.flatnonzero(rows == row)[0])
    score, date, pk = scores[at], catalog.dates[row], catalog.ids[row]
    dates, ids = catalog.dates[rows], catalog.ids[rows]
    before = (scores > score) | ((scores == score) & ((dates > date) | ((dates == date) & (ids > pk))))
    return int(np.count_nonzero(before)) + 1


class _Ranking:
    """A ranked list that sorts only as deep as a page asks: ``page(start, end)`` gives rows and
    scores; ``scores_of(rows)`` the scores of some rows (a page sorted by date)."""

    def __init__(self, head, scores_of):
        self._head = head   # count -> (rows, scores), the first ``count`` in order
        self.scores_of = scores_of
        self._cache = (0, np.zeros(0, dtype=np.int64), np.zeros(0))

    def page(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        if self._cache[0] < end:
            self._cache = (end, *self._head(end))
        return self._cache[1][start:end], self._cache[2][start:end]


def _text_weight(query, loose: bool) -> float:
    """How much the text's ranking counts in the fusion, the semantic one counting 1: less when
    the text matched only some of the words, or the words of a Spanish query through the glossary."""
    weight = LOOSE_TEXT_WEIGHT if loose else 1.0
    return weight * SPANISH_TEXT_WEIGHT if query.language == "es" else weight


def _fused_ranking(text_rows, text_scores, semantic_rows, catalog, text_weight: float = 1.0) -> _Ranking:
    """Reciprocal rank fusion of the text's first TEXT_CANDIDATES and the semantic neighbours;
    the other text matches follow in the text's order, with the share their rank gives them."""
    text_top, _scores = _head(text_rows, text_scores, catalog, TEXT_CANDIDATES)
    rows, scores = fuse([text_top, semantic_rows], weights=[text_weight, 1.0])
    order = np.lexsort((-catalog.ids[rows], -catalog.dates[rows], -scores))
    fused_rows, fused_scores = rows[order], scores[order]

    def head(count: int):
        if count <= len(fused_rows) or len(text_rows) <= len(text_top):
            return fused_rows[:count], fused_scores[:count]
        deeper, _scores = _head(text_rows, text_scores, catalog, count + len(fused_rows))
        ranks = np.arange(1, len(deeper) + 1)
        keep = ~np.isin(deeper, fused_rows)
        tail_rows, tail_scores = deeper[keep], text_weight / (RRF_K + ranks[keep])
        return (np.concatenate([fused_rows, tail_rows])[:count],
                np.concatenate([fused_scores, tail_scores])[:count])

    def scores_of(wanted: np.ndarray) -> dict[int, float]:
        known = _lookup(fused_rows, fused_scores, wanted)
        for row in wanted.tolist():
            if row not in known and np.any(text_rows == row):
                known[row] = text_weight / (RRF_K + _rank_of(row, text_rows, text_scores, catalog))
        return known

    return _Ranking(head, scores_of)


# Searching --------------------------------------------------------------------------------


def search(request: SearchRequest, user=None, *, stream: bool = False) -> SearchResult:
    """Run one search for ``user`` (None: an anonymous visitor).

    With ``stream`` (the CSV export of up to 10,000 hits), the hits are not read yet and the facets
    not counted: ``iter_hits(result)`` reads them a chunk at a time, without snippets, as they are
    written out, so that the first row leaves after the ranking and memory holds one chunk."""
    from .catalog import get_catalog
    from .documents import count_unindexed_items

    started = time.perf_counter()
    warnings: list[str] = []
    catalog = get_catalog()
    public = not sees_unpublished(user)
    # Items not indexed yet are news for the staff; for the public they may be unpublished ones.
    if not public and catalog.item_id_in_database > catalog.newest_item_id():
        # A search only reads: the job that follows every change (hrtrack.search.tasks) indexes them.
        behind = count_unindexed_items(catalog.newest_item_id())
        if behind:
            warnings.append(_("Some items are not in the search index yet (%(count)d): they are found once "
                              "they are indexed.") % {"count": behind})
    restricted = can_see_restricted(user)
    query = _translated(syntax.parse(request.q))
    if query.left_out:
        warnings.extend(left_out_notices(query.left_out))
    filters = _audience_filters(request.filters, public)
    mask = catalog.mask(filters, request.date_from, request.date_to, published_only=public)
    pushed = filter_tsquery(filters, public) if connection.vendor == "postgresql" else None
    mode = request.mode
    text_rows = semantic_rows = None
    text_scores = semantic_scores = None
    loose = False

    if query.only_excludes:
        mode = "text"  # nothing to look for by meaning: the items without those words
    if not query.empty and mode in ("fused", "text"):
        text_rows, text_scores, loose = _text_ranked(query, restricted, catalog, mask, warnings, mode == "text",
                                                      pushed)
    if not query.empty and mode in ("fused", "semantic"):
        found = _semantic(query, catalog, mask, warnings)
        if found is None:
            if mode == "semantic" or text_rows is None:
                text_rows, text_scores, loose = _text_ranked(query, restricted, catalog, mask, warnings, True,
                                                              pushed)
            mode = "text"
        else:
            semantic_rows, semantic_scores = found

    ranking = None
    if query.empty:
        matching = np.flatnonzero(mask)
    elif mode == "fused":
        ranking = _fused_ranking(text_rows, text_scores, semantic_rows, catalog, _text_weight(query, loose))
        selected = np.zeros(catalog.size, dtype=bool)
        selected[text_rows] = True
        selected[semantic_rows] = True
        matching = np.flatnonzero(selected)
    elif mode == "semantic":
        ranking = _Ranking(lambda count: (semantic_rows[:count], semantic_scores[:count]),
                           functools.partial(_lookup, semantic_rows, semantic_scores))
        matching = semantic_rows
    else:
        ranking = _Ranking(functools.partial(_head, text_rows, text_scores, catalog),
                           functools.partial(_lookup, text_rows, text_scores))
        matching = text_rows

    window = request.offset + request.limit
    by_relevance = request.sort == "relevance" and ranking is not None

    def ordered(count: int) -> tuple[np.ndarray, np.ndarray | None]:
        """The first ``count`` matching rows in the page's order (with their scores by relevance)."""
        if by_relevance:
            return ranking.page(0, count)
        return _by_date(matching, catalog, request.sort != "-date", count), None

    grouped = request.repeats == "together" and not stream
    members: dict[int, np.ndarray] = {}
    if grouped:
        page_rows, page_scores, members = _grouped_page(ordered, matching, catalog, request.offset, window)
    else:
        page_rows, page_scores = ordered(window)
        page_rows = page_rows[request.offset:]
        page_scores = page_scores[request.offset:] if page_scores is not None else None
    if page_scores is not None:
        scores = dict(zip(page_rows.tolist(), page_scores.tolist(), strict=True))
    else:
        # Each row's relevance score, as the relevance order would show it.
        scores = ranking.scores_of(page_rows) if ranking is not None and len(page_rows) else {}
    took = round((time.perf_counter() - started) * 1000, 2)
    if stream:
        pending = _PendingHits(catalog, page_rows, scores, query, restricted, public)
        return SearchResult(total=len(matching), hits=[], facets={}, took_ms=took, request=request, mode=mode,
                            warnings=warnings, pending=pending, texts=len(matching))
    hits = _hits(page_rows, scores, catalog, query, restricted, public, members=members)
    texts = repeats.distinct_count(catalog.repeat_keys[matching]) if grouped else len(matching)
    counts = catalog.counts(matching)
    public_counts = counts.pop(PUBLIC_STATUS, {})
    if public:
        counts["status"] = public_counts
    facets = _facets(counts, request.filters)
    took = round((time.perf_counter() - started) * 1000, 2)
    return SearchResult(total=len(matching), hits=hits, facets=facets, took_ms=took, request=request, mode=mode,
                        warnings=warnings, texts=texts)


def left_out_notices(left_out: syntax.LeftOut) -> list[str]:
    """What a query held past its bounds (``query.MAX_TERMS``...), in words: it was not searched."""
    notices = []
    if left_out.short_prefixes:
        shown = list(dict.fromkeys(left_out.short_prefixes))
        notices.append(ngettext("A prefix needs at least %(letters)d letters before the *: %(prefixes)s was left out.",
                                "A prefix needs at least %(letters)d letters before the *: %(prefixes)s were left out.",
                                len(shown))
                       % {"letters": syntax.MIN_PREFIX_LETTERS,
                          "prefixes": ", ".join(shown[:5]) + ("…" if len(shown) > 5 else "")})
    if left_out.prefixes:
        notices.append(_("A search holds at most %(max)d prefixes (word*): the %(count)d after them were left out.")
                       % {"max": syntax.MAX_PREFIXES, "count": left_out.prefixes})
    if left_out.terms:
        notices.append(_("A search holds at most %(max)d words: the %(count)d after them were left out.")
                       % {"max": syntax.MAX_TERMS, "count": left_out.terms})
    return notices


def _text_ranked(query, restricted, catalog, mask, warnings, supplement=False, pushed=None):
    """The matches the mask lets through, with their scores (unsorted: ``_head`` ranks them), and
    whether they have only some of the query's words (the any-word fallback). With ``supplement``
    (text mode, where nothing else fills the page), a long query with few full matches is
    followed by those with some of its words."""
    ids, scores, excluded = text_matches(query, restricted, catalog, mask, pushed)
    if excluded is not None:
        # Only exclusions: every allowed row but those, newest first (all score 0: ``_head``
        # then orders by date).
        keep = mask.copy()
        rows_out = catalog.rows_of(excluded)
        keep[rows_out[rows_out >= 0]] = False
        rows = np.flatnonzero(keep)
        return rows, np.zeros(len(rows)), False
    rows, scores = _allowed(ids, scores, catalog, mask)
    if 0 < len(rows) < FEW_MATCHES and supplement and not query.operators:
        # A question of several words that few items have in full: those with some of the
        # words follow, the best first.
        loose = syntax.relaxed(query)
        if loose.root.children and syntax.own_words(query) >= SUPPLEMENT_WORDS:
            more_ids, more_scores, _excluded = text_matches(loose, restricted, catalog, mask, pushed)
            more_rows, more_scores = _allowed(more_ids, more_scores, catalog, mask)
            extra = ~np.isin(more_rows, rows)
            if extra.any():
                more_rows, more_scores = more_rows[extra], more_scores[extra]
                more_scores = more_scores - more_scores.max() + scores.min() - 1.0  # after the full matches
                warnings.append(_("Few items have all these words: those with some of them follow."))
                return np.concatenate([rows, more_rows]), np.concatenate([scores, more_scores]), False
    if not len(rows) and not query.operators:
        # A question in plain words, or words no item has together within the filters: items
        # with any of its words, the best first.
        loose = syntax.relaxed(query)
        if loose.root.children:
            ids, scores, _excluded = text_matches(loose, restricted, catalog, mask, pushed)
            rows, scores = _allowed(ids, scores, catalog, mask)
            if len(rows):
                warnings.append(_("No item has all these words: showing those with some of them."))
                return rows, scores, True
    return rows, scores, False


def _allowed(ids: np.ndarray, scores: np.ndarray, catalog, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The catalog rows of these document ids that the mask lets through, with their scores."""
    rows = catalog.rows_of(ids)
    keep = rows >= 0
    rows, scores = rows[keep], scores[keep]
    keep = mask[rows]
    return rows[keep], scores[keep]


#: Pseudo-relevance feedback: the semantic search runs a second time from the query moved towards
#: the mean of its first FEEDBACK_ROWS results (``q + FEEDBACK_STRENGTH * mean``, Rocchio's rule),
#: so that a paraphrase whose first results are about the right thing finds more of that thing.
#: Chosen on the dev half of the relevance set among 3-20 rows and strengths 0.5-3 (docs/search.md).
FEEDBACK_ROWS = 5
FEEDBACK_STRENGTH = 2.0


def _semantic(query, catalog, mask, warnings):
    """(rows, cosines) of the nearest documents, or None when semantic search cannot run here.

    A query not in English is embedded twice: its translation and glossary words by the items'
    model (:func:`english_text`), its own words by the multilingual model carried into that space
    (:mod:`hrtrack.search.bridge`), and the two unit vectors are added, so that a paraphrase finds
    what no glossary word names."""
    from hrtrack.nlp.embeddings import ModelError

    from .semantic import OTHER_DATABASE, embed_query, index_state

    index, why = index_state(catalog)
    if index is None:
        from .index_jobs import missing_index_warning

        if why == OTHER_DATABASE:
            warnings.append(_("The semantic index on disk belongs to another database and is not used: it is being "
                              "rebuilt for this one."))
        warnings.append(missing_index_warning())
        return None
    try:
        vector = embed_query(english_text(query))
    except ModelError:
        warnings.append(_("No embedding model is exported (run `hrtrack embeddings export`): text search only."))
        return None
    if query.language != "en" and query.sentence:
        vector = _bridged(vector, query.sentence, catalog)
    second, weight = _multilingual_query(query, index)
    rows, scores = index.search(vector, catalog, mask, SEMANTIC_CANDIDATES, second, weight)
    if FEEDBACK_ROWS and len(rows) >= FEEDBACK_ROWS:
        # Once more, from the query moved towards its first results (see FEEDBACK_ROWS); of what
        # that finds, only what the query itself reaches counts as a match.
        moved, moved_second = index.moved_towards(rows[:FEEDBACK_ROWS], vector, second, FEEDBACK_STRENGTH)
        if moved is not vector:  # the same query again would find the same
            rows, scores = index.search(moved, catalog, mask, SEMANTIC_CANDIDATES, moved_second, weight)
            kept = index.reaches_floor(rows, vector, second, weight)
            rows, scores = rows[kept], scores[kept]
    return rows, scores.astype(np.float64)


def _translated(query):
    """A Spanish query that also matches, by words, the items with every content word of its
    English translation (:func:`hrtrack.search.query.with_translation`)."""
    if query.language != "es" or query.operators or not query.sentence:
        return query
    from hrtrack.nlp.translate import to_english

    return syntax.with_translation(query, to_english(query.sentence))


def english_text(query) -> str:
    """What the items' embedding model (English only) reads of the query: for a Spanish one, its
    translation by Apertium (:mod:`hrtrack.nlp.translate`, where installed) followed by the
    glossary's English words; for any other, its words."""
    english = query.english or " ".join(t.word for t in syntax.highlight_terms(query))
    if query.language == "es" and query.sentence:
        from hrtrack.nlp.translate import to_english

        translated = to_english(query.sentence)
        if translated:
            return f"{translated} {english}"
    return english


def _multilingual_query(query, index) -> tuple[np.ndarray | None, float]:
    """The query by the multilingual model and its weight, where the index holds that model's rows."""
    from django.conf import settings

    from . import bridge

    sentence = query.sentence or query.english
    if index.multilingual is None or not sentence or not settings.HRTRACK_SEARCH_BRIDGE:
        return None, 0.0
    try:
        if index.multilingual_model != bridge.model_name():
            return None, 0.0  # rows of another version of the model: MiniLM alone until the next build
        return bridge.query_vector(sentence), bridge.WEIGHTS.get(query.language, bridge.WEIGHTS["es"])
    except bridge.BridgeUnavailable as error:
        logger.warning("search: the multilingual model is not used: %s", error)
        return None, 0.0


def _bridged(vector: np.ndarray, text: str, catalog) -> np.ndarray:
    """``vector`` plus the query carried across by the bridge, as a unit vector; ``vector``
    itself when this database has no bridge (or the multilingual model is not installed)."""
    from . import bridge

    matrix = bridge.get_matrix(catalog.database_id)
    if matrix is None:
        return vector
    try:
        carried = bridge.carry(text, matrix)
    except bridge.BridgeUnavailable as error:
        logger.warning("search: the multilingual bridge is not used: %s", error)
        return vector
    from .semantic import unit

    return unit(vector + carried)


# Results ----------------------------------------------------------------------------------


#: How many hits ``iter_hits`` reads from the database at a time.
STREAM_CHUNK = 500


def iter_hits(result: SearchResult, chunk: int | None = None) -> Iterator[Hit]:
    """The hits of a ``search(..., stream=True)``, in order, read ``chunk`` (STREAM_CHUNK) at a time
    (snippets empty); those of a plain search as they are."""
    if result.pending is None:
        yield from result.hits
        return
    pending, chunk = result.pending, chunk or STREAM_CHUNK
    for start in range(0, len(pending.rows), chunk):
        yield from _hits(pending.rows[start:start + chunk], pending.scores, pending.catalog, pending.query,
                         pending.restricted, pending.public, snippets=False)


def _grouped_page(ordered, matching: np.ndarray, catalog, offset: int, end: int):
    """The results ``offset`` to ``end`` when identical repeated items are one result: the rows that
    stand for them (each group's first in the order, and every item without repeats), their scores
    (None when sorted by date), and each group's member rows among the matches (the leader first).

    ``ordered(count)`` gives the first ``count`` matching rows in order; it is asked for more until
    ``end`` results are found or the matches run out (a page of 20 results may span 25 rows)."""
    keys = catalog.repeat_keys
    count = end
    while True:
        rows, scores = ordered(count)
        first = repeats.leaders(rows, keys[rows])
        if len(first) >= end or len(rows) < count or count >= len(matching):
            break
        count = min(len(matching), max(2 * count, count + 2 * (end - len(first))))
    picked = first[offset:end]
    page_rows = rows[picked]
    page_scores = scores[picked] if scores is not None else None
    members: dict[int, np.ndarray] = {}
    page_keys = keys[page_rows]
    wanted = page_keys[page_keys != 0]
    if len(wanted):
        # Every match with a page's key, wherever it stands in the order (a member may be far
        # below its group's first when only the text found it).
        candidates = matching[np.isin(keys[matching], wanted)]
        candidates = candidates[np.argsort(catalog.ids[candidates], kind="stable")]
        candidate_keys = keys[candidates]
        for row, key in zip(page_rows.tolist(), page_keys.tolist(), strict=True):
            if key:
                group = candidates[candidate_keys == key]
                if len(group) > 1:
                    members[row] = np.concatenate([[row], group[group != row]])
    return page_rows, page_scores, members


def repeat_member(catalog, row: int) -> dict:
    """One of a grouped result's items, as the results list them: what links to it and who made it."""
    kind = catalog.vocabularies["kind"].values[catalog.single["kind"][row]]
    object_id = int(catalog.object_ids[row])
    return {"id": f"{kind}:{object_id}", "kind": kind, "object_id": object_id,
            "url": _url_template(kind == "dialogue", get_script_prefix()).format(object_id),
            "recommending_states": catalog.values_of("recommending_state", row)}


def _hits(rows: np.ndarray, scores: dict, catalog, query, restricted: bool, public: bool = False,
          snippets: bool = True, members: dict | None = None) -> list[Hit]:
    from .models import SearchDocument

    members = members or {}
    ids = [int(catalog.ids[row]) for row in rows]
    documents = SearchDocument.objects.in_bulk(ids)
    terms = syntax.highlight_terms(query)
    matcher = _word_matcher(terms)
    dialogue_ids = [d.object_id for d in documents.values() if d.kind == DIALOGUE_KIND]
    passages = _dialogue_passages(dialogue_ids, restricted) if snippets and dialogue_ids else {}
    hits = []
    for row, pk in zip(rows.tolist(), ids, strict=True):
        document = documents.get(pk)
        if document is None:
            continue
        text = ""
        if snippets and document.kind == DIALOGUE_KIND:
            # A round's snippet comes from its statement (or its summary), never from the
            # document's run of venue, delegation and title fields.
            statement, summary = passages.get(document.object_id, ([], ""))
            cases = document.restricted_text.splitlines() if restricted else []
            text = dialogue_snippet(statement, summary, cases, terms, matcher)
        elif snippets:
            shown = document.text
            if restricted and document.restricted_text:
                # The passage may come from a case raised: for those allowed to see it.
                shown = document.text + "\n" + document.restricted_text
            text = snippet(shown, terms, matcher=matcher)
        fields = document_fields(document, public)
        group = members.get(row)
        hits.append(Hit(
            id=f"{document.kind}:{document.object_id}", kind=document.kind, object_id=document.object_id,
            text=document.text, snippet=text, score=round(float(scores.get(row, 0.0)), 6),
            url=document_url(document), fields=fields, made=1 if group is None else len(group),
            members=[] if group is None else [repeat_member(catalog, member) for member in group.tolist()],
        ))
    return hits


DIALOGUE_KIND = "dialogue"
#: Where a statement's sentences end: a stop before a capital (or a quote, a digit), or a new line.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'(¿¡]?[A-ZÁÉÍÓÚÑÇ0-9])|\n\s*")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


def _dialogue_passages(dialogue_ids: list[int], restricted: bool) -> dict[int, tuple[list[str], str]]:
    """Each dialogue's statement sentences and its summary, as this reader may see them: restricted
    people's names withheld for those not allowed to read them. Three queries for a page."""
    from hrtrack.dialogues.models import Dialogue
    from hrtrack.dialogues.restricted import restricted_names
    from hrtrack.ingest.models import Document

    withheld = None if restricted else restricted_names(dialogue_ids)

    def shown(text: str) -> str:
        return withheld.withhold(text)[0] if withheld is not None else text

    statements: dict[int, list[str]] = {pk: [] for pk in dialogue_ids}
    for dialogue_id, text in Document.objects.filter(dialogue_id__in=dialogue_ids).exclude(
            kind=Document.Kind.RECORD).exclude(text="").order_by("pk").values_list("dialogue_id", "text"):
        statements[dialogue_id].extend(sentences(shown(text)))
    summaries = dict(Dialogue.objects.filter(pk__in=dialogue_ids).values_list("pk", "summary"))
    return {pk: (statements[pk], shown(summaries.get(pk) or "")) for pk in dialogue_ids}


def dialogue_snippet(statement: list[str], summary: str, cases: list[str], terms: list[syntax.Term],
                     matcher=None) -> str:
    """A dialogue's snippet: the sentence of its statement with the most query words; else the
    summary's sentence with the most, or a case raised's (``cases``: only for those allowed to
    read them); else the summary's beginning, or the statement's first sentence."""
    matches = matcher or _word_matcher(terms)

    def best(candidates: list[str]) -> tuple[int, str]:
        scored = [(len({light_stem(w) for w in _TOKEN.findall(c) if matches(w)}), -index, c)
                  for index, c in enumerate(candidates)]
        top = max(scored, default=(0, 0, ""))
        return top[0], top[2]

    for candidates in (statement, sentences(summary), [c for c in cases if c.strip()]):
        found, passage = best(candidates)
        if found:
            return snippet(passage, terms, matcher=matches)
    fallback = summary or (statement[0] if statement else "")
    return snippet(fallback, terms, matcher=matches) if fallback else ""


def document_url(document) -> str:
    return _url_template(document.kind == "dialogue", get_script_prefix()).format(document.object_id)


#: A number no page has, reversed once and replaced by each document's: reverse() for each of an
#: export's 10,000 rows took a second.
_URL_PLACEHOLDER = 987654321987654321


@functools.lru_cache(maxsize=16)
def _url_template(dialogue: bool, _prefix: str) -> str:
    name = "dialogues:dialogue" if dialogue else "recommendations:recommendation"
    return reverse(name, args=[_URL_PLACEHOLDER]).replace(str(_URL_PLACEHOLDER), "{}")


def document_fields(document, public: bool = False) -> dict:
    """A document's values as a result shows them; with ``public``, the statuses of its public
    reports only."""

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
        "statuses": split(document.public_statuses if public else document.statuses),
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
    """One result as the API and the command print it: the same function, so the doors agree.
    ``made``: how many of the search's items make this same recommendation; ``members``: those
    items (this one first) when more than one."""
    return {"id": hit.id, "kind": hit.kind, "object_id": hit.object_id, "text": hit.text, "score": hit.score,
            "snippet": hit.snippet, "url": hit.url, "made": hit.made, "members": hit.members, **hit.fields}


def result_json(result: SearchResult) -> dict:
    """``total``: the matching items; ``texts``: the results they make (identical repeated items
    once), what ``offset`` and ``limit`` page over."""
    return {
        "total": result.total,
        "texts": result.total if result.texts is None else result.texts,
        "mode": result.mode,
        "results": [hit_json(hit) for hit in result.hits],
        "facets": {name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                          for v in values] for name, values in result.facets.items()},
        "took_ms": result.took_ms,
        "warnings": result.warnings,
    }

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

from dataclasses import dataclass, field
from datetime import date

FILTERS = (
    "recipient", "recommending_state", "mechanism", "session", "cycle", "theme", "group", "sdg",
    "response", "action_category", "status", "agency", "series", "kind",
)
SORTS = ("relevance", "date", "-date")
MODES = ("fused", "text", "semantic")


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


def parse_request(params) -> SearchRequest:
    raise NotImplementedError


def search(request: SearchRequest, user=None) -> SearchResult:
    raise NotImplementedError

"""How good the search's ranking is: nDCG@10 over the project's relevance set.

The set (``tests/relevance.json``) holds queries in English and Spanish, each with the items
that should come first, graded 2 (exactly on point) or 1 (related). It was judged by reading
the UPR Info texts, never by running the search. Items are named by their UPR Info row
(session, recipient, recommending state, the text or a unique prefix of it), so that the set
survives a re-import; ``resolve`` turns them into the ids of the items in the database.

    python bench/search_relevance.py          # the three modes over the database in HRTRACK_VAR_DIR
"""

from __future__ import annotations

import html
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

from hrtrack.lib.text import squeeze

RELEVANCE_FILE = Path(__file__).resolve().parent / "tests" / "relevance.json"
CUTOFF = 10
LANGUAGES = ("en", "es")


@dataclass
class Judged:
    """One judged item of a query, as the relevance file names it."""

    grade: int
    session: int
    recipient: str
    text: str
    recommending_state: str = ""   # empty for a voluntary pledge: the recipient made it
    ids: list[str] = field(default_factory=list)  # hit ids ("recommendation:12"), filled by resolve()


@dataclass
class Query:
    id: str
    language: str
    q: str
    filters: dict
    judged: list[Judged]

    def params(self, mode: str, limit: int = CUTOFF) -> dict:
        """The search parameters for this query in ``mode``, as a page's query string would give them."""
        return {"q": self.q, **self.filters, "mode": mode, "limit": str(limit)}

    def grades(self) -> dict[str, int]:
        """Hit id to grade, for the judged items found in the database."""
        return {hit_id: item.grade for item in self.judged for hit_id in item.ids}


def load_set(path: Path = RELEVANCE_FILE) -> list[Query]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        Query(id=entry["id"], language=entry["language"], q=entry["q"], filters=entry.get("filters", {}),
              judged=[Judged(grade=item["grade"], session=item["session"], recipient=item["recipient"],
                             text=item["text"], recommending_state=item.get("from", ""))
                      for item in entry["relevant"]])
        for entry in data["queries"]
    ]


def judged_rows(queries: list[Query]) -> list[Judged]:
    """Every judged item once (several queries may judge the same row)."""
    seen, rows = set(), []
    for query in queries:
        for item in query.judged:
            key = (item.session, item.recipient, item.recommending_state, item.text)
            if key not in seen:
                seen.add(key)
                rows.append(item)
    return rows


def judged_row_test(queries: list[Query]):
    """A test of whether a UPR Info row (session, To, From and Text cells as read) is a judged item."""
    by_place: dict[tuple[int, str], list[Judged]] = {}
    for item in judged_rows(queries):
        by_place.setdefault((item.session, item.recipient), []).append(item)

    def test(session: int, recipient: str, recommending_state: str, text: str) -> bool:
        text = squeeze(html.unescape(text))  # as the importer reads the cell
        return any(item.recommending_state in ("", recommending_state) and text.startswith(item.text)
                   for item in by_place.get((session, recipient), ()))

    return test


def resolve(queries: list[Query]) -> list[Judged]:
    """Fill in each judged item's hit ids from the database; returns the items not found there."""
    from hrtrack.ingest.importing import CountryMatcher
    from hrtrack.recommendations.models import Recommendation

    countries = CountryMatcher()
    cache: dict[tuple, list[str]] = {}
    missing = []
    for query in queries:
        for item in query.judged:
            key = (item.session, item.recipient, item.recommending_state, item.text)
            if key not in cache:
                found = Recommendation.objects.filter(
                    session=item.session, recipients__code=countries.code(item.recipient),
                    text__startswith=item.text)
                if item.recommending_state:
                    found = found.filter(recommending_states__code=countries.code(item.recommending_state))
                # startswith is case-insensitive on SQLite: the exact prefix is checked here.
                cache[key] = sorted({f"{kind}:{pk}" for pk, kind, text in found.values_list("pk", "kind", "text")
                                     if text.startswith(item.text)})
            item.ids = cache[key]
            if not item.ids:
                missing.append(item)
    return missing


def dcg(gains: list[int]) -> float:
    return sum((2 ** gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains[:CUTOFF]))


def ndcg(ranked_ids: list[str], grades: dict[str, int]) -> float:
    """nDCG@10 of a ranking: exponential gains (2^grade - 1), the ideal ranking made of the judged items."""
    ideal = dcg(sorted(grades.values(), reverse=True))
    if ideal == 0:
        return 0.0
    return dcg([grades.get(hit_id, 0) for hit_id in ranked_ids[:CUTOFF]]) / ideal


@dataclass
class Evaluation:
    """nDCG@10 of one mode: by query, and averaged over all queries and by language."""

    mode: str
    by_query: dict[str, float]
    languages: dict[str, str]
    took_ms: list[float] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return mean(self.by_query.values()) if self.by_query else 0.0

    def mean_for(self, language: str) -> float:
        values = [score for query_id, score in self.by_query.items() if self.languages[query_id] == language]
        return mean(values) if values else 0.0


def evaluate(queries: list[Query], mode: str, user=None, search=None) -> Evaluation:
    """Run every query through the search in ``mode`` and score its first ten hits.

    ``search`` takes the query and the mode and returns the ranked hit ids; by default it is the
    engine's own search, seen by ``user``.
    """
    search = search or engine_search(user)
    by_query, took = {}, []
    for query in queries:
        ranked, took_ms = search(query, mode)
        by_query[query.id] = ndcg(ranked, query.grades())
        took.append(took_ms)
    return Evaluation(mode, by_query, {query.id: query.language for query in queries}, took)


def engine_search(user=None):
    """A ``search`` for ``evaluate``: the engine's first ten hit ids and the time it took."""
    from hrtrack.search import engine

    def run(query: Query, mode: str) -> tuple[list[str], float]:
        result = engine.search(engine.parse_request(query.params(mode)), user)
        return [hit.id for hit in result.hits], result.took_ms

    return run


def random_search(candidates: dict[str, list[str]], seed: int = 0):
    """A ``search`` for ``evaluate`` that ranks at random: what a broken ranking scores.

    ``candidates`` gives for each query id the ids it may draw from (the items its filters let
    through), so that the baseline gets the filters right and only the order wrong.
    """
    rng = random.Random(seed)

    def run(query: Query, mode: str) -> tuple[list[str], float]:
        pool = candidates[query.id]
        return rng.sample(pool, min(CUTOFF, len(pool))), 0.0

    return run


def filtered_ids(query: Query, user=None, cap: int = 5000) -> list[str]:
    """The ids of every item the query's filters let through (no words), up to ``cap``."""
    from hrtrack.search import engine

    ids, offset = [], 0
    while offset < cap:
        params = {**query.filters, "sort": "date", "limit": "100", "offset": str(offset)}
        hits = engine.search(engine.parse_request(params), user).hits
        ids += [hit.id for hit in hits]
        if len(hits) < 100:
            break
        offset += 100
    return ids


def report(evaluations: list[Evaluation], queries: list[Query] | None = None) -> str:
    """A table of the means, per language, and (with ``queries``) per query."""
    head = f"{'nDCG@10':<58}" + "".join(f"{e.mode:>10}" for e in evaluations)
    lines = [head, "-" * len(head)]
    if queries:
        for query in queries:
            label = f"[{query.language}] {query.q}"
            if query.filters:
                label += " " + " ".join(f"{k}={v}" for k, v in query.filters.items())
            lines.append(f"{label[:57]:<58}" + "".join(f"{e.by_query[query.id]:>10.3f}" for e in evaluations))
        lines.append("-" * len(head))
    for language in LANGUAGES:
        count = sum(1 for e in evaluations[:1] for lang in e.languages.values() if lang == language)
        lines.append(f"{f'mean, {language} ({count} queries)':<58}"
                     + "".join(f"{e.mean_for(language):>10.3f}" for e in evaluations))
    lines.append(f"{f'mean, all ({len(evaluations[0].by_query)} queries)':<58}"
                 + "".join(f"{e.mean:>10.3f}" for e in evaluations))
    return "\n".join(lines)

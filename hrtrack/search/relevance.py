"""How good the search's ranking is: precision@10 and nDCG@10 over the project's relevance set.

The set (``tests/relevance.json``) holds queries in English and Spanish, each with the items its
pool brought up, graded by reading the UPR Info texts, never by trusting a system: 2 (exactly on
point), 1 (related) or 0 (read and judged not relevant, so that "judged irrelevant" and "never
judged" stay apart). Each query says its class (``keyword``, ``question`` or ``paraphrase``: no
content word shared with the texts it should find), the query on the same need in the other
language (``pair``) and its half (``dev`` to tune on, ``test`` to report on). Items are named by
their UPR Info row (session, recipient, recommending state, the text or a unique prefix of it),
so that the set survives a re-import; ``resolve`` turns them into the ids of the items in the
database.

    python bench/search_relevance.py          # the three modes over the database in HRTRACK_VAR_DIR
"""

from __future__ import annotations

import html
import json
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

from hrtrack.lib.text import fold, squeeze

RELEVANCE_FILE = Path(__file__).resolve().parent / "tests" / "relevance.json"
CUTOFF = 10
LANGUAGES = ("en", "es")
CLASSES = ("keyword", "question", "paraphrase")
HALVES = ("dev", "test")


@dataclass
class Judged:
    """One judged item of a query, as the relevance file names it."""

    grade: int  # 2 on point, 1 related, 0 read and judged not relevant
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
    kind: str = "keyword"      # the query's class: keyword, question or paraphrase
    pair: str | None = None    # the id of the query on the same need in the other language
    half: str = "dev"

    def params(self, mode: str, limit: int = CUTOFF) -> dict:
        """The search parameters for this query in ``mode``, as a page's query string would give them."""
        return {"q": self.q, **self.filters, "mode": mode, "limit": str(limit)}

    def grades(self) -> dict[str, int]:
        """Hit id to grade, for the judged items found in the database (grade 0 included)."""
        return {hit_id: item.grade for item in self.judged for hit_id in item.ids}

    @property
    def relevant(self) -> list[Judged]:
        return [item for item in self.judged if item.grade > 0]


def load_set(path: Path = RELEVANCE_FILE) -> list[Query]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        Query(id=entry["id"], language=entry["language"], q=entry["q"], filters=entry.get("filters", {}),
              judged=[Judged(grade=item["grade"], session=item["session"], recipient=item["recipient"],
                             text=item["text"], recommending_state=item.get("from", ""))
                      for item in entry["relevant"]],
              kind=entry.get("class", "keyword"), pair=entry.get("pair"), half=entry.get("half", "dev"))
        for entry in data["queries"]
    ]


def judged_rows(queries: list[Query], min_grade: int = 0) -> list[Judged]:
    """Every judged item once (several queries may judge the same row), of ``min_grade`` or more."""
    seen, rows = set(), []
    for query in queries:
        for item in query.judged:
            key = (item.session, item.recipient, item.recommending_state, item.text)
            if item.grade >= min_grade and key not in seen:
                seen.add(key)
                rows.append(item)
    return rows


def judged_row_test(queries: list[Query], min_grade: int = 0):
    """A test of whether a UPR Info row (session, To, From and Text cells as read) is a judged item
    (of ``min_grade`` or more); it returns the first such item, or None."""
    by_place: dict[tuple[int, str], list[Judged]] = {}
    for item in judged_rows(queries, min_grade):
        by_place.setdefault((item.session, item.recipient), []).append(item)

    def test(session: int, recipient: str, recommending_state: str, text: str) -> Judged | None:
        text = squeeze(html.unescape(text))  # as the importer reads the cell
        return next((item for item in by_place.get((session, recipient), ())
                     if item.recommending_state in ("", recommending_state) and text.startswith(item.text)), None)

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


# --- Paraphrase queries: which content words a query shares with a text --------------------------

#: Function words that carry no topic, beside the search's own lists (glossary.py).
EXTRA_STOPWORDS = frozenset("""
anyone anybody anything everyone everybody everything nobody somebody someone something each every
other others another still while among toward towards far away beyond within without back yet once
very just much many own let lets make makes made get gets got
adonde alguien nadie cada toda todas otro otra otros otras quienes ello hacia junto encima nunca
todavia mas menos apenas estan esten vayan sean deje quede hacer
""".split())

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A light stem: a plural, then -ing, -ed, -ly or -mente cut, a doubled last consonant and a
    final e dropped ("cases" and "case", "giving" and "give", "killings" and "kill" meet)."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(keep) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: len(word) - len(suffix)] + keep
            break
    for suffix, keep in (("mente", ""), ("ied", "y"), ("ing", ""), ("ed", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(keep) >= 3:
            word = word[: len(word) - len(suffix)] + keep
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def _stopwords() -> frozenset[str]:
    from .glossary import ENGLISH_STOPWORDS, SPANISH_STOPWORDS

    return ENGLISH_STOPWORDS | SPANISH_STOPWORDS | EXTRA_STOPWORDS


def content_words(text: str) -> list[str]:
    """The text's words, lower-cased and accents folded, function words left out (not stemmed)."""
    stop = _stopwords()
    return [w for w in _WORD.findall(fold(text).lower()) if len(w) > 1 and w not in stop]


def query_terms(query: Query, taxonomy: dict | None = None) -> tuple[set[str], set[str]]:
    """The stems a query searches with, and the prefixes (a glossary's ``protect*``): its own content
    words and, for a Spanish query, the English words that the glossary and the taxonomy give for
    any run of its words (every run, not only those the search picks: the stricter test)."""
    from .glossary import spanish_to_english

    words = content_words(query.q)
    stems, prefixes = {stem(w) for w in words}, set()
    if query.language == "es":
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                for english in spanish_to_english(" ".join(words[start:end]), taxonomy if taxonomy is not None else {}):
                    for token in english.split():
                        if token.endswith("*"):
                            prefixes.add(fold(token[:-1]).lower())
                        else:
                            stems.update(stem(w) for w in content_words(token))
    return stems, prefixes


def shared_words(query: Query, text: str, taxonomy: dict | None = None) -> set[str]:
    """The content words of ``text`` that ``query`` shares (by stem, or by a glossary prefix)."""
    stems, prefixes = query_terms(query, taxonomy)
    return {w for w in content_words(text) if stem(w) in stems or any(w.startswith(p) for p in prefixes)}


# --- Scores --------------------------------------------------------------------------------------

def dcg(gains: list[int]) -> float:
    return sum((2 ** gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains[:CUTOFF]))


def ndcg(ranked_ids: list[str], grades: dict[str, int]) -> float:
    """nDCG@10 of a ranking: exponential gains (2^grade - 1), the ideal ranking made of the judged items."""
    ideal = dcg(sorted(grades.values(), reverse=True))
    if ideal == 0:
        return 0.0
    return dcg([grades.get(hit_id, 0) for hit_id in ranked_ids[:CUTOFF]]) / ideal


def precision(ranked_ids: list[str], grades: dict[str, int]) -> float:
    """Precision@10: the share of the first ten places held by items judged relevant (grade 1 or 2);
    a ranking of fewer than ten hits still counts ten places."""
    return sum(1 for hit_id in ranked_ids[:CUTOFF] if grades.get(hit_id, 0) > 0) / CUTOFF


@dataclass
class Evaluation:
    """One mode's figures: nDCG@10, precision@10 and the unjudged hits in the top ten, by query."""

    mode: str
    by_query: dict[str, float]                 # nDCG@10
    languages: dict[str, str]
    took_ms: list[float] = field(default_factory=list)
    precision: dict[str, float] = field(default_factory=dict)
    unjudged: dict[str, list[str]] = field(default_factory=dict)   # hit ids in the top ten never judged
    ranked: dict[str, list[str]] = field(default_factory=dict)

    @property
    def mean(self) -> float:
        return mean(self.by_query.values()) if self.by_query else 0.0

    def mean_for(self, language: str) -> float:
        values = [score for query_id, score in self.by_query.items() if self.languages[query_id] == language]
        return mean(values) if values else 0.0

    def means(self, query_ids: list[str]) -> tuple[float, float, int]:
        """Mean precision@10, mean nDCG@10 and the unjudged top-ten hits over ``query_ids``."""
        if not query_ids:
            return 0.0, 0.0, 0
        return (mean(self.precision.get(q, 0.0) for q in query_ids), mean(self.by_query[q] for q in query_ids),
                sum(len(self.unjudged.get(q, ())) for q in query_ids))


def evaluate(queries: list[Query], mode: str, user=None, search=None) -> Evaluation:
    """Run every query through the search in ``mode`` and score its first ten hits.

    ``search`` takes the query and the mode and returns the ranked hit ids; by default it is the
    engine's own search, seen by ``user``.
    """
    search = search or engine_search(user)
    evaluation = Evaluation(mode, {}, {query.id: query.language for query in queries})
    for query in queries:
        ranked, took_ms = search(query, mode)
        grades = query.grades()
        evaluation.by_query[query.id] = ndcg(ranked, grades)
        evaluation.precision[query.id] = precision(ranked, grades)
        evaluation.unjudged[query.id] = [hit_id for hit_id in ranked[:CUTOFF] if hit_id not in grades]
        evaluation.ranked[query.id] = list(ranked[:CUTOFF])
        evaluation.took_ms.append(took_ms)
    return evaluation


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


def average(evaluations: list[Evaluation], mode: str) -> Evaluation:
    """The mean of several evaluations (random orders under several seeds), query by query."""
    first = evaluations[0]
    out = Evaluation(mode, {}, first.languages)
    for query_id in first.by_query:
        out.by_query[query_id] = mean(e.by_query[query_id] for e in evaluations)
        out.precision[query_id] = mean(e.precision[query_id] for e in evaluations)
        out.unjudged[query_id] = []  # a random order's unjudged hits tell nothing about a model's pool
    return out


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


def groups(queries: list[Query]) -> list[tuple[str, list[str]]]:
    """The rows of the report: all, by language, by class, by class and language."""
    rows = [("all", [q.id for q in queries])]
    rows += [(language, [q.id for q in queries if q.language == language]) for language in LANGUAGES]
    for kind in CLASSES:
        rows.append((kind, [q.id for q in queries if q.kind == kind]))
        rows += [(f"  {kind}, {language}", [q.id for q in queries if q.kind == kind and q.language == language])
                 for language in LANGUAGES]
    return [(label, ids) for label, ids in rows if ids]


def report(evaluations: list[Evaluation], queries: list[Query] | None = None, by_group: bool = False) -> str:
    """A table of the means: per language (and with ``by_group`` per class, of the queries given),
    and with ``queries`` and not ``by_group``, per query too (nDCG@10 only)."""
    if by_group and queries:
        return group_report(evaluations, queries)
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


def group_report(evaluations: list[Evaluation], queries: list[Query]) -> str:
    """Precision@10 and nDCG@10 of each mode, with the unjudged hits of its top tens, by group."""
    width = 28
    head1 = f"{'':<{width}}" + "".join(f"{e.mode:^22}" for e in evaluations)
    head2 = f"{'queries':<{width}}" + "".join(f"{'P@10':>7}{'nDCG':>7}{'unj.':>6}  " for _ in evaluations)
    lines = [head1, head2, "-" * len(head2)]
    for label, ids in groups(queries):
        cells = ""
        for e in evaluations:
            p, n, unjudged = e.means(ids)
            cells += f"{p:>7.3f}{n:>7.3f}{unjudged:>6}  "
        lines.append(f"{f'{label} ({len(ids)})':<{width}}" + cells)
    return "\n".join(lines)

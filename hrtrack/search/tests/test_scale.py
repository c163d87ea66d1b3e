"""What keeps the search fast at a million items, checked on the small corpus: bm25 estimated for
broad queries, facets counted from the other side, the catalog kept on disk, one freshness
query per search; and the fallbacks for plain questions."""

import pytest

from hrtrack.search import catalog, engine
from hrtrack.search.engine import parse_request, search

# The fixtures come from engine_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from .engine_data import corpus, fresh_engine, key, make_item  # noqa: F401 (fixtures by name)


def run(q="", **params):
    return search(parse_request({"q": q, "mode": "text", "limit": "100", **params}))


def counts(result):
    return {name: {v.value: v.count for v in values} for name, values in result.facets.items()}


@pytest.mark.parametrize("q", ["journalists", "protección de periodistas", "What about journalists and corruption?"])
def test_an_estimated_ranking_finds_the_same_items_with_the_same_counts(corpus, monkeypatch, q):
    exact = run(q)
    monkeypatch.setattr(engine, "EXACT_RANK_LIMIT", 0)
    estimated = run(q)
    assert {h.id for h in estimated.hits} == {h.id for h in exact.hits} and estimated.total == exact.total
    assert counts(estimated) == counts(exact)
    assert all(hit.score > 0 for hit in estimated.hits)


def test_an_estimated_ranking_puts_items_with_more_of_the_words_first(corpus, monkeypatch):
    monkeypatch.setattr(engine, "EXACT_RANK_LIMIT", 0)
    found = [hit.id for hit in run("What have we been told about journalists and corruption?").hits]
    assert found[0] == key(corpus["reporter"])  # the only item with both words


def test_facets_of_most_items_are_counted_from_the_others(corpus):
    import numpy as np

    most = search(parse_request({"q": "-torture", "mode": "text", "limit": "1"}))
    table = catalog.get_catalog()
    rows = np.flatnonzero(table.live)[1:]
    assert 2 * len(rows) > table.live_count()
    assert table.counts(rows) == table._counts(rows)  # the whole minus the others: the same figures
    assert most.total == table.live_count() - 1
    assert counts(most)["theme"].get("torture-and-other-cid-treatment", 0) == 0


def test_a_new_process_starts_from_the_catalog_on_disk_and_reads_what_changed(corpus, monkeypatch):
    from hrtrack.search.documents import reindex, write_documents

    monkeypatch.setattr(catalog, "SNAPSHOT_MIN_ROWS", 1)
    reindex(semantic=False)  # which leaves the catalog on disk
    assert catalog.snapshot_path().is_file()
    before = run("journalists")
    catalog._catalogs.clear()  # as a new process
    read, load = [], catalog.Catalog._load

    def reading(self, *args):
        read.append(args)
        return load(self, *args)

    monkeypatch.setattr(catalog.Catalog, "_load", reading)
    assert [h.id for h in run("journalists").hits] == [h.id for h in before.hits]
    assert read == []  # nothing read from the table
    item = make_item("Protect journalists covering elections.", recipients=["GT"])
    write_documents([item.pk])
    catalog._catalogs.clear()
    assert key(item) in {h.id for h in run("journalists", recipient="GT").hits}
    assert len(read) == 1 and read[0][0] is not None  # only the rows written since


def test_a_search_asks_once_whether_the_index_changed(corpus, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrtrack.search import labels

    run("journalists", kind="recommendation")
    # The filter values' names are read again when one is missing a name a second later (a new
    # agency): that is the labels' cache, not the search, and a slow machine may get there.
    monkeypatch.setattr(labels, "RETRY_UNKNOWN", 3600.0)
    with CaptureQueriesContext(connection) as queries:
        # Items only: a dialogue on the page (PostgreSQL's ranking ties put one there) reads its snippet too.
        run("journalists", limit="2", kind="recommendation")
    sql = [q["sql"] for q in queries.captured_queries]
    listing = "\n".join(sql)
    # The freshness check; the full-text match (ids, then bm25 on SQLite) inside a savepoint and
    # its release; the documents of the page. Nothing else, and no part of the catalog read again.
    assert sum("MAX(version)" in q for q in sql) == 1, listing
    assert not any("LENGTH(text)" in q for q in sql), listing  # the catalog's columns
    assert len(sql) <= 6, listing


def test_words_no_item_has_together_within_the_filters_fall_back_to_any_of_them(corpus):
    result = run("torture journalists", recipient="GT")
    assert {h.id for h in result.hits} == {key(corpus["torture"]), key(corpus["reporter"])}
    assert result.warnings


def test_a_long_question_with_few_full_matches_is_followed_by_partial_ones(corpus):
    found = [h.id for h in run("protection of journalists from attacks").hits]
    assert found[0] == key(corpus["journalists"])  # the one with every word first
    assert key(corpus["reporter"]) in found[1:]
    assert [h.id for h in run("journalists corruption").hits] == [key(corpus["reporter"])]  # short: all words


def test_fusion_weighs_each_list():
    import numpy as np

    rows, scores = engine.fuse([np.array([7, 8]), np.array([8, 9])], weights=[0.5, 1.0])
    assert rows.tolist() == [7, 8, 9]
    assert scores.tolist() == pytest.approx([0.5 / 61, 0.5 / 62 + 1 / 61, 1 / 62])


@pytest.mark.parametrize("params", [
    {"q": "journalists"}, {"q": "protección de periodistas"}, {"q": "torture", "recipient": "GT"},
    {"q": "What about journalists and corruption?"}, {"q": "journalists", "sort": "date"}])
def test_postgres_matches_the_same_within_the_filters_as_over_the_whole_index(corpus, monkeypatch, params):
    """With few documents the filters let through, PostgreSQL matches the words within those (by
    primary key); with many, over the GIN index. The small corpus takes the first way unless told."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's two ways of matching (DATABASE_URL=postgres://...)")
    within = run(**params)
    monkeypatch.setattr(engine, "PG_FILTERED_LIMIT", 0)
    whole = run(**params)
    assert [(h.id, h.score) for h in whole.hits] == [(h.id, h.score) for h in within.hits]
    assert whole.total == within.total and counts(whole) == counts(within) and whole.warnings == within.warnings
    assert within.hits  # the corpus has them: a comparison of two empty lists would prove nothing


def test_filters_become_a_tsquery_of_their_lexemes():
    assert engine.filter_tsquery({}, False) is None
    assert engine.filter_tsquery({"theme": ["torture"], "session": ["4", "5"]}, False) == (
        "('session:4' | 'session:5') & ('theme:torture')")
    # Anonymous visitors find the published only; a filter the lexemes do not hold is left to the mask.
    assert engine.filter_tsquery({"date": ["2020"], "recipient": [""]}, True) == "'published:1'"
    assert engine.filter_tsquery({"series": ["o'neil\\x"]}, False) == "('series:o''neil\\\\x')"
    # A value longer than a tsquery's word may be is left to the mask (it names no document).
    assert engine.filter_tsquery({"theme": ["torture", "x" * 2100]}, False) == "('theme:torture')"
    assert engine.filter_tsquery({"theme": ["x" * 2100]}, False) is None


def _postgres_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the filters' lexemes are PostgreSQL's (DATABASE_URL=postgres://...)")


def test_postgres_keeps_each_documents_filter_values_as_lexemes(corpus):
    from django.db import connection

    _postgres_only()
    with connection.cursor() as cursor:
        cursor.execute("SELECT filters::text FROM search_searchdocument WHERE kind = 'recommendation' "
                       "AND object_id = %s", [corpus["journalists"].pk])
        lexemes = set(cursor.fetchone()[0].replace("'", "").split())
    assert {"kind:recommendation", "session:31", "cycle:3", "response:supported", "action_category:5",
            "recipient:MX", "recommending_state:US", "recommending_state:CA", "theme:freedom-of-the-press",
            "published:1", "status:in-progress", "public_status:in-progress"} <= lexemes
    assert not [lexeme for lexeme in lexemes if lexeme.endswith(":")]  # no empty value


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.parametrize("params", [
    {"q": "journalists", "recipient": "MX"}, {"q": "torture", "recipient": "GT", "response": "supported"},
    {"q": "journalist", "theme": "freedom-of-the-press", "session": ["5", "31"]},
    {"q": "protección de periodistas", "recommending_state": ["CA", "MX"]},
    {"q": "journalists", "status": "in-progress"}, {"q": "journalists", "kind": "commitment"},
    {"q": "What about journalists and corruption?", "cycle": "1"},
    {"q": "journalists", "recipient": "MX", "date_from": "2017-01-01"}, {"q": "death", "theme": "no-such-theme"}])
def test_postgres_finds_the_same_with_the_filters_matched_in_the_index(corpus, monkeypatch, params, anonymous):
    """The filters' lexemes only spare PostgreSQL rows: what a search finds, and its scores and
    counts, are those of the same search with the filters applied by the catalog alone."""
    from django.contrib.auth.models import AnonymousUser

    from hrtrack.accounts.models import Role, User

    _postgres_only()
    user = AnonymousUser() if anonymous else User(username="coordinator", role=Role.COORDINATOR)
    monkeypatch.setattr(engine, "PG_FILTERED_LIMIT", 0)  # the GIN indexes, not row by row
    monkeypatch.setattr(engine, "PG_FEW_ALLOWED", 0)

    def run_as():
        return search(parse_request({"mode": "text", "limit": "100", **params}), user)

    pushed = run_as()
    monkeypatch.setattr(engine, "filter_tsquery", lambda filters, published_only: None)
    alone = run_as()
    assert [(h.id, h.score) for h in pushed.hits] == [(h.id, h.score) for h in alone.hits]
    assert pushed.total == alone.total and counts(pushed) == counts(alone) and pushed.warnings == alone.warnings
    if params.get("theme") != "no-such-theme" and "date_from" not in params and not anonymous:
        assert pushed.hits  # two empty lists would prove nothing


def test_rows_deleted_from_the_index_table_leave_the_catalog_too(corpus):
    """A table emptied and filled again without a reindex (a test's flush between two passes of a
    live server) must not leave the catalog counting the rows that went away."""
    from django.db import connection

    from hrtrack.search.models import SearchDocument

    assert run("journalists").total > 1
    with connection.cursor() as cursor:  # as a flush does: the rows go, no generation changes
        cursor.execute("DELETE FROM search_searchdocument")
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    item = make_item("Protect journalists who report on elections.", recipients=["GT"])
    held = set(SearchDocument.objects.filter(live=True).values_list("kind", "object_id"))
    assert ("recommendation", item.pk) in held and len(held) < 4
    again = run("journalists")
    assert {(hit.kind, hit.object_id) for hit in again.hits} <= held and key(item) in [hit.id for hit in again.hits]
    assert again.total == len(again.hits) and catalog.get_catalog().live_count() == len(held)

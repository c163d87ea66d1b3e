"""A query's cost is bounded (so many words, so many prefixes of two letters or more), and the CSV
export reads its rows a chunk at a time as it streams them."""

import csv
import io

import pytest

# The fixtures come from page_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from hrtrack.search import engine, query

from .page_data import indexed, items, make_item  # noqa: F401

pytestmark = pytest.mark.django_db


def words_of(node) -> list[str]:
    if isinstance(node, query.Term):
        return [node.word + ("*" if node.prefix else "")]
    if isinstance(node, query.Phrase):
        return list(node.words)
    return [w for child in node.children for w in words_of(child)]


def test_a_query_keeps_its_first_words_up_to_the_bound_and_says_how_many_it_left_out():
    text = " ".join(f"word{n}" for n in range(query.MAX_TERMS + 10))
    parsed = query.parse(text)
    assert words_of(parsed.root) == [f"word{n}" for n in range(query.MAX_TERMS)]
    assert parsed.left_out.terms == 10


def test_a_quoted_phrase_counts_each_of_its_words():
    phrase = '"' + " ".join(f"w{n}" for n in range(query.MAX_TERMS - 1)) + '"'
    parsed = query.parse(f"{phrase} torture police")
    assert words_of(parsed.root)[-1] == "torture"
    assert parsed.left_out.terms == 1


def test_prefixes_are_bounded_and_one_letter_ones_left_out():
    parsed = query.parse("a* " + " ".join(f"pr{chr(97 + n)}*" for n in range(query.MAX_PREFIXES + 3)) + " torture")
    kept = words_of(parsed.root)
    assert kept == [f"pr{chr(97 + n)}*" for n in range(query.MAX_PREFIXES)] + ["torture"]
    assert parsed.left_out.prefixes == 3
    assert parsed.left_out.short_prefixes == ["a*"]


def test_a_query_within_the_bounds_is_kept_whole():
    parsed = query.parse("torture OR police -army tort* \"national mechanism\"")
    assert not parsed.left_out
    assert words_of(parsed.root) == ["torture", "police", "tort*", "national", "mechanism"]
    assert words_of(parsed.root.excluded[0]) == ["army"]


def test_the_search_says_what_it_left_out(client, items):
    one_letter = " ".join(["t*"] * 300)  # 900 characters: under the length limit
    response = client.get("/api/v1/search", {"q": f"torture {one_letter}", "mode": "text"})
    assert response.status_code == 200
    found = response.json()
    assert {hit["object_id"] for hit in found["results"]} == {
        items["torture"].pk, items["torture_prevention"].pk, items["guatemala_torture"].pk}
    assert any("at least 2 letters" in warning for warning in found["warnings"])
    many = " ".join(f"torture{n}*" for n in range(20))
    found = client.get("/api/v1/search", {"q": many, "mode": "text"}).json()
    assert any("at most 8 prefixes" in warning and "12" in warning for warning in found["warnings"])


def test_a_query_past_the_length_limit_is_a_400_that_says_so(client, items):
    response = client.get("/api/v1/search", {"q": "a" * (engine.MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert "too long" in response.json()["error"]


def test_the_export_reads_its_rows_a_chunk_at_a_time_in_the_ranking_order(coordinator_client, indexed, monkeypatch,
                                                                           django_assert_max_num_queries):
    monkeypatch.setattr(engine, "STREAM_CHUNK", 4)
    with indexed():
        made = [make_item(f"Protect journalists in state number {n}.") for n in range(11)]
    page = coordinator_client.get("/api/v1/search", {"q": "journalists", "mode": "text", "limit": 20}).json()
    response = coordinator_client.get("/search.csv", {"q": "journalists", "mode": "text"})
    assert response.streaming
    chunks = []

    def documents_read(execute, sql, params, many, context):
        if "search_searchdocument" in sql and "IN (" in sql:
            chunks.append(len(params))
        return execute(sql, params, many, context)

    from django.db import connection

    with connection.execute_wrapper(documents_read):
        body = b"".join(response.streaming_content).decode()
    exported = list(csv.DictReader(io.StringIO(body)))
    assert [row["id"] for row in exported] == [hit["id"] for hit in page["results"]]
    assert sorted(row["text"] for row in exported) == sorted(item.text for item in made)
    assert chunks == [4, 4, 3]
    assert all(row["text"] and row["url"].startswith("http://testserver/recommendations/") for row in exported)


def test_the_search_page_tells_an_anonymous_visitor_what_it_left_out(client, items):
    response = client.get("/search/", {"q": "torture a* b*", "mode": "text"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "A prefix needs at least 2 letters before the *: a*, b* were left out." in page
    assert items["torture"].text in page

"""GET /api/v1/search: results, facets and errors as JSON; the same ranking as the command."""

import json

import pytest
from django.core.management import call_command

# The fixtures come from engine_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from hrtrack.search.tests.engine_data import corpus, fresh_engine, key  # noqa: F401 (fixtures by name)


def test_it_returns_ranked_results_with_facets_and_time(client, corpus):
    response = client.get("/api/v1/search", {"q": "journalists", "recipient": "mx", "mode": "text"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2 and data["took_ms"] >= 0
    assert {r["id"] for r in data["results"]} == {key(corpus["journalists"]), key(corpus["dialogue"])}
    first = data["results"][0]
    for name in ("id", "kind", "text", "score", "snippet", "url", "recipients", "date", "themes"):
        assert name in first
    assert {"value": "MX", "label": "Mexico", "count": 2, "selected": True} in data["facets"]["recipient"]


@pytest.mark.parametrize("query", ["limit=abc", "limit=500", "sort=best", "date_from=2020-13-01", "mode=x",
                                   "session=five", "kind=memo"])
def test_bad_parameters_answer_400_with_a_message(client, corpus, query):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response.json()["error"]


def test_only_get_is_allowed(client, db):
    response = client.post("/api/v1/search", {"q": "x"})
    assert response.status_code == 405 and response.json()["error"]


def test_anonymous_visitors_do_not_find_restricted_cases_and_coordinators_do(client, corpus, personas):
    assert client.get("/api/v1/search", {"q": "Escondida"}).json()["total"] == 0
    client.force_login(personas["focal_point"])
    assert client.get("/api/v1/search", {"q": "Escondida"}).json()["total"] == 0
    client.force_login(personas["coordinator"])
    data = client.get("/api/v1/search", {"q": "Escondida"}).json()
    assert [r["id"] for r in data["results"]] == [key(corpus["dialogue"])]


@pytest.mark.parametrize("params", [
    {"q": "journalist"},
    {"q": "journalists OR torture", "sort": "date"},
    {"q": "protección de periodistas", "limit": "3"},
    {"q": "", "recipient": "GT"},
])
def test_the_three_doors_return_the_same_ranked_results(client, corpus, personas, capsys, params):
    from hrtrack.search.engine import hit_json, parse_request, search

    client.force_login(personas["coordinator"])
    api = client.get("/api/v1/search", params).json()["results"]
    options = {name: [value] if name == "recipient" else value for name, value in params.items() if name != "q"}
    call_command("search", *params["q"].split(), format="json", user="carla", **options)
    command = json.loads(capsys.readouterr().out)
    engine = [hit_json(hit) for hit in search(parse_request(params), personas["coordinator"]).hits]
    assert api, "the query should find something"
    assert [r["id"] for r in command] == [r["id"] for r in api] == [r["id"] for r in engine]
    # The same hits; the API's links are absolute (the command prints paths).
    assert [{**hit, "url": "http://testserver" + hit["url"]} for hit in command] == api


def test_the_command_prints_text_and_rejects_bad_options(corpus, capsys):
    from django.core.management.base import CommandError

    call_command("search", "death", "penalty", format="text")
    out = capsys.readouterr().out
    assert "1 results" in out and key(corpus["death_penalty"]) in out
    from hrtrack.search.tests.engine_data import make_item

    make_item("Protect the state's journalists.")
    call_command("search", "journalists", format="text")
    out = capsys.readouterr().out
    assert "Protect the state's journalists." in out and "&#x27;" not in out and "<mark>" not in out  # plain text
    with pytest.raises(CommandError):
        call_command("search", "x", limit="lots")


def test_reindex_says_how_many_and_how_long(corpus, capsys):
    call_command("search", "reindex", no_semantic=True)
    out = capsys.readouterr().out
    assert "Indexed 6 items and 1 dialogues" in out


def test_the_command_finds_what_the_staff_find_unless_told_to_search_as_the_public(corpus, capsys):
    from hrtrack.search.tests.engine_data import make_item

    make_item("Establish an ombudsperson for migrant workers in the border states.", published_at=None)
    call_command("search", "ombudsperson", format="json")
    assert [hit["text"] for hit in json.loads(capsys.readouterr().out)] == [
        "Establish an ombudsperson for migrant workers in the border states."]
    call_command("search", "ombudsperson", format="json", public=True)
    assert json.loads(capsys.readouterr().out) == []

"""/search.csv: every result of a search as CSV, capped, and safe to open in a spreadsheet."""

import csv
import io

import pytest

# The fixtures come from page_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from hrtrack.search import views

from .page_data import indexed, items, make_item  # noqa: F401

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_it_exports_the_matching_items_with_their_fields(coordinator_client, items):
    response = coordinator_client.get("/search.csv?q=torture&mode=text&recipient=MX")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    exported = rows(response)
    assert list(exported[0]) == [
        "id", "kind", "text", "score", "recipient", "recommending states", "session", "cycle", "date", "response",
        "action category", "themes", "url",
    ]
    by_text = {row["text"]: row for row in exported}
    assert set(by_text) == {items["torture"].text, items["torture_prevention"].text}
    row = by_text[items["torture"].text]
    assert row["kind"] == "recommendation"
    assert row["recipient"] == "Mexico"
    assert row["recommending states"] == "Denmark; Norway"
    assert row["response"] == "Supported"
    assert row["action category"].startswith("5")
    assert row["session"] == "31"
    assert row["cycle"] == "3"
    assert row["date"] == "2018-11-07"
    assert row["url"] == f"http://testserver/recommendations/{items['torture'].pk}/"
    assert float(row["score"]) >= 0
    assert response["X-Total-Count"] == "2"


def test_it_exports_every_page_not_just_the_one_shown(coordinator_client, indexed):
    with indexed():
        made = [make_item(f"Protect journalists in state number {n}.") for n in range(25)]
    exported = rows(coordinator_client.get("/search.csv?q=journalists&mode=text&limit=5&offset=20"))
    assert sorted(row["text"] for row in exported) == sorted(item.text for item in made)


def test_it_stops_at_the_cap_and_says_so(coordinator_client, indexed, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_MAX_ROWS", 15)
    with indexed():
        for n in range(25):
            make_item(f"Protect journalists in state number {n}.")
    response = coordinator_client.get("/search.csv?q=journalists&mode=text")
    assert response["X-Export-Limit"] == "15"
    assert response["X-Export-Truncated"] == "true"
    assert response["X-Total-Count"] == "25"
    assert len(rows(response)) == 15


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_it_defuses_cells_a_spreadsheet_would_run_as_formulas(coordinator_client, indexed, start):
    text = f'{start}HYPERLINK("http://evil.example/","Click") journalists'
    with indexed():
        make_item(text)
    exported = rows(coordinator_client.get("/search.csv?q=journalists&mode=text"))
    assert [row["text"] for row in exported] == ["'" + text]


def test_it_answers_400_with_the_problem_for_bad_parameters(coordinator_client, items):
    response = coordinator_client.get("/search.csv?q=torture&sort=sideways")
    assert response.status_code == 400
    assert response.content.decode().strip()


def test_anonymous_visitors_can_export_too(client, items):
    response = client.get("/search.csv?q=torture")
    assert response.status_code == 200
    rows(response)


def test_the_page_links_to_the_export_and_its_limit(coordinator_client, items):
    page = coordinator_client.get("/search/?q=torture&mode=text").content.decode()
    assert 'href="/search.csv?q=torture&amp;mode=text"' in page
    assert "at most 10,000 rows" in page

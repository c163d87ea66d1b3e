"""What a search's results show: identical repeated recommendations as one result "made N times",
and a dialogue's snippet from its statement (issue 16), on the page, the API's JSON and the CSV."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.utils import timezone

from hrtrack.dialogues.models import Delegation, DelegationMember, Dialogue, DialogueSeries
from hrtrack.directory.models import Country, Person
from hrtrack.ingest.models import Document
from hrtrack.search.engine import parse_request, search

# The fixtures come from page_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from .engine_data import fresh_engine  # noqa: F401  (each test its own var folder and a catalog read afresh)
from .page_data import indexed, make_item  # noqa: F401

pytestmark = pytest.mark.django_db

DEATH_PENALTY = "Abolish the death penalty for all crimes."
KEEP = "Keep the moratorium on executions."


def country(code: str) -> str:
    return Country.objects.get(code=code).name_en


@pytest.fixture
def repeated(db, indexed):
    """The same recommendation to Kenya at session 8 by France, Spain and Germany (Spain's in
    other capitals and with a space too many), to Kenya again at session 21 by France, and to
    Uganda at session 8 by Norway; and one other recommendation to Kenya."""
    day, later = datetime.date(2010, 5, 6), datetime.date(2015, 1, 22)
    with indexed():
        made = {
            "fr": make_item(DEATH_PENALTY, recipients=["KE"], states=["FR"], session=8, cycle=1, issued_on=day),
            "es": make_item("ABOLISH the  death penalty for all crimes", recipients=["KE"], states=["ES"], session=8,
                            cycle=1, issued_on=day),
            "de": make_item(DEATH_PENALTY, recipients=["KE"], states=["DE"], session=8, cycle=1, issued_on=day),
            "later": make_item(DEATH_PENALTY, recipients=["KE"], states=["FR"], session=21, cycle=2, issued_on=later),
            "uganda": make_item(DEATH_PENALTY, recipients=["UG"], states=["NO"], session=8, cycle=1, issued_on=day),
            "other": make_item(KEEP + " Abolish the death penalty in time.", recipients=["KE"], states=["IT"],
                               session=8, cycle=1, issued_on=day),
        }
    return made


def results(client, **params):
    response = client.get("/search/", {"mode": "text", **params})
    assert response.status_code == 200
    return response


def api(client, **params) -> dict:
    response = client.get("/api/v1/search", {"mode": "text", **params})
    assert response.status_code == 200
    return response.json()


def hit_blocks(response) -> list[str]:
    """Each result of the page, as its HTML."""
    page = response.content.decode()
    return re.findall(r'<li class="hit">(.*?)</li>\s*(?=<li class="hit">|</ol>)', page, re.S)


# The same recommendation made several times


def test_the_same_text_to_the_same_state_at_one_session_is_one_result_made_three_times(client, repeated):
    response = results(client, q="death penalty")
    blocks = hit_blocks(response)
    kenya_8 = [block for block in blocks if "Made 3 times" in block]
    assert len(kenya_8) == 1
    block = unescape(kenya_8[0])
    made_by = re.search(r"Made 3 times</strong>, by ([^,<]+), ([^,<]+) and ([^,<]+)\.", block)
    assert made_by and set(made_by.groups()) == {country("FR"), country("ES"), country("DE")}
    # Each of the three is a link to its own page.
    for name in ("fr", "es", "de"):
        assert f'href="/recommendations/{repeated[name].pk}/"' in block
    # Not listed again as results of their own.
    shown = [hit.object_id for hit in response.context["result"].hits]
    assert len({repeated["fr"].pk, repeated["es"].pk, repeated["de"].pk} & set(shown)) == 1


def test_another_recipient_or_another_session_stays_a_result_of_its_own(client, repeated):
    hits = results(client, q="death penalty").context["result"].hits
    by_item = {item.pk: name for name, item in repeated.items()}
    shown = [by_item[hit.object_id] for hit in hits]
    assert "later" in shown and "uganda" in shown and "other" in shown
    assert len(hits) == 4
    made = {by_item[hit.object_id]: hit.made for hit in hits}
    assert made["later"] == made["uganda"] == made["other"] == 1


def test_the_count_says_how_many_results_and_how_many_items(client, repeated):
    response = results(client, q="death penalty")
    summary = " ".join(unescape(re.search(r'<p class="summary"[^>]*>(.*?)</p>', response.content.decode(),
                                          re.S).group(1)).split())
    assert summary.startswith("4 results (6 items: identical repeated recommendations are shown once)")
    data = api(client, q="death penalty")
    assert data["total"] == 6 and data["texts"] == 4 and len(data["results"]) == 4


def test_pages_count_results_and_never_show_an_item_twice(client, repeated):
    seen, offset = [], 0
    while True:
        data = api(client, q="death penalty", limit="1", offset=str(offset))
        if not data["results"]:
            break
        assert len(data["results"]) == 1
        seen += [member["object_id"] for member in data["results"][0]["members"]] or [
            data["results"][0]["object_id"]]
        offset += 1
    assert offset == 4  # four results, one a page
    assert sorted(seen) == sorted(item.pk for item in repeated.values())
    page = results(client, q="death penalty", limit="2").content.decode()
    assert "Results 1–2 of 4" in unescape(page)


def test_the_json_names_every_member_with_its_link_and_who_made_it(client, repeated):
    data = api(client, q="death penalty")
    grouped = [hit for hit in data["results"] if hit["made"] == 3]
    assert len(grouped) == 1
    members = grouped[0]["members"]
    assert members[0]["object_id"] == grouped[0]["object_id"]  # the result's own item first
    assert {m["object_id"]: m["recommending_states"] for m in members} == {
        repeated["fr"].pk: ["FR"], repeated["es"].pk: ["ES"], repeated["de"].pk: ["DE"]}
    assert all(m["url"] == f"http://testserver/recommendations/{m['object_id']}/" for m in members)
    single = [hit for hit in data["results"] if hit["made"] == 1]
    assert single and all(hit["members"] == [] for hit in single)


def test_repeats_apart_gives_one_result_per_item(client, repeated):
    data = api(client, q="death penalty", repeats="apart")
    assert data["total"] == data["texts"] == 6 and len(data["results"]) == 6
    assert client.get("/api/v1/search", {"q": "death penalty", "repeats": "sometimes"}).status_code == 400


def test_the_csv_keeps_one_row_per_item(client, repeated):
    response = client.get("/search.csv", {"q": "death penalty", "mode": "text"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + 6
    assert {row[0] for row in rows[1:]} == {f"recommendation:{item.pk}" for item in repeated.values()}


def test_sorted_by_date_the_groups_hold_too(client, repeated):
    data = api(client, q="death penalty", sort="date")
    assert data["texts"] == 4 and [hit["made"] for hit in data["results"]].count(3) == 1
    assert data["results"][0]["object_id"] == repeated["later"].pk  # 2015 first


def test_a_filter_narrows_the_group_to_the_items_it_lets_through(client, repeated):
    data = api(client, q="death penalty", recommending_state=["FR", "ES"])
    made = sorted(hit["made"] for hit in data["results"])
    assert made == [1, 2]  # Kenya at session 8 by France and Spain (Germany filtered out); session 21


def test_many_states_are_named_two_then_the_others_counted(client, indexed):
    with indexed():
        for code in ["FR", "ES", "DE", "IT", "PT"]:
            make_item("Ratify the Optional Protocol to the Convention against Torture.", recipients=["KE"],
                      states=[code], session=8, cycle=1)
    response = results(client, q="optional protocol")
    block = unescape(hit_blocks(response)[0])
    assert "Made 5 times" in block and "and 3 others" in block
    assert len(re.findall(r'<li><a href="/recommendations/\d+/">', block)) == 5


@pytest.mark.parametrize("persona", ["anonymous", "focal_point", "coordinator"])
def test_an_unpublished_member_counts_only_for_the_staff(client, request, persona, repeated):
    repeated["de"].published_at = None
    with request.getfixturevalue("django_capture_on_commit_callbacks")(execute=True):
        repeated["de"].save()
    if persona != "anonymous":
        client = request.getfixturevalue(f"{persona}_client")
    data = api(client, q="death penalty")
    grouped = max(data["results"], key=lambda hit: hit["made"])
    ids = {m["object_id"] for m in grouped["members"]}
    if persona == "anonymous":
        assert grouped["made"] == 2 and repeated["de"].pk not in ids
        assert f"/recommendations/{repeated['de'].pk}/" not in results(client, q="death penalty").content.decode()
    else:
        assert grouped["made"] == 3 and repeated["de"].pk in ids


# A dialogue's snippet


@pytest.fixture
def dialogue(db, indexed):
    """A round in Brussels with a delegation, a summary, and the statement it was read from,
    which names a restricted person."""
    series = DialogueSeries.objects.create(name="EU-Mexico High Level Dialogue on Human Rights", slug="eu-mx")
    with indexed():
        round_ = Dialogue.objects.create(
            series=series, edition=7, title="Seventh EU-Mexico High Level Dialogue", language="en",
            date_start="2018-06-11", venue_city="Brussels", venue_country=Country.objects.get(code="BE"),
            summary="The delegations reviewed the situation of human rights defenders.", published_at=timezone.now(),
        )
        round_.parties.set(Country.objects.filter(code__in=["MX", "BE"]))
        delegation = Delegation.objects.create(dialogue=round_, party=Country.objects.get(code="BE"))
        DelegationMember.objects.create(delegation=delegation, person=Person.objects.create(name="Charles Michel"))
        Person.objects.create(name="Rosa Restringida", restricted=True)
        Document.objects.create(
            title="Joint press release", kind=Document.Kind.STATEMENT, dialogue=round_,
            text="Brussels, 11 June 2018. The European Union and Mexico held their seventh dialogue. "
                 "Both sides expressed concern about attacks on journalists, among them Rosa Restringida. "
                 "Mexico presented its new protection mechanism.")
        round_.save()
    return round_


def dialogue_hit(client, q):
    data = api(client, q=q, kind="dialogue")
    assert [hit["id"] for hit in data["results"]] == [f"dialogue:{Dialogue.objects.get().pk}"]
    return data["results"][0]


def test_a_dialogues_snippet_is_its_statements_best_sentence(client, dialogue):
    found = dialogue_hit(client, "journalists")
    assert found["snippet"].startswith("Both sides expressed concern about attacks on <mark>journalists</mark>")
    assert "Brussels" not in found["snippet"] and "Charles Michel" not in found["snippet"]
    page = results(client, q="journalists", kind="dialogue").content.decode()
    assert "attacks on <mark>journalists</mark>" in page


def test_a_restricted_name_is_withheld_from_the_snippet_for_those_not_allowed(client, request, dialogue):
    anonymous = dialogue_hit(client, "journalists")["snippet"]
    assert "Restringida" not in anonymous and "[…]" in anonymous
    for persona in ("focal_point", "coordinator"):
        client.logout()
        signed_in = request.getfixturevalue(f"{persona}_client")
        shown = dialogue_hit(signed_in, "journalists")["snippet"]
        assert ("Rosa Restringida" in shown) == (persona == "coordinator")


def test_without_the_words_in_its_statement_the_snippet_is_the_summary(client, dialogue):
    # "Michel" is a delegation member's name: the round is found, but the snippet is no run of fields.
    found = dialogue_hit(client, "Michel")
    assert found["snippet"] == "The delegations reviewed the situation of human rights defenders."
    assert dialogue_hit(client, "defenders")["snippet"] == (
        "The delegations reviewed the situation of human rights <mark>defenders</mark>.")


def test_a_round_without_a_statement_shows_its_summary(client, indexed):
    series = DialogueSeries.objects.create(name="Bilateral consultations", slug="bilateral")
    with indexed():
        Dialogue.objects.create(series=series, edition=1, title="First consultations", language="en",
                                date_start="2019-03-01", venue_city="Geneva",
                                summary="Migrants' rights at the northern border.", published_at=timezone.now())
    found = dialogue_hit(client, "Geneva")
    assert unescape(found["snippet"]) == "Migrants' rights at the northern border."  # HTML-escaped


def test_the_engine_groups_for_the_command_too(repeated):
    result = search(parse_request({"q": "death penalty", "mode": "text"}))
    assert result.total == 6 and result.texts == 4
    assert sorted(hit.made for hit in result.hits) == [1, 1, 1, 3]

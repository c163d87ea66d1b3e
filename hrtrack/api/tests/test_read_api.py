"""Reading through the API: what anyone may see of published data, the same filters as the pages,
restricted names withheld, pagination with absolute links, and every link one the caller opens."""

import pytest

from .links import relative_links, unopenable


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_visitors_list_the_published_items_only(client, world):
    response = client.get("/api/v1/recommendations")
    assert response.status_code == 200
    assert ids(response) == {world["public"].pk, world["commitment"].pk}


def test_the_staff_list_every_item(client, world, personas):
    client.force_login(personas["focal_point"])
    assert world["hidden"].pk in ids(client.get("/api/v1/recommendations"))


def test_a_token_reads_as_its_owner(world, token_client):
    assert world["hidden"].pk in ids(token_client("coordinator").get("/api/v1/recommendations"))


@pytest.mark.parametrize("query, expected", [
    ("kind=commitment", {"commitment"}),
    ("session=31", {"public"}),
    ("kind=commitment&kind=recommendation", {"commitment", "public"}),
    ("recipient=GT", set()),
])
def test_the_list_takes_the_pages_filters(client, world, query, expected):
    api = client.get(f"/api/v1/recommendations?{query}").json()
    page = client.get(f"/recommendations.json?{query}").json()
    assert {row["id"] for row in api["results"]} == {world[name].pk for name in expected}
    assert api["results"] == page["results"]


def test_a_number_no_column_holds_is_a_400_as_json(client, world):
    response = client.get("/api/v1/recommendations?session=99999999999999999999999")
    assert response.status_code == 400 and response.json()["error"]


def test_an_unpublished_item_is_a_json_404_for_the_public(client, world):
    response = client.get(f"/api/v1/recommendations/{world['hidden'].pk}")
    assert response.status_code == 404 and response.json()["error"]
    assert client.get(f"/api/v1/recommendations/{world['public'].pk}").json()["id"] == world["public"].pk


def test_restricted_names_are_withheld_from_the_public_and_shown_to_coordinators(client, world, personas):
    pk = world["commitment"].pk
    dialogue = world["dialogue"].pk
    for url in ("/api/v1/recommendations", f"/api/v1/recommendations/{pk}", f"/api/v1/dialogues/{dialogue}"):
        assert "Escondida" not in client.get(url).content.decode(), url
    assert "[…]" in client.get(f"/api/v1/recommendations/{pk}").json()["text"]
    client.force_login(personas["coordinator"])
    assert "Lucía Escondida" in client.get(f"/api/v1/recommendations/{pk}").json()["text"]


def test_dialogues_and_series_show_the_published_rounds(client, world):
    assert ids(client.get("/api/v1/dialogues")) == {world["dialogue"].pk}
    assert client.get(f"/api/v1/dialogues/{world['hidden_dialogue'].pk}").status_code == 404
    rounds = client.get("/api/v1/series/us-mx-hld").json()["rounds"]
    assert [r["id"] for r in rounds] == [world["dialogue"].pk]
    assert client.get("/api/v1/series/nobody").status_code == 404


def test_the_public_read_public_reports_and_download_their_evidence(client, world):
    data = client.get("/api/v1/reports").json()
    assert [r["id"] for r in data["results"]] == [world["report"].pk]
    evidence = data["results"][0]["evidence"]
    assert [e["id"] for e in evidence] == [world["evidence"].pk]
    download = client.get(evidence[0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(f"/api/v1/reports/{world['draft'].pk}").status_code == 404
    assert client.get(f"/api/v1/reports/{world['report'].pk}").json()["item"] == world["public"].pk


def test_unpublished_evidence_of_a_public_report_is_not_listed(client, world, personas):
    from hrtrack.followup import publication

    publication.publish([world["evidence"]], personas["coordinator"], published=False)
    assert client.get("/api/v1/reports").json()["results"][0]["evidence"] == []


def test_agency_members_read_their_agencys_drafts_and_others_do_not(client, world, personas):
    client.force_login(personas["focal_point"])
    assert world["draft"].pk in ids(client.get("/api/v1/reports"))
    assert client.get(f"/api/v1/reports/{world['draft'].pk}").json()["state"] == "draft"
    client.force_login(personas["other_focal_point"])
    assert world["draft"].pk not in ids(client.get("/api/v1/reports"))
    assert client.get(f"/api/v1/reports/{world['draft'].pk}").status_code == 404


def test_reports_filter_by_item_and_refuse_a_bad_number(client, world):
    assert ids(client.get(f"/api/v1/reports?item={world['public'].pk}")) == {world["report"].pk}
    assert ids(client.get(f"/api/v1/reports?item={world['commitment'].pk}")) == set()
    assert client.get("/api/v1/reports?item=abc").status_code == 400


def test_themes_and_states_link_to_their_pages(client, world):
    themes = client.get("/api/v1/themes").json()["results"]
    assert [t["code"] for t in themes] == ["freedom-of-the-press"]
    states = client.get("/api/v1/states").json()
    assert states["count"] > 200 and states["next"].startswith("http://testserver/api/v1/states?page=2")


def test_pages_link_to_their_neighbours_with_absolute_addresses(client, world, settings):
    settings.PAGE_SIZE = 1
    first = client.get("/api/v1/recommendations?kind=commitment&kind=recommendation").json()
    assert first["count"] == 2 and first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/recommendations?")
    second = client.get(first["next"]).json()
    assert second["page"] == 2 and second["next"] is None and second["previous"].startswith("http://testserver/")
    assert ids(client.get(first["next"])) | {r["id"] for r in first["results"]} == {
        world["public"].pk, world["commitment"].pk}


READS = ["/api/v1/", "/api/v1/recommendations", "/api/v1/recommendations/{public}",
         "/api/v1/recommendations/{commitment}",
         "/api/v1/dialogues", "/api/v1/dialogues/{dialogue}", "/api/v1/series/us-mx-hld", "/api/v1/reports",
         "/api/v1/reports/{report}", "/api/v1/themes", "/api/v1/search?q=journalists"]


def _address(template, world):
    return template.format(**{name: getattr(obj, "pk", None) for name, obj in world.items()})


@pytest.mark.parametrize("template", READS)
def test_every_link_an_anonymous_answer_gives_opens_without_signing_in(client, searchable, template):
    world = searchable
    data = client.get(_address(template, world)).json()
    assert relative_links(data) == []
    assert unopenable(client, data) == []


@pytest.mark.parametrize("who", ["coordinator", "focal_point"])
@pytest.mark.parametrize("template", READS)
def test_every_link_a_staff_answer_gives_opens_for_them(client, searchable, personas, who, template):
    world = searchable
    client.force_login(personas[who])
    data = client.get(_address(template, world)).json()
    assert relative_links(data) == []
    assert unopenable(client, data) == []


def test_the_search_finds_published_items_with_links_to_their_public_pages(client, searchable):
    data = client.get("/api/v1/search", {"q": "journalists"}).json()
    assert data["total"] >= 2
    assert all(hit["url"].startswith("http://testserver/") for hit in data["results"])
    assert searchable["hidden"].text not in str(data)


def test_a_contributor_reads_what_the_public_reads(client, world, contributor):
    client.force_login(contributor)
    assert ids(client.get("/api/v1/recommendations")) == {world["public"].pk, world["commitment"].pk}
    assert ids(client.get("/api/v1/reports")) == {world["report"].pk}
    assert "Escondida" not in client.get(f"/api/v1/recommendations/{world['commitment'].pk}").content.decode()


def _more_public_reports(world, personas, count):
    from hrtrack.followup import publication, workflow

    for number in range(count):
        report = workflow.start_report(world["assignment"], personas["focal_point"], status="in-progress",
                                       narrative=f"Step {number}.")
        report = workflow.submit(report, personas["focal_point"], report.version)
        report = workflow.validate(report, personas["validator"], report.version)
        publication.publish([report], personas["coordinator"])


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_the_reports_list_reads_a_fixed_number_of_queries_however_many_rows(
        client, world, personas, who, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if who != "anonymous":
        client.force_login(personas[who])
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/reports").status_code == 200
    _more_public_reports(world, personas, 4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/v1/reports").json()["results"]) >= 5


def test_coordinators_read_the_agencies_suggested_for_an_unassigned_item(world, token_client, agencies):
    from hrtrack.recommendations.models import ConceptLink
    from hrtrack.taxonomy.models import Concept

    press = Concept.objects.get(code="freedom-of-the-press")
    for name in ("public", "commitment"):  # the Interior holds an item on the commitment's theme
        ConceptLink.objects.create(recommendation=world[name], concept=press, origin=ConceptLink.Origin.IMPORT)
    url = f"/api/v1/recommendations/{world['commitment'].pk}"
    suggested = token_client("coordinator").get(url).json()["suggested_agencies"]
    assert [s["agency"]["id"] for s in suggested] == [world["interior"].pk] and suggested[0]["reasons"]
    assert token_client("focal_point").get(url).json()["suggested_agencies"] == []


def test_repeated_items_come_together_as_on_the_list_page(client, world):
    api = client.get("/api/v1/recommendations?repeats=together").json()
    assert api["results"] == client.get("/recommendations.json?repeats=together").json()["results"]
    assert all("repeats" in row for row in api["results"])

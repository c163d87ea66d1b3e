"""The item pages and profiles as anonymous visitors and contributors see them: published items
only, on every door (the list, its JSON and CSV, the item and its JSON, the profiles), the fields of
each kind, confirmed themes, public reports; and the same URLs as the staff see them, unchanged."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from hrtrack.directory.models import Country
from hrtrack.followup.models import Assignment, Evidence, ProgressReport
from hrtrack.recommendations.models import ConceptLink, ItemLink, Kind, Recommendation, RepeatGroupMember

PUBLIC = ["anonymous", "contributor"]
STAFF = ["focal_point", "coordinator"]
EVERYONE = PUBLIC + STAFF


def make_item(text, *, recipients=("MX",), states=("NO",), published=True, **fields):
    item = Recommendation.objects.create(text=text, published_at=timezone.now() if published else None, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    item.recommending_states.set(Country.objects.filter(code__in=states))
    return item


def report(item, agency, status, narrative, *, state=ProgressReport.State.VALIDATED, published=True, days_ago=1):
    assignment, _ = Assignment.objects.get_or_create(recommendation=item, organization=agency)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return ProgressReport.objects.create(
        assignment=assignment, status=status, narrative=narrative, state=state,
        validated_at=when if state == ProgressReport.State.VALIDATED else None,
        published_at=when if published else None)


@pytest.fixture
def world(db, themes, agencies):
    """Published: a recommendation on torture from Norway (with a public report, a published
    evidence link and an unpublished one, and a validated but unpublished report of another agency
    saying "implemented"), a pledge and a commitment. Unpublished: a recommendation from France."""
    interior, foreign = agencies
    torture = make_item("Ratify the Optional Protocol to the Convention against Torture and set up a national "
                        "preventive mechanism.", response="supported", action_category=5, session=31, cycle=3,
                        issued_on=datetime.date(2018, 11, 7), document_symbol="A/HRC/40/8",
                        mechanism=themes["iachr"])
    ConceptLink.objects.create(recommendation=torture, concept=themes["torture"], origin="import")
    ConceptLink.objects.create(recommendation=torture, concept=themes["disappearances"], origin="model",
                               model_name="tfidf-1", confidence=0.7)
    public = report(torture, interior, "in-progress", "The Senate debated the ratification.")
    Evidence.objects.create(report=public, description="Senate record", url="https://senado.example/acta",
                            published_at=timezone.now())
    Evidence.objects.create(report=public, description="Internal memo", url="https://intranet.example/memo")
    report(torture, foreign, "implemented", "A validated report nobody published.", days_ago=0, published=False)
    report(torture, interior, "implemented", "A draft still being written.", state=ProgressReport.State.DRAFT,
           published=False, days_ago=0)
    secret = make_item("Investigate every complaint of torture by the police.", states=["FR"], response="noted",
                       published=False, mechanism=themes["iachr"])
    ConceptLink.objects.create(recommendation=secret, concept=themes["torture"], origin="import")
    pledge = make_item("Mexico pledges to submit its reports on time.", recipients=[], states=["MX"],
                       kind=Kind.PLEDGE)
    commitment = make_item("Mexico will present a general law against torture to Congress.", recipients=[],
                           states=["MX", "US"], kind=Kind.COMMITMENT, due="2016")
    return {"torture": torture, "secret": secret, "pledge": pledge, "commitment": commitment}


def page(response) -> str:
    return response.content.decode()


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


# The door matrix


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_list_its_json_and_its_csv_hold_only_what_the_visitor_may_see(client_for, world, persona):
    client = client_for(persona)
    expected = 4 if persona in STAFF else 3
    listing = client.get("/recommendations/?scope=world")
    assert listing.status_code == 200
    assert listing.context["page_obj"].paginator.count == expected
    assert ("Investigate every complaint" in page(listing)) == (persona in STAFF)
    twin = client.get("/recommendations.json?scope=world").json()
    assert twin["count"] == expected
    assert {row["title"] for row in twin["results"]} == {
        item.title for key, item in world.items() if persona in STAFF or key != "secret"}
    rows = csv_rows(client.get("/recommendations.csv?scope=world"))
    assert len(rows) == expected
    assert ("Investigate every complaint of torture by the police." in [row["Text"] for row in rows]) == (
        persona in STAFF)


@pytest.mark.parametrize("persona", EVERYONE)
def test_an_unpublished_item_is_a_404_for_the_public_and_a_page_for_the_staff(client_for, world, persona):
    client = client_for(persona)
    secret = world["secret"]
    expected = 200 if persona in STAFF else 404
    assert client.get(f"/recommendations/{secret.pk}/").status_code == expected
    response = client.get(f"/recommendations/{secret.pk}.json")
    assert response.status_code == expected
    if expected == 404:
        assert response.json() == {"error": f"There is no recommendation with the id {secret.pk}."}


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_published_item_opens_for_everyone_with_its_title(client_for, world, persona):
    client = client_for(persona)
    torture = world["torture"]
    response = client.get(f"/recommendations/{torture.pk}/")
    assert response.status_code == 200
    title = "Ratify the Optional Protocol to the Convention against… — recommendation"
    assert torture.title == title
    assert f"<title>{title} ·" in page(response)
    assert f"<h1>{title}</h1>" in page(response)
    assert f"Recommendation {torture.pk}" not in page(response)
    assert client.get(f"/recommendations/{torture.pk}.json").json()["title"] == title


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_item_page_shows_confirmed_themes_and_public_reports_only(client_for, world, persona):
    torture = world["torture"]
    html = page(client_for(persona).get(f"/recommendations/{torture.pk}/"))
    assert "Torture and other CID" in html
    assert 'href="/themes/upr-issues/torture/"' in html
    assert "Enforced disappearances" not in html  # a model's suggestion nobody confirmed
    assert "The Senate debated the ratification." in html
    assert 'href="https://senado.example/acta"' in html
    assert "Internal memo" not in html
    assert "nobody published" not in html and "draft still being written" not in html
    assert "In progress, as Ministry of the Interior reported" in html
    assert "Ministry of Foreign Affairs" not in html or "Responsible agencies" in html
    for staff_only in ["Assign", "Suggested agencies", "Timeline", "tfidf-1", "Confidence", "focal point"]:
        assert staff_only not in html, staff_only


def test_the_public_item_page_reads_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        html = page(client.get(f"/recommendations/{world['torture'].pk}/"))
    assert "Sign in to contribute" in html  # civil society's comments on the item and its reports


def test_approved_comments_show_under_the_item_and_its_report_and_pending_ones_do_not(client, world):
    from hrtrack.contributions.models import Contribution

    torture = world["torture"]
    public = ProgressReport.objects.get(narrative="The Senate debated the ratification.")
    Contribution.objects.create(item=torture, body="<p>The ratification is overdue.</p>", author_name="Cecilia",
                                state=Contribution.State.APPROVED)
    Contribution.objects.create(report=public, body="<p>The debate was postponed twice.</p>",
                                author_name="Cecilia", state=Contribution.State.APPROVED)
    Contribution.objects.create(item=torture, body="<p>Not moderated yet.</p>", author_name="Cecilia")
    html = page(client.get(f"/recommendations/{torture.pk}/"))
    assert "The ratification is overdue." in html
    assert "The debate was postponed twice." in html
    assert "Civil society's comments on this report (1)" in html
    assert "Not moderated yet." not in html


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_json_twin_has_no_staff_data(client_for, world, persona):
    torture = world["torture"]
    data = client_for(persona).get(f"/recommendations/{torture.pk}.json").json()
    assert data["url"] == f"http://testserver/recommendations/{torture.pk}/"
    assert [theme["code"] for theme in data["themes"]] == ["torture"]
    assert data["themes"][0]["url"] == "http://testserver/themes/upr-issues/torture/"
    assert data["status"]["status"] == "in-progress"
    assert [r["narrative"] for r in data["reports"]] == ["The Senate debated the ratification."]
    assert [e["description"] for e in data["reports"][0]["evidence"]] == ["Senate record"]
    assert data["recommending_states"][0]["url"] == "http://testserver/states/NO/"
    assert data["mechanism"]["url"] == "http://testserver/mechanisms/iachr/"
    for key in ["assignments", "suggested_agencies", "timeline", "history", "deadlines", "indicators"]:
        assert key not in data


def test_the_staff_keep_their_item_page_and_json(coordinator_client, world):
    torture = world["torture"]
    html = page(coordinator_client.get(f"/recommendations/{torture.pk}/"))
    # The model's suggestion, in words: never the model's version (that is for the admin and the history).
    assert "Suggested (70%)" in html and "tfidf-1" not in html
    for profile in ['href="/mechanisms/iachr/"', 'href="/states/NO/"', 'href="/themes/upr-issues/torture/"']:
        assert profile in html, profile
    assert "A validated report nobody published." in html
    data = coordinator_client.get(f"/recommendations/{torture.pk}.json").json()
    assert data["title"] == torture.title
    assert {"assignments", "timeline", "history"} <= set(data)


# Fields by kind


@pytest.mark.parametrize("persona", PUBLIC)
def test_a_pledge_shows_who_pledged_and_no_recommending_state_or_response(client_for, world, persona):
    pledge = world["pledge"]
    client = client_for(persona)
    html = page(client.get(f"/recommendations/{pledge.pk}/"))
    assert pledge.title == "Mexico pledges to submit its reports on time — voluntary pledge"
    assert "Pledged by" in html
    for field in ["Recommending states", "Response", "Addressed to", "Action category", "Session"]:
        assert f"<dt>{field}</dt>" not in html, field
    data = client.get(f"/recommendations/{pledge.pk}.json").json()
    assert [state["code"] for state in data["made_by"]] == ["MX"]
    assert "recommending_states" not in data and "response" not in data


@pytest.mark.parametrize("persona", PUBLIC)
def test_a_commitment_shows_its_parties_and_due_date(client_for, world, persona):
    commitment = world["commitment"]
    html = page(client_for(persona).get(f"/recommendations/{commitment.pk}/"))
    assert "<dt>Parties</dt>" in html
    assert "Mexico, United States" in html or "United States, Mexico" in html
    assert "<dt>Due</dt><dd>2016</dd>" in html
    assert "<dt>Recommending states</dt>" not in html and "<dt>Response</dt>" not in html


# The public list


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_list_has_no_bulk_forms_nor_staff_filters(client_for, world, persona, agencies):
    client = client_for(persona)
    html = page(client.get("/recommendations/?scope=world"))
    assert "bulk-assign" not in html and 'name="assigned"' not in html
    interior, foreign = agencies
    # agency= is not a public filter: it is ignored, not a way to learn who holds what.
    assert client.get(f"/recommendations.json?scope=world&agency={foreign.pk}").json()["count"] == 3


@pytest.mark.parametrize(("persona", "expected"), [("anonymous", 0), ("contributor", 0), ("coordinator", 1)])
def test_the_status_filter_reads_public_reports_for_the_public(client_for, world, persona, expected):
    response = client_for(persona).get("/recommendations.json?scope=world&status=implemented")
    assert response.json()["count"] == expected


def test_a_grouped_public_list_counts_only_published_repeats(client, world):
    torture, secret = world["torture"], world["secret"]
    earlier = make_item("Ratify the Optional Protocol to the Convention against Torture.", session=4, cycle=1,
                        issued_on=datetime.date(2009, 2, 10))
    ItemLink.objects.create(source=torture, target=earlier, kind="repeated", confirmed=True)
    ItemLink.objects.create(source=torture, target=secret, kind="repeated", confirmed=True)
    key = min(torture.pk, earlier.pk, secret.pk)
    RepeatGroupMember.objects.bulk_create([RepeatGroupMember(item=item, group_key=key)
                                           for item in (torture, earlier, secret)])
    listed = client.get("/recommendations.json?scope=world&repeats=together").json()["results"]
    repeats = next(row["repeats"] for row in listed if row["repeats"])
    assert repeats["items"] == 2
    detail = client.get(f"/recommendations/{torture.pk}.json").json()
    assert [row["id"] for row in detail["repeated"]] == [earlier.pk]
    assert detail["repeat_summary"]["items"] == 2


def test_the_csv_names_things_in_the_readers_language(client, world):
    rows = csv_rows(client.get("/recommendations.csv?scope=world&kind=recommendation"))
    assert len(rows) == 1
    row = rows[0]
    assert row["Link"] == f"http://testserver/recommendations/{world['torture'].pk}/"
    assert row["Addressed to"] == "Mexico"
    assert row["Mechanism"] == "Inter-American Commission on Human Rights"
    assert row["Themes"] == "Torture and other CID"
    assert row["Implementation status"] == "In progress"
    assert row["Response"] == "Supported"
    assert "Published" not in row
    spanish = csv_rows(client.get("/recommendations.csv?scope=world&kind=recommendation",
                                  headers={"accept-language": "es"}))
    assert spanish[0]["Dirigida a" if "Dirigida a" in spanish[0] else list(spanish[0])[10]] == "México"


def test_the_csv_refuses_a_number_no_database_holds(client, world):
    response = client.get(f"/recommendations.csv?session={10**30}")
    assert response.status_code == 400


# Profiles


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("path", ["/themes/upr-issues/torture/", "/mechanisms/iachr/"])
def test_a_theme_and_a_mechanism_count_only_what_the_visitor_may_see(client_for, world, persona, path):
    client = client_for(persona)
    expected = 2 if persona in STAFF else 1
    response = client.get(path + "?scope=world")
    assert response.status_code == 200
    assert response.context["counts"]["items"] == expected
    assert ("Investigate every complaint" in page(response)) == (persona in STAFF)
    data = client.get(path.rstrip("/") + ".json?scope=world").json()
    assert data["counts"]["items"] == data["count"] == expected
    statuses = {row["status"]: row["count"] for row in data["counts"]["by_status"]}
    if persona in STAFF:
        assert statuses == {"implemented": 1, None: 1}
    else:
        assert statuses == {"in-progress": 1}


def test_a_profile_links_to_the_list_filtered_the_same_way(client, world, settings):
    settings.HRTRACK_STATE = "MX"
    data = client.get("/themes/upr-issues/torture.json?scope=world").json()
    assert data["list_url"] == "http://testserver/recommendations/?theme=torture&scope=world"
    listed = client.get("/recommendations.json?theme=torture&scope=world").json()
    assert listed["count"] == data["count"] == 1
    assert data["csv_url"] == "http://testserver/recommendations.csv?theme=torture&scope=world"
    assert len(csv_rows(client.get(data["csv_url"]))) == 1
    responses = {row["response"]: row["list_url"] for row in data["counts"]["by_response"]}
    assert responses == {"supported": "http://testserver/recommendations/?theme=torture&response=supported&scope=world"}
    ours = client.get("/themes/upr-issues/torture.json").json()
    assert ours["list_url"] == "http://testserver/recommendations/?theme=torture"
    assert ours["scope"] == "ours" and ours["count"] == 1


def test_a_state_profile_shows_our_states_items_unless_asked_for_the_world(client, world, settings):
    settings.HRTRACK_STATE = "MX"
    guatemala = make_item("Protect human rights defenders.", recipients=["GT"], states=["NO"])
    assert client.get("/states/NO.json").json()["count"] == 1
    world_wide = client.get("/states/NO.json?scope=world").json()
    assert world_wide["count"] == 2
    assert guatemala.title in {row["title"] for row in world_wide["results"]}


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_recommending_state_profile(client_for, world, persona):
    client = client_for(persona)
    norway = client.get("/states/NO/?scope=world")
    assert norway.status_code == 200
    assert norway.context["counts"]["items"] == 1
    assert "<h1>Norway</h1>" in page(norway)
    france = client.get("/states/FR.json?scope=world").json()
    assert france["count"] == (1 if persona in STAFF else 0)
    assert france["state"] == {"code": "FR", "name": "France"}
    assert client.get("/states/no/").status_code == 302


def test_a_profile_speaks_spanish(client, world):
    response = client.get("/themes/upr-issues/torture/?scope=world", headers={"accept-language": "es"})
    assert "<h1>Tortura y otros tratos</h1>" in page(response)
    data = client.get("/themes/upr-issues/torture.json", headers={"accept-language": "es"}).json()
    assert data["theme"]["label"] == "Tortura y otros tratos"
    assert data["theme"]["scheme_name"] == "Temas de UPR Info"


@pytest.mark.parametrize("path", ["/themes/upr-issues/nothing.json", "/mechanisms/nothing.json", "/states/QQ.json"])
def test_an_unknown_profile_is_a_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.parametrize("path", ["/themes/upr-issues/nothing/", "/mechanisms/nothing/", "/states/QQ/"])
def test_an_unknown_profile_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_a_name_restricted_is_withheld_from_the_kept_public_list_even_when_the_data_version_does_not_move(
        client, db, monkeypatch):
    """The anonymous list and its JSON are kept under the data's version (the newest history id), which
    a transaction committed out of order does not move; the names withheld are in the key too."""
    from hrtrack.directory.models import Person
    from hrtrack.followup import dashboard

    monkeypatch.setattr(dashboard, "data_version", lambda: "frozen")
    person = Person.objects.create(name="Rosa Ejemplar Quintana")
    make_item("Guarantee the safety of Rosa Ejemplar Quintana, a defender of land rights.")
    for door in ("/recommendations/", "/recommendations.json"):
        assert "Rosa Ejemplar Quintana" in client.get(door).content.decode()
        assert "Rosa Ejemplar Quintana" in client.get(door).content.decode()  # the kept copy
    Person.objects.filter(pk=person.pk).update(restricted=True)  # no history record: the version stays
    for door in ("/recommendations/", "/recommendations.json"):
        assert "Rosa Ejemplar Quintana" not in client.get(door).content.decode(), door


def test_the_public_page_of_an_item_nobody_holds_reads_no_reports(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = make_item("Ratify the Optional Protocol.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/recommendations/{item.pk}/")
    assert response.status_code == 200 and response.context["reports"] == []
    assert not [q for q in queries.captured_queries if 'FROM "followup_progressreport"' in q["sql"]]

import pytest
from django.utils import translation

from hrtrack.dialogues.models import Dialogue, DialogueSeries
from hrtrack.directory.models import Country

STAFF = ["admin", "coordinator", "focal_point"]


def make_round(series, edition, date_start="", parties=("MX", "US"), title=""):
    dialogue = Dialogue.objects.create(series=series, edition=edition, date_start=date_start, title=title)
    dialogue.parties.set(Country.objects.filter(code__in=parties))
    return dialogue


# Access


@pytest.mark.parametrize("persona", STAFF)
@pytest.mark.parametrize("path", ["/dialogues/", "/dialogues/{pk}/"])
def test_it_shows_dialogue_pages_to_staff(client_for, dialogue, persona, path):
    response = client_for(persona).get(path.format(pk=dialogue.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "contributor"])
def test_the_public_sees_no_unpublished_round_and_is_not_sent_to_sign_in(client_for, dialogue, persona):
    """The public pages are in test_public.py: an unpublished round is not there for the public."""
    client = client_for(persona)
    listing = client.get("/dialogues/")
    assert listing.status_code == 200 and listing.context["page_obj"].paginator.count == 0
    assert client.get(f"/dialogues/{dialogue.pk}/").status_code == 404


def test_it_answers_404_for_an_unknown_dialogue(coordinator_client, dialogue):
    response = coordinator_client.get(f"/dialogues/{dialogue.pk + 1000}/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_it_answers_404_for_an_id_too_long_for_the_database(coordinator_client, db):
    assert coordinator_client.get("/dialogues/99999999999999999999999/").status_code == 404


# The dialogue page


def test_a_day_without_its_year_reads_as_a_day_on_every_page_that_dates_rounds(client, personas, series):
    """A statement that says "3 April" and no year is stored as --04-03, and drawn as people
    write it, in their language; dates with a year stay as they are."""
    undated = make_round(series, 9, date_start="--04-03")
    undated.date_end = "--04-04"
    undated.save()
    make_round(series, 10, date_start="2016-11")
    client.force_login(personas["coordinator"])
    for path in (f"/dialogues/{undated.pk}/", "/dialogues/", "/"):
        page = client.get(path).content.decode()
        assert "--04-03" not in page, path
        assert "April 3 – April 4 (year unknown)" in page, path
    assert "November 2016" in client.get("/dialogues/").content.decode()
    with translation.override("es"):
        page = client.get(f"/dialogues/{undated.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "3 de abril – 4 de abril" in page and "--04-03" not in page


def test_it_shows_the_round_its_date_venue_and_both_parties(focal_point_client, dialogue):
    page = focal_point_client.get(f"/dialogues/{dialogue.pk}/").content.decode()
    assert "Sixth U.S.-Mexico Bilateral High Level Dialogue on Human Rights" in page
    assert "Oct. 27, 2015 – Oct. 28, 2015" in page
    assert "Washington, United States" in page
    assert "U.S. Department of State" in page
    assert "Mexico, United States" in page


def test_it_lists_its_three_members_with_posts_and_roles(focal_point_client, dialogue):
    response = focal_point_client.get(f"/dialogues/{dialogue.pk}/")
    page = response.content.decode()
    members = [m for d in response.context["dialogue"].delegations.all() for m in d.members.all()]
    assert len(members) == 3
    for text in [
        "Roberta S. Jacobson", "Assistant Secretary of State for Western Hemisphere Affairs", "Head",
        "Tom Malinowski", "Member",
        "Miguel Ruiz Cabañas", "Undersecretary for Multilateral Affairs and Human Rights", "Co-head",
        "Secretaría de Relaciones Exteriores",
    ]:
        assert text in page


def test_it_shows_topics_bodies_commitments_and_people_mentioned(focal_point_client, dialogue):
    page = focal_point_client.get(f"/dialogues/{dialogue.pk}/").content.decode()
    assert "Torture and other CID" in page
    assert "Enforced disappearances" in page
    assert "Inter-American Commission on Human Rights" in page
    assert "Mexico will present a general law against torture to Congress." in page
    assert "2016" in page
    assert "Enrique Peña Nieto" in page
    assert "President of Mexico" in page


def test_it_shows_a_partial_date_as_stored_without_inventing_a_year(focal_point_client, series):
    dialogue = make_round(series, 7, date_start="--10-27")
    page = focal_point_client.get(f"/dialogues/{dialogue.pk}/").content.decode()
    assert '<span class="dates">October 27 (year unknown)</span>' in page


def test_it_hides_restricted_people_and_cases_from_focal_points(focal_point_client, dialogue):
    page = focal_point_client.get(f"/dialogues/{dialogue.pk}/").content.decode()
    assert "Rosa Restringida" not in page
    assert "The case of the disappeared students" not in page
    assert "Cases raised" not in page


@pytest.mark.parametrize("persona", ["admin", "coordinator"])
def test_it_shows_restricted_people_and_cases_to_coordinators(client_for, dialogue, persona):
    page = client_for(persona).get(f"/dialogues/{dialogue.pk}/").content.decode()
    assert "Rosa Restringida" in page
    assert "The case of the disappeared students" in page


# The list


def test_it_lists_dialogues_with_their_parties(focal_point_client, dialogue):
    page = focal_point_client.get("/dialogues/").content.decode()
    assert f'href="/dialogues/{dialogue.pk}/"' in page
    assert "Mexico, United States" in page
    assert "1 dialogue" in page


def test_it_filters_by_series(focal_point_client, dialogue):
    other = DialogueSeries.objects.create(name="EU-Mexico Human Rights Dialogue", slug="eu-mexico")
    make_round(other, 1, parties=["MX"])
    response = focal_point_client.get("/dialogues/?series=eu-mexico")
    assert [d.series.slug for d in response.context["page_obj"]] == ["eu-mexico"]


def test_it_filters_by_party_code_in_either_case(focal_point_client, dialogue):
    other = DialogueSeries.objects.create(name="Chile-Mexico Dialogue", slug="chile-mexico")
    chilean = make_round(other, 1, parties=["MX", "CL"])
    for code in ["CL", "cl"]:
        response = focal_point_client.get(f"/dialogues/?party={code}")
        assert list(response.context["page_obj"]) == [chilean]
    assert response.context["page_obj"].paginator.count == 1


def test_the_party_drop_down_speaks_the_readers_language(focal_point_client, dialogue):
    with translation.override("es"):
        page = focal_point_client.get("/dialogues/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    start = page.index('name="party"')
    parties = page[start:page.index("</select>", start)]
    assert '<option value="US">Estados Unidos</option>' in parties
    assert parties.index(">Bélgica<") < parties.index(">Belice<")


def test_it_filters_by_year(focal_point_client, dialogue, series):
    make_round(series, 7, date_start="2016-11")
    response = focal_point_client.get("/dialogues/?year=2015")
    assert list(response.context["page_obj"]) == [dialogue]


def test_it_filters_by_words_in_the_title(focal_point_client, dialogue, series):
    make_round(series, 7, title="Seventh round on migrants")
    response = focal_point_client.get("/dialogues/?q=MIGRANTS")
    assert [d.edition for d in response.context["page_obj"]] == [7]


@pytest.mark.parametrize("query", ["series=nope", "party=ZZ", "year=abc", "year=99999", "page=abc", "page=-1"])
def test_it_ignores_bad_filter_values(focal_point_client, dialogue, query):
    response = focal_point_client.get(f"/dialogues/?{query}")
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [dialogue]


def test_it_names_the_bad_filter_beside_its_field(focal_point_client, dialogue):
    page = focal_point_client.get("/dialogues/?year=abc").content.decode()
    assert "Enter a whole number." in page
    assert "This filter was ignored." in page


def test_it_paginates_and_shows_the_last_page_past_the_end(focal_point_client, series, settings):
    settings.PAGE_SIZE = 2
    for edition in range(1, 6):
        make_round(series, edition, date_start=f"20{10 + edition}-01-01")
    first = focal_point_client.get("/dialogues/")
    assert [d.edition for d in first.context["page_obj"]] == [5, 4]
    assert "Page 1 of 3" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    last = focal_point_client.get("/dialogues/?page=999")
    assert last.status_code == 200
    assert [d.edition for d in last.context["page_obj"]] == [1]


def test_it_keeps_the_filters_in_the_page_links(focal_point_client, series, settings):
    settings.PAGE_SIZE = 1
    make_round(series, 1, date_start="2012")
    make_round(series, 2, date_start="2013")
    page = focal_point_client.get("/dialogues/?series=us-mexico-bhld").content.decode()
    assert 'href="?series=us-mexico-bhld&amp;page=2"' in page


def test_it_lists_thirty_dialogues_in_a_bounded_number_of_queries(
    focal_point_client, series, django_assert_max_num_queries
):
    for edition in range(1, 31):
        make_round(series, edition, date_start=f"{1990 + edition}-05-01")
    # session, user, the two filter selects, count, page, parties: the same for 3 rounds or 300.
    with django_assert_max_num_queries(8):
        response = focal_point_client.get("/dialogues/")
    assert response.context["page_obj"].paginator.count == 30


def test_it_shows_a_dialogue_page_in_a_bounded_number_of_queries(
    coordinator_client, dialogue, django_assert_max_num_queries
):
    # 20 for the page and its commitments' follow-up; the dialogue's own history adds what
    # django-simple-history reads to compare each record with the one before (its three
    # many-to-many fields): about 25 for the fixture's four records.
    with django_assert_max_num_queries(45):
        coordinator_client.get(f"/dialogues/{dialogue.pk}/")


# JSON twins


def test_the_list_has_a_json_twin_with_the_same_filters(focal_point_client, dialogue, series):
    make_round(series, 7, date_start="2016")
    response = focal_point_client.get("/dialogues.json?year=2015")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 1
    [result] = data["results"]
    assert result["id"] == dialogue.pk
    assert result["date_start"] == "2015-10-27"
    assert [p["code"] for p in result["parties"]] == ["MX", "US"]
    assert result["series"]["slug"] == "us-mexico-bhld"


def test_the_json_list_is_paginated(focal_point_client, series, settings):
    settings.PAGE_SIZE = 2
    for edition in range(1, 4):
        make_round(series, edition)
    data = focal_point_client.get("/dialogues.json?page=2").json()
    assert data["count"] == 3
    assert data["page"] == 2
    assert len(data["results"]) == 1
    assert data["next"] is None
    assert data["previous"].endswith("/dialogues.json?page=1")


def test_the_dialogue_json_has_delegations_and_commitments(focal_point_client, dialogue):
    data = focal_point_client.get(f"/dialogues/{dialogue.pk}.json").json()
    members = [m for d in data["delegations"] for m in d["members"]]
    assert {(m["name"], m["role"]) for m in members} == {
        ("Roberta S. Jacobson", "head"), ("Tom Malinowski", "member"), ("Miguel Ruiz Cabañas", "co-head"),
    }
    assert data["commitments"][0]["due"] == "2016"
    assert [p["code"] for p in data["commitments"][0]["parties"]] == ["MX"]


def test_the_dialogue_json_hides_restricted_data_from_focal_points(focal_point_client, dialogue):
    response = focal_point_client.get(f"/dialogues/{dialogue.pk}.json")
    assert "Rosa Restringida" not in response.content.decode()
    assert "cases" not in response.json()


def test_the_dialogue_json_shows_restricted_data_to_coordinators(coordinator_client, dialogue):
    data = coordinator_client.get(f"/dialogues/{dialogue.pk}.json").json()
    assert data["cases"][0]["people"] == ["Rosa Restringida"]
    assert "Rosa Restringida" in [m["name"] for m in data["people_mentioned"]]


def test_the_dialogue_json_answers_404_with_an_error(coordinator_client, db):
    response = coordinator_client.get("/dialogues/4242.json")
    assert response.status_code == 404
    assert response.json() == {"error": "There is no dialogue with the id 4242."}


@pytest.mark.parametrize("persona", ["anonymous", "contributor"])
def test_the_json_twins_show_the_public_no_unpublished_round(client_for, dialogue, persona):
    client = client_for(persona)
    assert client.get("/dialogues.json").json()["count"] == 0
    response = client.get(f"/dialogues/{dialogue.pk}.json")
    assert response.status_code == 404
    assert response.json() == {"error": f"There is no dialogue with the id {dialogue.pk}."}


def test_a_year_no_database_holds_is_a_400_not_a_server_error(focal_point_client, dialogue):
    assert focal_point_client.get(f"/dialogues/?year={10**30}").status_code == 400
    response = focal_point_client.get(f"/dialogues.json?year={10**30}")
    assert response.status_code == 400 and response.json()["error"]


def test_a_year_worked_out_from_the_series_is_shown_with_where_it_came_from(coordinator_client, series):
    make_round(series, 5, date_start="2013-05-20")
    sixth = make_round(series, 6, date_start="--04-03")
    make_round(series, 7, date_start="2015-03-10")
    from hrtrack.dialogues.years import work_out_years

    work_out_years(series)
    page = coordinator_client.get(f"/dialogues/{sixth.pk}/").content.decode()
    assert '<span class="dates">April 3, 2014</span>' in page and "--04-03" not in page
    assert "worked out from the series" in page
    # Sorted and filtered as a round of 2014.
    listing = coordinator_client.get("/dialogues/?year=2014").content.decode()
    assert f"/dialogues/{sixth.pk}/" in listing
    with translation.override("es"):
        page = coordinator_client.get(f"/dialogues/{sixth.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "3 de abril de 2014" in page


def test_the_json_gives_the_stored_date_and_a_readable_one(coordinator_client, series):
    undated = make_round(series, 9, date_start="--04-03")
    body = coordinator_client.get(f"/dialogues/{undated.pk}.json").json()
    assert body["date_start"] == "--04-03"
    assert body["dates"] == "April 3 (year unknown)" and body["inferred_year"] is None
    listed = coordinator_client.get("/dialogues.json").json()
    assert listed["results"][0]["dates"] == "April 3 (year unknown)"

"""Assigning items to agencies: one from its page, every item of a filtered list in bulk, from a
search's results; and deadlines set on an item. Pages and JSON twins, with the personas."""

import datetime
import json
from html import unescape

import pytest

from hrtrack.directory.models import Country, Organization
from hrtrack.followup.models import Assignment, Deadline
from hrtrack.followup.views import assign as assign_views
from hrtrack.recommendations.models import ConceptLink, Recommendation


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


def make_item(text, *, recipients=("MX",), theme=None, **fields):
    item = Recommendation.objects.create(text=text, **fields)
    item.recipients.set(Country.objects.filter(code__in=recipients))
    if theme is not None:
        ConceptLink.objects.create(recommendation=item, concept=theme, origin=ConceptLink.Origin.IMPORT)
    return item


@pytest.fixture
def item(db):
    return make_item("Mexico should protect journalists and human rights defenders.")


@pytest.fixture
def torture_items(db, themes):
    """Three items on torture addressed to Mexico, one to Guatemala, and one on another theme to Mexico."""
    torture = themes["torture"]
    return {
        "law": make_item("Adopt a general law against torture.", theme=torture),
        "mechanism": make_item("Strengthen the national mechanism for the prevention of torture.", theme=torture),
        "investigate": make_item("Investigate every allegation of torture by the police.", theme=torture),
        "guatemala": make_item("Guatemala should end torture in prisons.", recipients=["GT"], theme=torture),
        "disappearances": make_item("Search for all disappeared persons.", theme=themes["disappearances"]),
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def held_by(*agencies) -> set[tuple[int, str]]:
    return set(Assignment.objects.filter(organization__in=agencies).values_list("recommendation_id", "role"))


# Assigning one item


def test_a_coordinator_assigns_an_item_to_two_agencies_from_its_page(coordinator_client, item, agencies, personas):
    interior, foreign = agencies
    response = coordinator_client.post(f"/recommendations/{item.pk}/assign/", {
        "agencies": [interior.pk, foreign.pk], "role": "lead", "note": "Report on the protection mechanism."})
    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/{item.pk}/"
    assignments = Assignment.objects.filter(recommendation=item).order_by("organization__name")
    assert [(a.organization, a.role, a.note, a.assigned_by) for a in assignments] == [
        (foreign, "lead", "Report on the protection mechanism.", personas["coordinator"]),
        (interior, "lead", "Report on the protection mechanism.", personas["coordinator"]),
    ]
    page = coordinator_client.get(response["Location"])
    assert messages_of(page) == [
        "1 item to Ministry of the Interior, Ministry of Foreign Affairs: 2 new assignments, 0 already there, "
        "0 changed role."]
    html = page.content.decode()
    assert f'href="/agencies/{interior.pk}/"' in html
    assert f'href="/assignments/{assignments[0].pk}/"' in html


def test_the_twin_answers_created_then_already_then_changed(coordinator_client, item, agencies):
    url = f"/recommendations/{item.pk}/assign.json"
    first = coordinator_client.post(url, {"agencies": [a.pk for a in agencies], "role": "lead"})
    assert first.status_code == 201
    data = first.json()
    assert (data["created"], data["already"], data["changed"]) == (2, 0, 0)
    assert {a["agency"]["name"] for a in data["assignments"]} == {"Ministry of the Interior",
                                                                  "Ministry of Foreign Affairs"}
    again = coordinator_client.post(url, {"agencies": [a.pk for a in agencies], "role": "lead"})
    assert again.status_code == 200
    assert again.json()["already"] == 2
    support = coordinator_client.post(url, {"agencies": [agencies[1].pk], "role": "support"})
    assert support.json()["changed"] == 1
    assert Assignment.objects.get(organization=agencies[1]).role == "support"


def test_the_twin_takes_a_json_body(coordinator_client, item, agencies):
    response = coordinator_client.post(f"/recommendations/{item.pk}/assign.json", json.dumps(
        {"agencies": [agencies[0].pk], "role": "support", "note": "Help the lead."}), content_type="application/json")
    assert response.status_code == 201
    assert Assignment.objects.get(recommendation=item).note == "Help the lead."


def test_the_role_is_lead_when_none_is_given(coordinator_client, item, agencies):
    coordinator_client.post(f"/recommendations/{item.pk}/assign.json", {"agencies": [agencies[0].pk]})
    assert Assignment.objects.get(recommendation=item).role == "lead"


@pytest.mark.parametrize("persona", ["focal_point", "other_focal_point", "validator", "contributor"])
def test_only_coordinators_assign(client, client_for, personas, item, agencies, persona):
    if persona in personas:
        client.force_login(personas[persona])
    else:
        client = client_for(persona)
    data = {"agencies": [agencies[0].pk], "role": "lead"}
    assert client.post(f"/recommendations/{item.pk}/assign/", data).status_code == 403
    response = client.post(f"/recommendations/{item.pk}/assign.json", data)
    assert response.status_code == 403
    assert "error" in response.json()
    assert not Assignment.objects.exists()


def test_anonymous_visitors_sign_in_first(client, item, agencies):
    response = client.post(f"/recommendations/{item.pk}/assign/", {"agencies": [agencies[0].pk]})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(f"/recommendations/{item.pk}/assign.json", {"agencies": [agencies[0].pk]}).status_code == 401
    assert not Assignment.objects.exists()


def test_an_assignment_without_an_agency_is_refused_with_the_reason(coordinator_client, item):
    response = coordinator_client.post(f"/recommendations/{item.pk}/assign/", {"role": "lead"}, follow=True)
    assert messages_of(response) == ["Nothing was assigned. Choose at least one agency."]
    twin = coordinator_client.post(f"/recommendations/{item.pk}/assign.json", {"role": "lead"})
    assert twin.status_code == 400
    assert twin.json()["fields"] == {"agencies": ["Choose at least one agency."]}
    assert not Assignment.objects.exists()


def test_only_our_states_agencies_take_items(coordinator_client, item, agencies):
    us = Country.objects.get(code="US")
    state_department = Organization.objects.create(name="U.S. Department of State", country=us, level="national")
    ngo = Organization.objects.create(name="Centro Prodh", country=agencies[0].country, level="nongovernmental")
    for organization in (state_department, ngo):
        response = coordinator_client.post(f"/recommendations/{item.pk}/assign.json",
                                           {"agencies": [agencies[0].pk, organization.pk]})
        assert response.status_code == 400
        assert response.json()["fields"]["agencies"] == [f"Not one of our state's agencies: {organization.pk}."]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("data", [
    {"agencies": ["1", "x"]},
    {"agencies": ["99999999999999999999"]},
    {"agencies": ["{interior}"], "role": "boss"},
    {"agencies": ["{interior}"], "note": "x" * 2001},
])
def test_bad_input_is_a_400_and_changes_nothing(coordinator_client, item, agencies, data):
    data = {key: [v.format(interior=agencies[0].pk) for v in value] if isinstance(value, list) else value
            for key, value in data.items()}
    response = coordinator_client.post(f"/recommendations/{item.pk}/assign.json", data)
    assert response.status_code == 400
    assert response.json()["error"] == "Nothing was assigned."
    assert not Assignment.objects.exists()


def test_an_unknown_item_is_a_404_and_a_get_is_refused(coordinator_client, agencies, item):
    assert coordinator_client.post("/recommendations/31337/assign/", {"agencies": [agencies[0].pk]}).status_code == 404
    response = coordinator_client.post("/recommendations/31337/assign.json", {"agencies": [agencies[0].pk]})
    assert response.status_code == 404
    assert response.json() == {"error": "There is no recommendation with the id 31337."}
    assert coordinator_client.get(f"/recommendations/{item.pk}/assign/").status_code == 405
    assert coordinator_client.get(f"/recommendations/{item.pk}/assign.json").status_code == 405


def test_it_goes_back_to_the_page_it_came_from_on_this_site_only(coordinator_client, item, agencies, dialogue):
    url = f"/recommendations/{item.pk}/assign/"
    data = {"agencies": [agencies[0].pk], "next": f"/dialogues/{dialogue.pk}/"}
    assert coordinator_client.post(url, data)["Location"] == f"/dialogues/{dialogue.pk}/"
    data = {"agencies": [agencies[1].pk], "next": "https://elsewhere.example/"}
    assert coordinator_client.post(url, data)["Location"] == f"/recommendations/{item.pk}/"


# Assigning in bulk


def test_bulk_assigns_every_item_the_filters_select_not_only_the_page(coordinator_client, torture_items, agencies,
                                                                      settings):
    settings.PAGE_SIZE = 2
    interior, foreign = agencies
    list_page = coordinator_client.get("/recommendations/?theme=torture&recipient=MX")
    assert len(list_page.context["page_obj"]) == 2
    assert list_page.context["bulk"]["count"] == 3
    response = coordinator_client.post("/assignments/bulk/", {
        "theme": "torture", "recipient": "MX", "agencies": [interior.pk, foreign.pk], "role": "lead"})
    assert response.status_code == 302
    assert response["Location"] == "/recommendations/?recipient=MX&theme=torture"
    expected = {(torture_items[name].pk, "lead") for name in ("law", "mechanism", "investigate")}
    assert held_by(interior) == expected
    assert held_by(foreign) == expected
    back = coordinator_client.get(response["Location"])
    assert messages_of(back) == ["3 items to Ministry of the Interior, Ministry of Foreign Affairs: 6 new "
                                 "assignments, 0 already there, 0 changed role."]


def test_the_bulk_twin_answers_its_counts(coordinator_client, torture_items, agencies):
    interior, foreign = agencies
    coordinator_client.post(f"/recommendations/{torture_items['law'].pk}/assign.json", {"agencies": [interior.pk]})
    response = coordinator_client.post("/assignments/bulk.json", {
        "theme": "torture", "recipient": "MX", "agencies": [interior.pk, foreign.pk], "role": "support"})
    assert response.status_code == 201
    data = response.json()
    assert (data["items"], data["created"], data["already"], data["changed"]) == (3, 5, 0, 1)
    assert data["role"] == "support"
    assert [a["name"] for a in data["agencies"]] == ["Ministry of the Interior", "Ministry of Foreign Affairs"]
    again = coordinator_client.post("/assignments/bulk.json", {"theme": "torture", "recipient": "MX",
                                                               "agencies": [foreign.pk], "role": "support"})
    assert again.status_code == 200
    assert again.json()["already"] == 3


def test_bulk_takes_the_lists_words_too(coordinator_client, torture_items, agencies):
    response = coordinator_client.post("/assignments/bulk.json", {"q": "prevention", "agencies": [agencies[0].pk]})
    assert response.json()["items"] == 1
    assert held_by(agencies[0]) == {(torture_items["mechanism"].pk, "lead")}


def test_bulk_without_any_filter_assigns_nothing_unless_confirmed(coordinator_client, torture_items, agencies):
    refused = coordinator_client.post("/assignments/bulk.json", {"agencies": [agencies[0].pk]})
    assert refused.status_code == 400
    assert "confirm_all" in refused.json()["fields"]
    page = coordinator_client.post("/assignments/bulk/", {"agencies": [agencies[0].pk]}, follow=True)
    assert messages_of(page)[0].startswith("Nothing was assigned. No filter is given: this would assign every item.")
    # The scope alone says where to look, not what to take.
    assert coordinator_client.post("/assignments/bulk.json", {"scope": "world",
                                                              "agencies": [agencies[0].pk]}).status_code == 400
    assert not Assignment.objects.exists()

    confirmed = coordinator_client.post("/assignments/bulk.json", {"agencies": [agencies[0].pk], "confirm_all": "on"})
    assert confirmed.status_code == 201
    # Every item of our state (the list's default scope), not Guatemala's.
    assert confirmed.json()["items"] == 4
    assert not Assignment.objects.filter(recommendation=torture_items["guatemala"]).exists()


@pytest.mark.parametrize("bad", [{"session": "five"}, {"theme": "no-such-theme"}, {"date_from": "yesterday"},
                                 {"session": "99999999999999999999"}])
def test_a_filter_that_cannot_be_applied_assigns_nothing(coordinator_client, torture_items, agencies, bad):
    # A list page ignores such a filter; assigning with it ignored would take more than was chosen.
    response = coordinator_client.post("/assignments/bulk.json", {"recipient": "MX", **bad,
                                                                  "agencies": [agencies[0].pk]})
    assert response.status_code == 400
    assert list(bad) == [name for name in response.json()["fields"] if name in bad]
    assert not Assignment.objects.exists()


def test_bulk_refuses_more_items_than_it_takes_at_once(coordinator_client, torture_items, agencies, monkeypatch):
    monkeypatch.setattr(assign_views, "BULK_LIMIT", 2)
    response = coordinator_client.post("/assignments/bulk.json", {"theme": "torture", "agencies": [agencies[0].pk]})
    assert response.status_code == 400
    assert response.json()["fields"]["__all__"] == [
        "These filters select more than 2 items: narrow them to assign at most 2 at once."]
    assert not Assignment.objects.exists()


def test_bulk_that_matches_nothing_says_so(coordinator_client, torture_items, agencies):
    response = coordinator_client.post("/assignments/bulk/", {"q": "nothing like this", "agencies": [agencies[0].pk]},
                                       follow=True)
    assert messages_of(response) == ["No item matches these filters: nothing was assigned."]


@pytest.mark.parametrize("persona", ["focal_point", "validator", "other_validator"])
def test_only_coordinators_assign_in_bulk(client, personas, torture_items, agencies, persona):
    client.force_login(personas[persona])
    data = {"theme": "torture", "agencies": [agencies[0].pk]}
    assert client.post("/assignments/bulk/", data).status_code == 403
    assert client.post("/assignments/bulk.json", data).status_code == 403
    assert client.get("/recommendations/?theme=torture").context["bulk"] is None
    assert not Assignment.objects.exists()


def test_bulk_refuses_contributors_and_anonymous_visitors(client, contributor_client, torture_items, agencies):
    data = {"theme": "torture", "agencies": [agencies[0].pk]}
    assert contributor_client.post("/assignments/bulk.json", data).status_code == 403
    contributor_client.logout()
    assert client.post("/assignments/bulk.json", data).status_code == 401
    assert client.post("/assignments/bulk/", data)["Location"].startswith("/accounts/login/")
    assert not Assignment.objects.exists()


# The list's bulk form


def test_the_list_offers_coordinators_to_assign_all_its_items(coordinator_client, torture_items, agencies, settings):
    settings.PAGE_SIZE = 1
    response = coordinator_client.get("/recommendations/?theme=torture&recipient=MX&session=abc&repeats=together")
    page = unescape(response.content.decode())
    assert "Assign the 3 items of this list to" in page
    form = page.split('id="bulk-assign"')[1].split("</form>")[0]
    assert '<input type="hidden" name="theme" value="torture">' in form
    assert '<input type="hidden" name="recipient" value="MX">' in form
    assert '<input type="hidden" name="repeats" value="together">' in form
    # The list ignored the session it cannot read: the form does not carry it.
    assert 'name="session"' not in form
    assert 'name="confirm_all"' not in form
    assert f'value="{agencies[0].pk}"> Ministry of the Interior' in form


def test_the_list_without_filters_asks_to_confirm_every_item(coordinator_client, torture_items, agencies):
    page = unescape(coordinator_client.get("/recommendations/").content.decode())
    assert "No filter is chosen: yes, assign all 4 items there are" in page


def test_the_list_with_its_bulk_form_takes_a_bounded_number_of_queries(coordinator_client, torture_items, agencies,
                                                                       django_assert_max_num_queries):
    mexico = agencies[0].country
    for number in range(20):
        Organization.objects.create(name=f"Agency {number}", country=mexico, level="national")
        make_item(f"Item number {number} on torture.")
    with django_assert_max_num_queries(20):
        response = coordinator_client.get("/recommendations/?q=torture")
    assert response.context["bulk"]["count"] == 23
    assert len(response.context["bulk"]["agencies"]) == 22


# From the search


def test_the_search_leads_coordinators_to_assign_its_results(coordinator_client, personas, torture_items, agencies,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_item("One more recommendation against torture.")
    response = coordinator_client.get("/search/?q=torture&recipient=MX&kind=recommendation,dialogue&mode=text")
    url = unescape(response.context["assign_url"])
    assert url == "/recommendations/?kind=recommendation&recipient=MX&q=torture#bulk-assign-heading"
    assert "Assign these results to agencies" in response.content.decode()
    listed = coordinator_client.get(url.split("#")[0])
    assert listed.context["bulk"]["count"] == 4
    coordinator_client.force_login(personas["focal_point"])
    assert "assign_url" not in coordinator_client.get("/search/?q=torture&mode=text").context


def test_the_search_keeps_the_filters_the_list_reads():
    from django.http import QueryDict

    from hrtrack.search.views import list_query

    params = QueryDict("q=law&theme=torture&session=31&date_from=2015-01-01&sort=date&mode=text&limit=20&offset=40"
                       "&kind=dialogue")
    assert list_query(params) == "session=31&theme=torture&date_from=2015-01-01&q=law"


# Deadlines


def test_a_coordinator_sets_a_deadline_on_an_item(coordinator_client, item):
    response = coordinator_client.post(f"/recommendations/{item.pk}/deadlines/", {
        "title": "Mid-term report", "due_on": "2030-01-15", "kind": "report"})
    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/{item.pk}/#deadlines"
    deadline = Deadline.objects.get(recommendation=item)
    assert (deadline.title, deadline.due_on, deadline.kind, deadline.assignment) == (
        "Mid-term report", datetime.date(2030, 1, 15), "report", None)
    page = coordinator_client.get(f"/recommendations/{item.pk}/")
    assert messages_of(page) == ["Deadline set: Mid-term report, due on 2030-01-15."]
    assert "Mid-term report" in page.content.decode()


def test_a_deadline_for_one_agency_and_its_computed_state(coordinator_client, item, agencies):
    coordinator_client.post(f"/recommendations/{item.pk}/assign.json", {"agencies": [agencies[0].pk]})
    assignment = Assignment.objects.get()
    response = coordinator_client.post(f"/recommendations/{item.pk}/deadlines.json", {
        "title": "Law passed", "due_on": "2020-01-01", "kind": "implementation", "assignment": assignment.pk,
        "remind_days_before": 30})
    assert response.status_code == 201
    data = response.json()
    assert (data["assignment"], data["item"], data["kind"], data["met"], data["overdue"]) == (
        assignment.pk, item.pk, "implementation", False, True)
    assert Deadline.objects.get().remind_days_before == 30


@pytest.mark.parametrize("data, field", [
    ({"due_on": "2030-01-01"}, "title"),
    ({"title": "Report", "due_on": "next year"}, "due_on"),
    ({"title": "Report", "due_on": "2030-01-01", "kind": "forever"}, "kind"),
    ({"title": "Report", "due_on": "2030-01-01", "remind_days_before": "-3"}, "remind_days_before"),
    ({"title": "Report", "due_on": "2030-01-01", "assignment": "99999999999999999999"}, "assignment"),
])
def test_a_bad_deadline_is_refused_and_nothing_is_set(coordinator_client, item, data, field):
    response = coordinator_client.post(f"/recommendations/{item.pk}/deadlines.json", data)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    page = coordinator_client.post(f"/recommendations/{item.pk}/deadlines/", data, follow=True)
    assert messages_of(page)[0].startswith("No deadline was set.")
    assert not Deadline.objects.exists()


def test_a_deadline_cannot_name_another_items_assignment(coordinator_client, item, agencies):
    other = make_item("Another item.")
    coordinator_client.post(f"/recommendations/{other.pk}/assign.json", {"agencies": [agencies[0].pk]})
    response = coordinator_client.post(f"/recommendations/{item.pk}/deadlines.json", {
        "title": "Report", "due_on": "2030-01-01", "assignment": Assignment.objects.get().pk})
    assert response.status_code == 400
    assert response.json()["fields"]["assignment"] == [f"This item has no assignment {Assignment.objects.get().pk}."]
    assert not Deadline.objects.exists()


@pytest.mark.parametrize("persona", ["focal_point", "validator"])
def test_only_coordinators_set_deadlines(client, personas, item, persona):
    client.force_login(personas[persona])
    data = {"title": "Report", "due_on": "2030-01-01"}
    assert client.post(f"/recommendations/{item.pk}/deadlines/", data).status_code == 403
    assert client.post(f"/recommendations/{item.pk}/deadlines.json", data).status_code == 403
    assert not Deadline.objects.exists()

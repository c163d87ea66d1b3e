"""Our state's agencies and their people: the list and each agency's page (staff read them), and
adding and removing focal points and validators (coordinators only). Pages and JSON twins."""

import datetime

import pytest
from django.utils import timezone

from hrtrack.accounts.models import Membership, Role, User
from hrtrack.directory.models import Country, Organization
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import Recommendation


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


@pytest.fixture
def others(db):
    """Organizations that are not our state's agencies: another state's ministry, a Mexican NGO."""
    return {
        "state_department": Organization.objects.create(name="U.S. Department of State",
                                                        country=Country.objects.get(code="US"), level="national"),
        "ngo": Organization.objects.create(name="Centro Prodh", country=Country.objects.get(code="MX"),
                                           level="nongovernmental"),
    }


def assign(item_text, agency, role="lead", status=None):
    """An item assigned to ``agency``; with ``status``, a validated report saying it."""
    item = Recommendation.objects.create(text=item_text)
    assignment = Assignment.objects.create(recommendation=item, organization=agency, role=role)
    if status:
        ProgressReport.objects.create(assignment=assignment, status=status, state="validated",
                                      validated_at=timezone.now())
    return assignment


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def memberships() -> set[tuple[str, str, str]]:
    return set(Membership.objects.values_list("user__username", "organization__name", "role"))


# The list


def test_the_list_shows_our_agencies_with_their_people_and_counts(coordinator_client, agencies, personas, others):
    interior, foreign = agencies
    assign("Protect journalists.", interior)
    assign("Search for the disappeared.", interior, role="support")
    assign("Ratify the convention.", foreign)
    response = coordinator_client.get("/agencies/")
    assert response.status_code == 200
    assert [agency.name for agency in response.context["page_obj"]] == ["Ministry of Foreign Affairs",
                                                                         "Ministry of the Interior"]
    page = response.content.decode()
    row = page.split(f'href="/agencies/{interior.pk}/"')[1].split("</tr>")[0]
    assert "felipe" in row and "valeria" in row and "gabriela" not in row
    assert '<td class="number">2</td>' in row and '<td class="number">1</td>' in row
    assert "Department of State" not in page and "Centro Prodh" not in page


def test_the_list_has_a_json_twin(coordinator_client, agencies, personas):
    assign("Protect journalists.", agencies[0])
    data = coordinator_client.get("/agencies.json").json()
    assert data["count"] == 2
    interior = next(a for a in data["results"] if a["id"] == agencies[0].pk)
    assert interior["url"] == f"http://testserver/agencies/{agencies[0].pk}/"
    assert [p["username"] for p in interior["focal_points"]] == ["felipe"]
    assert [p["username"] for p in interior["validators"]] == ["valeria"]
    assert interior["assignments"] == {"total": 1, "lead": 1, "support": 0}


@pytest.mark.parametrize("persona", ["focal_point", "validator", "other_focal_point"])
def test_agency_members_read_the_agencies_but_see_no_forms(client, personas, agencies, persona):
    client.force_login(personas[persona])
    assert client.get("/agencies/").status_code == 200
    response = client.get(f"/agencies/{agencies[0].pk}/")
    assert response.status_code == 200
    assert "felipe" in response.content.decode()
    assert 'action="/agencies/' not in response.content.decode()
    assert client.get(f"/agencies/{agencies[0].pk}.json").status_code == 200


def test_contributors_and_anonymous_visitors_do_not_see_the_agencies_list(client, contributor_client, agencies):
    assert contributor_client.get("/agencies/").status_code == 403
    assert contributor_client.get("/agencies.json").status_code == 403
    contributor_client.logout()
    assert client.get("/agencies/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_the_public_sees_an_agencys_published_items_and_public_reports_never_its_people(
        client, contributor_client, agencies, personas, who):
    from hrtrack.followup import publication

    if who == "anonymous":
        contributor_client.logout()
    interior = agencies[0]
    published = assign("Ratify the convention on enforced disappearance", interior, status="implemented")
    assign("Create a national search commission", interior, status="in-progress")  # validated, item unpublished
    hidden_report = assign("Train prosecutors on torture cases", interior, status="partially-implemented")
    publication.publish([published.recommendation, hidden_report.recommendation], personas["coordinator"])
    publication.publish(list(published.reports.all()), personas["coordinator"])  # hidden_report's stays unpublished

    page = client.get(f"/agencies/{interior.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and interior.label in text
    assert "Ratify the convention on enforced disappearance" in text and "Train prosecutors" in text
    assert "national search commission" not in text
    assert "felipe" not in text and "valeria" not in text  # its people are for the staff
    data = client.get(f"/agencies/{interior.pk}.json").json()
    assert data["items"]["count"] == 2
    assert {row["status"] for row in data["items"]["results"]} == {"implemented", None}
    assert {row["status"]: row["items"] for row in data["by_status"]} == {"implemented": 1, None: 1}
    assert [r["status"] for r in data["reports"]] == ["implemented"]
    assert "members" not in str(data) and "felipe" not in str(data)
    assert client.get("/agencies/999999.json").status_code == 404
    assert client.get("/agencies/999999/").status_code == 404


def test_with_no_state_set_the_list_says_so(coordinator_client, agencies, settings):
    settings.HRTRACK_STATE = ""
    response = coordinator_client.get("/agencies/")
    assert "Our state is not set yet" in response.content.decode()
    assert coordinator_client.get("/agencies.json").json()["count"] == 0


def test_the_list_takes_a_bounded_number_of_queries(coordinator_client, agencies, personas,
                                                    django_assert_max_num_queries):
    mexico = agencies[0].country
    for number in range(15):
        agency = Organization.objects.create(name=f"Agency {number}", country=mexico, level="national")
        assign(f"Item {number}.", agency)
        person = User.objects.create(username=f"person{number}", role=Role.FOCAL_POINT)
        Membership.objects.create(user=person, organization=agency, role=Role.FOCAL_POINT)
    # session, user, our state (its setting and its country), count, page, people
    with django_assert_max_num_queries(7):
        response = coordinator_client.get("/agencies/")
    assert response.context["page_obj"].paginator.count == 17


# An agency's page


def test_an_agencys_page_shows_its_people_and_assignments_with_their_status(coordinator_client, agencies, personas,
                                                                           settings):
    settings.PAGE_SIZE = 1
    interior = agencies[0]
    first = assign("Protect journalists.", interior, status="in-progress")
    later = assign("Search for the disappeared.", interior)
    Assignment.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    response = coordinator_client.get(f"/agencies/{interior.pk}/")
    page = response.content.decode()
    assert "Focal points" in page and "felipe" in page and "valeria" in page
    assert "2 items assigned" in page
    assert [a.pk for a in response.context["page_obj"]] == [later.pk]
    assert "No validated report yet" in page
    second = coordinator_client.get(f"/agencies/{interior.pk}/?page=2").content.decode()
    assert "Protect journalists." in second and "In progress" in second
    assert f'href="/assignments/{first.pk}/"' in second


def test_an_agencys_twin_has_its_people_and_a_page_of_assignments(coordinator_client, agencies, personas):
    interior = agencies[0]
    assignment = assign("Protect journalists.", interior, status="implemented")
    data = coordinator_client.get(f"/agencies/{interior.pk}.json").json()
    assert data["agency"]["name"] == "Ministry of the Interior"
    assert [p["username"] for p in data["agency"]["focal_points"]] == ["felipe"]
    assert data["assignments"]["count"] == 1
    [result] = data["assignments"]["results"]
    assert (result["id"], result["latest_status"], result["item_text"]) == (
        assignment.pk, "implemented", "Protect journalists.")


def test_an_organization_that_is_not_an_agency_has_no_page(coordinator_client, agencies, others):
    for organization in others.values():
        assert coordinator_client.get(f"/agencies/{organization.pk}/").status_code == 404
        assert coordinator_client.get(f"/agencies/{organization.pk}.json").status_code == 404
    response = coordinator_client.get("/agencies/31337.json")
    assert response.json() == {"error": "There is no agency with the id 31337."}


def test_an_agency_of_a_former_state_keeps_its_page_but_takes_no_one(coordinator_client, agencies, personas, others,
                                                                    settings):
    assign("Protect journalists.", agencies[0])
    settings.HRTRACK_STATE = "GT"
    response = coordinator_client.get(f"/agencies/{agencies[0].pk}/")
    assert response.status_code == 200
    assert "not one of our state's agencies" in response.content.decode()
    refused = coordinator_client.post(f"/agencies/{agencies[0].pk}/members.json",
                                      {"username": "gabriela", "role": "validator"})
    assert refused.status_code == 400
    assert ("gabriela", "Ministry of the Interior", "validator") not in memberships()


# Adding and removing people


def test_a_coordinator_adds_a_validator_to_an_agency(coordinator_client, agencies, personas):
    interior = agencies[0]
    response = coordinator_client.post(f"/agencies/{interior.pk}/members/", {"username": "gabriela",
                                                                            "role": "validator"})
    assert response.status_code == 302
    assert response["Location"] == f"/agencies/{interior.pk}/"
    membership = Membership.objects.get(user=personas["other_focal_point"], organization=interior)
    assert (membership.role, membership.added_by) == ("validator", personas["coordinator"])
    assert membership.history.first().history_user == personas["coordinator"]
    page = coordinator_client.get(response["Location"])
    assert messages_of(page) == ["gabriela is now agency validator of Ministry of the Interior."]
    # She now validates the Interior's reports (and still reports for Foreign Affairs).
    gabriela = User.objects.get(username="gabriela")
    assert gabriela.validates_for(interior.pk) and gabriela.reports_for(agencies[1].pk)


def test_the_twin_adds_and_removes_a_member(coordinator_client, agencies, personas):
    interior = agencies[0]
    response = coordinator_client.post(f"/agencies/{interior.pk}/members.json", {"username": "victor",
                                                                                "role": "focal-point"})
    assert response.status_code == 201
    added = response.json()
    assert (added["username"], added["role"]) == ("victor", "focal-point")
    removed = coordinator_client.post(f"/agencies/{interior.pk}/members/{added['id']}/remove.json")
    assert removed.status_code == 200
    assert removed.json()["removed"]["id"] == added["id"]
    assert not Membership.objects.filter(pk=added["id"]).exists()


def test_a_coordinator_removes_a_focal_point(coordinator_client, agencies, personas):
    interior = agencies[0]
    membership = Membership.objects.get(user=personas["focal_point"])
    page = coordinator_client.get(f"/agencies/{interior.pk}/").content.decode()
    assert f'action="/agencies/{interior.pk}/members/{membership.pk}/remove/"' in page
    assert "Remove felipe" in page
    response = coordinator_client.post(f"/agencies/{interior.pk}/members/{membership.pk}/remove/", follow=True)
    assert messages_of(response) == ["felipe is no longer agency focal point of Ministry of the Interior."]
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "No focal point yet" in response.content.decode()


@pytest.mark.parametrize("data, field, message", [
    ({"username": "nobody", "role": "validator"}, "username", "Nobody signs in as “nobody”."),
    ({"username": "cecilia", "role": "validator"}, "username",
     "cecilia is a civil-society contributor and cannot act for an agency."),
    ({"username": "felipe", "role": "focal-point"}, "username", "felipe is already agency focal point of this agency."),
    ({"username": "felipe", "role": "coordinator"}, "role", None),
    ({"role": "validator"}, "username", "This field is required."),
])
def test_a_member_that_cannot_be_added_is_refused_with_the_reason(coordinator_client, agencies, personas, data,
                                                                  field, message):
    User.objects.create(username="cecilia", role=Role.CONTRIBUTOR)
    before = memberships()
    response = coordinator_client.post(f"/agencies/{agencies[0].pk}/members.json", data)
    assert response.status_code == 400
    assert response.json()["error"] == "Nobody was added."
    if message:
        assert response.json()["fields"][field] == [message]
    else:
        assert field in response.json()["fields"]
    page = coordinator_client.post(f"/agencies/{agencies[0].pk}/members/", data, follow=True)
    assert messages_of(page)[0].startswith("Nobody was added.")
    assert memberships() == before


def test_someone_who_can_no_longer_sign_in_is_not_added(coordinator_client, agencies, personas):
    User.objects.create(username="retired", role=Role.FOCAL_POINT, is_active=False)
    response = coordinator_client.post(f"/agencies/{agencies[0].pk}/members.json", {"username": "retired",
                                                                                   "role": "focal-point"})
    assert response.json()["fields"]["username"] == ["retired can no longer sign in."]
    assert not Membership.objects.filter(user__username="retired").exists()


def test_another_agencys_member_is_not_removed_through_this_one(coordinator_client, agencies, personas):
    gabriela = Membership.objects.get(user=personas["other_focal_point"])
    response = coordinator_client.post(f"/agencies/{agencies[0].pk}/members/{gabriela.pk}/remove.json")
    assert response.status_code == 404
    assert coordinator_client.post(f"/agencies/{agencies[0].pk}/members/{gabriela.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=gabriela.pk).exists()


@pytest.mark.parametrize("persona", ["focal_point", "validator", "other_validator"])
def test_only_coordinators_change_an_agencys_people(client, personas, agencies, persona):
    client.force_login(personas[persona])
    interior = agencies[0]
    before = memberships()
    felipe = Membership.objects.get(user=personas["focal_point"])
    add = {"username": personas[persona].username, "role": "validator"}
    assert client.post(f"/agencies/{interior.pk}/members/", add).status_code == 403
    assert client.post(f"/agencies/{interior.pk}/members.json", add).status_code == 403
    assert client.post(f"/agencies/{interior.pk}/members/{felipe.pk}/remove/").status_code == 403
    assert client.post(f"/agencies/{interior.pk}/members/{felipe.pk}/remove.json").status_code == 403
    assert memberships() == before


def test_membership_changes_are_posted(coordinator_client, agencies, personas):
    felipe = Membership.objects.get(user=personas["focal_point"])
    assert coordinator_client.get(f"/agencies/{agencies[0].pk}/members/").status_code == 405
    assert coordinator_client.get(f"/agencies/{agencies[0].pk}/members/{felipe.pk}/remove.json").status_code == 405
    assert Membership.objects.filter(pk=felipe.pk).exists()


def test_the_admin_adds_members_too(admin_client, agencies, personas):
    response = admin_client.post(f"/agencies/{agencies[1].pk}/members.json", {"username": "valeria",
                                                                              "role": "validator"})
    assert response.status_code == 201

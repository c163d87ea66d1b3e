"""My work (/my-work/ and its JSON twin): what needs each person now, by what they are."""

import datetime

import pytest
from django.utils import timezone, translation

from hrtrack.directory.models import Country, PlatformSettings
from hrtrack.followup.models import Assignment, Deadline, ProgressReport, ReportingCycle
from hrtrack.recommendations.models import Recommendation

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def item_for_mexico(text: str) -> Recommendation:
    item = Recommendation.objects.create(text=text)
    item.recipients.set([Country.objects.get(code="MX")])
    return item


@pytest.fixture
def work(agencies, personas):
    """Mexico's items: one assigned to the Interior with an overdue deadline and a returned report,
    one to the Interior due in a month with a draft and one submitted, one to Foreign Affairs with
    a draft, one assigned to nobody."""
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))
    interior, foreign = agencies
    late = Assignment.objects.create(recommendation=item_for_mexico("Investigate every allegation of torture."),
                                     organization=interior)
    soon = Assignment.objects.create(recommendation=item_for_mexico("Protect journalists and defenders."),
                                     organization=interior)
    theirs = Assignment.objects.create(recommendation=item_for_mexico("Ratify the Optional Protocol."),
                                       organization=foreign)
    item_for_mexico("Adopt a general law on disappearances.")
    overdue = Deadline.objects.create(title="Mid-term report", due_on=TODAY - 10 * DAY, assignment=late)
    Deadline.objects.create(title="Next report", due_on=TODAY + 30 * DAY, assignment=soon)
    returned = ProgressReport.objects.create(
        assignment=late, state=ProgressReport.State.RETURNED, narrative="We trained prosecutors.",
        return_reason="Say how many prosecutors, and attach the course list.", returned_by=personas["validator"],
        returned_at=timezone.now())
    draft = ProgressReport.objects.create(assignment=soon, narrative="Started.")
    submitted = ProgressReport.objects.create(assignment=soon, state=ProgressReport.State.SUBMITTED,
                                              submitted_by=personas["focal_point"], submitted_at=timezone.now())
    their_draft = ProgressReport.objects.create(assignment=theirs, narrative="Foreign Affairs' own draft.")
    return {"late": late, "soon": soon, "theirs": theirs, "overdue": overdue, "returned": returned, "draft": draft,
            "submitted": submitted, "their_draft": their_draft}


def test_a_focal_point_sees_their_agencies_assignments_soonest_due_first(focal_point_client, work):
    response = focal_point_client.get("/my-work/")
    assert response.status_code == 200
    assignments = list(response.context["assignments"])
    assert assignments == [work["late"], work["soon"]]
    assert assignments[0].overdue and not assignments[1].overdue
    page = response.content.decode()
    assert "Investigate every allegation of torture." in page
    assert "Ratify the Optional Protocol." not in page
    assert "Overdue" in page
    assert f'/assignments/{work["late"].pk}/reports/new/' in page


def test_a_focal_point_sees_their_drafts_and_returned_reports_with_the_reason(focal_point_client, work):
    response = focal_point_client.get("/my-work/")
    assert list(response.context["drafts"]) == [work["returned"], work["draft"]]
    page = response.content.decode()
    assert "Say how many prosecutors, and attach the course list." in page
    assert f'/reports/{work["their_draft"].pk}/' not in page
    assert f'/reports/{work["draft"].pk}/' in page
    assert "to_validate" not in response.context
    assert "overdue" not in response.context


def test_an_assignment_with_a_report_under_way_links_to_it_beside_writing_another(focal_point_client, work):
    """Beside "Write a report", the returned report to correct (before a draft), or the draft to go on
    with: a focal point does not start a second report by mistake."""
    response = focal_point_client.get("/my-work/")
    late, soon = list(response.context["assignments"])
    assert (late.open_report, late.open_report_state) == (work["returned"].pk, "returned")
    assert (soon.open_report, soon.open_report_state) == (work["draft"].pk, "draft")
    page = response.content.decode()
    assert f'<a href="/reports/{work["returned"].pk}/edit/">Correct the report</a>' in page
    assert f'<a href="/reports/{work["draft"].pk}/edit/">Edit the report</a>' in page
    assert f'/assignments/{work["soon"].pk}/reports/new/' in page
    results = focal_point_client.get("/my-work.json").json()["assignments"]["results"]
    assert [r["open_report"] for r in results] == [f'http://testserver/reports/{work["returned"].pk}/',
                                                   f'http://testserver/reports/{work["draft"].pk}/']
    work["draft"].state = ProgressReport.State.SUBMITTED
    work["draft"].save()
    soon = list(focal_point_client.get("/my-work/").context["assignments"])[1]
    assert soon.open_report is None


def test_a_focal_points_json_twin_says_the_same(focal_point_client, work):
    data = focal_point_client.get("/my-work.json").json()
    assert data["roles"] == ["focal_point"]
    assert [a["id"] for a in data["assignments"]["results"]] == [work["late"].pk, work["soon"].pk]
    first = data["assignments"]["results"][0]
    assert first["next_due"] == (TODAY - 10 * DAY).isoformat() and first["overdue"] is True
    assert first["next_due_title"] == "Mid-term report"
    assert first["report_new"].endswith(f'/assignments/{work["late"].pk}/reports/new/')
    assert first["item"] == work["late"].recommendation_id
    assert first["item_text"] == "Investigate every allegation of torture."
    assert first["agency"]["name"] == "Ministry of the Interior"
    assert [r["id"] for r in data["drafts"]["results"]] == [work["returned"].pk, work["draft"].pk]
    assert data["drafts"]["results"][0]["return_reason"] == "Say how many prosecutors, and attach the course list."
    assert data["drafts"]["results"][0]["returned_by"]["username"] == "valeria"
    assert data["to_validate"] is None and data["coordinator"] is None


def test_a_met_deadline_is_no_longer_the_next_one(focal_point_client, work):
    work["submitted"].deadline = Deadline.objects.get(assignment=work["soon"])
    work["submitted"].save()
    data = focal_point_client.get("/my-work.json").json()
    soon = next(a for a in data["assignments"]["results"] if a["id"] == work["soon"].pk)
    assert soon["next_due"] is None and soon["overdue"] is False


def test_a_validator_sees_the_reports_waiting_for_them_with_who_submitted_them(validator_client, work):
    response = validator_client.get("/my-work/")
    assert list(response.context["to_validate"]) == [work["submitted"]]
    assert "by felipe" in response.content.decode()
    data = validator_client.get("/my-work.json").json()
    assert data["roles"] == ["validator"]
    assert [r["id"] for r in data["to_validate"]["results"]] == [work["submitted"].pk]
    assert data["to_validate"]["results"][0]["submitted_by"]["username"] == "felipe"
    assert data["assignments"] is None and data["drafts"] is None


def test_another_agencys_validator_has_nothing_waiting(client, personas, work):
    client.force_login(personas["other_validator"])
    response = client.get("/my-work/")
    assert list(response.context["to_validate"]) == []
    assert "No report is waiting for you." in response.content.decode()


def test_a_coordinator_sees_what_needs_the_mechanism(coordinator_client, work):
    response = coordinator_client.get("/my-work/")
    assert response.context["unassigned"] == 1
    assert list(response.context["overdue"]) == [work["overdue"]]
    assert list(response.context["returned"]) == [work["returned"]]
    assert response.context["waiting_count"] == 1
    page = response.content.decode()
    assert "items of Mexico assigned to no agency" in page or "item of Mexico assigned to no agency" in page
    # The counts of what is listed below lead to their lists.
    assert '<a href="#overdue"><strong>1</strong> deadline overdue</a>' in page
    assert '<a href="#returned"><strong>1</strong> report returned for changes</a>' in page
    data = coordinator_client.get("/my-work.json").json()
    assert data["roles"] == ["coordinator"]
    coordinator = data["coordinator"]
    assert coordinator["unassigned"] == 1 and coordinator["state"]["code"] == "MX"
    assert coordinator["unassigned_url"].startswith("http://testserver/")
    assert [d["id"] for d in coordinator["overdue"]["results"]] == [work["overdue"].pk]
    assert coordinator["overdue"]["results"][0]["agency"]["name"] == "Ministry of the Interior"
    assert [r["id"] for r in coordinator["returned"]["results"]] == [work["returned"].pk]
    assert coordinator["waiting_for_validation"] == 1


def test_an_overdue_deadline_names_its_cycle_only_when_the_title_says_something_else(coordinator_client, work):
    cycle = ReportingCycle.objects.create(title="Mid-term report", due_on=work["overdue"].due_on)
    work["overdue"].cycle = cycle
    work["overdue"].save()
    page = coordinator_client.get("/my-work/").content.decode()
    assert '<span class="tag">Mid-term report</span>' not in page
    cycle.title = "UPR mid-term report 2027"
    cycle.save()
    page = coordinator_client.get("/my-work/").content.decode()
    assert '<span class="tag">UPR mid-term report 2027</span>' in page


def test_the_administrator_sees_the_coordinators_part(admin_client, work):
    assert admin_client.get("/my-work.json").json()["coordinator"]["unassigned"] == 1


def test_empty_lists_say_what_to_do(client, personas, agencies):
    client.force_login(personas["focal_point"])
    page = client.get("/my-work/").content.decode()
    assert "No item is assigned to your agencies yet." in page
    assert "No draft and no returned report." in page


def test_a_staff_member_in_no_agency_is_told_whom_to_ask(client, db):
    from hrtrack.accounts.models import Role, User

    nobody = User.objects.create(username="nadia", role=Role.FOCAL_POINT)
    client.force_login(nobody)
    response = client.get("/my-work/")
    assert response.status_code == 200
    assert "You are in no agency yet" in response.content.decode()
    assert client.get("/my-work.json").json()["roles"] == []


def test_anonymous_visitors_sign_in_first(client, db):
    response = client.get("/my-work/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get("/my-work.json").status_code == 401


def test_contributors_may_not_see_it(contributor_client):
    assert contributor_client.get("/my-work/").status_code == 403
    assert contributor_client.get("/my-work.json").status_code == 403


def test_long_lists_are_paginated_each_by_its_own_page_number(focal_point_client, agencies, monkeypatch):
    monkeypatch.setattr("hrtrack.followup.views.work.MY_WORK_PER_PAGE", 2)
    interior = agencies[0]
    for number in range(5):
        Assignment.objects.create(recommendation=item_for_mexico(f"Item {number}"), organization=interior)
    first = focal_point_client.get("/my-work.json").json()["assignments"]
    assert first["count"] == 5 and first["pages"] == 3 and len(first["results"]) == 2
    assert "assignments_page=2" in first["next"]
    third = focal_point_client.get("/my-work.json?assignments_page=3").json()["assignments"]
    assert len(third["results"]) == 1
    page = focal_point_client.get("/my-work/?assignments_page=2").content.decode()
    assert "Page 2 of 3" in page


def test_my_work_takes_a_bounded_number_of_queries(client, personas, work, agencies,
                                                    django_assert_max_num_queries):
    admin = personas["admin"]
    from hrtrack.accounts.models import Membership

    Membership.objects.create(user=admin, organization=agencies[0], role="focal-point")
    Membership.objects.create(user=admin, organization=agencies[0], role="validator")
    for number in range(20):
        assignment = Assignment.objects.create(recommendation=item_for_mexico(f"More work {number}"),
                                               organization=agencies[0])
        Deadline.objects.create(title="Report", due_on=TODAY - DAY, assignment=assignment)
        ProgressReport.objects.create(assignment=assignment)
        ProgressReport.objects.create(assignment=assignment, state=ProgressReport.State.SUBMITTED,
                                      submitted_by=admin, submitted_at=timezone.now())
    client.force_login(admin)
    with django_assert_max_num_queries(20):
        response = client.get("/my-work/")
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/my-work.json").status_code == 200


@pytest.mark.parametrize("persona", ["focal_point", "validator", "coordinator"])
def test_my_work_speaks_spanish(client, personas, work, persona):
    client.force_login(personas[persona])
    with translation.override("es"):  # and back to the language before, which the request leaves as Spanish
        response = client.get("/my-work/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()

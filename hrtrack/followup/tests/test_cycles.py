"""Reporting cycles: the list with each cycle's deadlines met and overdue, a cycle's deadlines by
agency, and opening one (POST /cycles/new/) for every assignment of the items the list's filters select."""

import datetime
import json

import pytest
from django.utils import timezone

from hrtrack.directory.models import Country, PlatformSettings
from hrtrack.followup.models import Assignment, Deadline, ProgressReport, ReportingCycle
from hrtrack.recommendations.models import ConceptLink, Recommendation

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def item(text, recipient="MX", themes=()):
    made = Recommendation.objects.create(text=text)
    made.recipients.set([Country.objects.get(code=recipient)])
    for concept in themes:
        ConceptLink.objects.create(recommendation=made, concept=concept)
    return made


@pytest.fixture
def assigned(agencies, themes):
    """Two torture items of Mexico, one assigned to both agencies, one to the Interior; an item on
    disappearances assigned to Foreign Affairs; a torture item of Mexico assigned to nobody."""
    PlatformSettings.objects.create(state=Country.objects.get(code="MX"))
    interior, foreign = agencies
    torture = [item("Criminalise torture.", themes=[themes["torture"]]),
               item("Train prosecutors.", themes=[themes["torture"]])]
    disappearances = item("Search for the disappeared.", themes=[themes["disappearances"]])
    item("Adopt a torture protocol.", themes=[themes["torture"]])
    return {
        "torture": [Assignment.objects.create(recommendation=torture[0], organization=interior),
                    Assignment.objects.create(recommendation=torture[0], organization=foreign),
                    Assignment.objects.create(recommendation=torture[1], organization=interior)],
        "disappearances": Assignment.objects.create(recommendation=disappearances, organization=foreign),
    }


@pytest.fixture
def cycle(assigned, personas):
    """A past cycle over every assignment: the Interior's first answered, the others overdue."""
    made = ReportingCycle.objects.create(title="UPR mid-term report", kind="upr-midterm", due_on=TODAY - 5 * DAY)
    deadlines = [Deadline.objects.create(title=made.title, due_on=made.due_on, cycle=made, assignment=a)
                 for a in [*assigned["torture"], assigned["disappearances"]]]
    ProgressReport.objects.create(assignment=assigned["torture"][0], deadline=deadlines[0], state="submitted",
                                  submitted_at=timezone.now())
    return made


NEW = {"title": "Report before the next review", "cycle_kind": "upr-midterm",
       "due_on": (TODAY + 90 * DAY).isoformat(), "remind_days_before": "21"}


# The list and a cycle -------------------------------------------------------------------------


def test_the_list_shows_each_cycle_with_its_deadlines_met_and_overdue(validator_client, cycle):
    response = validator_client.get("/cycles/")
    assert response.status_code == 200
    [shown] = response.context["page_obj"]
    assert shown.counts == {"deadlines": 4, "met": 1, "overdue": 3}
    assert "UPR mid-term report" in response.content.decode()
    data = validator_client.get("/cycles.json").json()
    assert data["count"] == 1
    first = data["results"][0]
    assert (first["title"], first["kind"], first["due_on"]) == ("UPR mid-term report", "upr-midterm",
                                                                (TODAY - 5 * DAY).isoformat())
    assert first["counts"] == {"deadlines": 4, "met": 1, "overdue": 3}


def test_only_coordinators_see_the_form_to_open_a_cycle(client_for, cycle):
    assert "new-cycle" not in client_for("focal_point").get("/cycles/").content.decode()
    assert 'id="new-cycle"' in client_for("coordinator").get("/cycles/").content.decode()


def test_a_cycle_shows_its_deadlines_by_agency_with_their_state(coordinator_client, cycle):
    response = coordinator_client.get(f"/cycles/{cycle.pk}/")
    assert response.status_code == 200
    by_agency = {row["agency"].name: (row["deadlines"], row["met"], row["overdue"])
                 for row in response.context["by_agency"]}
    assert by_agency == {"Ministry of Foreign Affairs": (2, 0, 2), "Ministry of the Interior": (2, 1, 1)}
    states = [d.state for d in response.context["page_obj"]]
    assert sorted(states) == ["met", "overdue", "overdue", "overdue"]
    data = coordinator_client.get(f"/cycles/{cycle.pk}.json").json()
    assert [a["agency"]["name"] for a in data["agencies"]] == ["Ministry of Foreign Affairs",
                                                               "Ministry of the Interior"]
    assert data["counts"] == {"deadlines": 4, "met": 1, "overdue": 3} and data["deadlines"]["count"] == 4
    assert {d["state"] for d in data["deadlines"]["results"]} == {"met", "overdue"}


def test_a_deadline_due_soon_says_so(coordinator_client, assigned):
    made = ReportingCycle.objects.create(title="Soon", due_on=TODAY + 3 * DAY)
    Deadline.objects.create(title="Soon", due_on=made.due_on, cycle=made, assignment=assigned["disappearances"])
    data = coordinator_client.get(f"/cycles/{made.pk}.json").json()
    assert [d["state"] for d in data["deadlines"]["results"]] == ["due-soon"]


def test_a_cycle_that_does_not_exist_is_a_404(coordinator_client, db):
    assert coordinator_client.get("/cycles/999/").status_code == 404
    assert coordinator_client.get("/cycles/999.json").status_code == 404


def test_cycles_are_for_staff(client, contributor_client, cycle):
    assert contributor_client.get("/cycles/").status_code == 403
    assert contributor_client.get(f"/cycles/{cycle.pk}.json").status_code == 403
    client.logout()
    assert client.get("/cycles.json").status_code == 401


def test_the_list_takes_a_bounded_number_of_queries(coordinator_client, assigned, django_assert_max_num_queries):
    for number in range(15):
        made = ReportingCycle.objects.create(title=f"Cycle {number}", due_on=TODAY + number * DAY)
        Deadline.objects.create(title=made.title, due_on=made.due_on, cycle=made,
                                assignment=assigned["disappearances"])
    with django_assert_max_num_queries(15):
        assert coordinator_client.get("/cycles/").status_code == 200
    with django_assert_max_num_queries(10):
        assert coordinator_client.get("/cycles.json").status_code == 200


# Opening a cycle ------------------------------------------------------------------------------


def test_the_form_takes_the_item_lists_filters_and_says_how_many_assignments_get_a_deadline(coordinator_client,
                                                                                        assigned):
    page = coordinator_client.get("/cycles/?theme=torture").content.decode()
    assert '<input type="hidden" name="theme" value="torture">' in page
    assert "3 assignments will get a deadline." in page
    assert "For Mexico's items that match:" in page and "theme: torture" in page
    world = coordinator_client.get("/cycles/?theme=torture&scope=world").content.decode()
    assert "For every country's items that match:" in world


def test_a_coordinator_sets_a_deadline_for_every_assignment_of_the_filtered_items(coordinator_client, assigned,
                                                                                 personas):
    response = coordinator_client.post("/cycles/new/", {**NEW, "theme": "torture"})
    made = ReportingCycle.objects.get(title="Report before the next review")
    assert response.status_code == 302 and response["Location"] == f"/cycles/{made.pk}/"
    assert made.created_by == personas["coordinator"] and made.remind_days_before == 21
    assert {d.assignment for d in made.deadlines.all()} == set(assigned["torture"])
    assert {d.due_on for d in made.deadlines.all()} == {TODAY + 90 * DAY}
    assert "with 3 deadlines" in coordinator_client.get(f"/cycles/{made.pk}/").content.decode()


def test_the_filters_may_come_in_the_query_string(coordinator_client, assigned):
    response = coordinator_client.post("/cycles/new.json?theme=enforced-disappearances", NEW)
    assert response.status_code == 201
    data = response.json()
    assert data["counts"] == {"deadlines": 1, "met": 0, "overdue": 0}
    assert ReportingCycle.objects.get(pk=data["id"]).deadlines.get().assignment == assigned["disappearances"]


def test_the_json_twin_takes_a_json_body(coordinator_client, assigned, series):
    body = {**NEW, "cycle_kind": "dialogue-round", "dialogue_series": series.slug, "theme": ["torture"],
            "agency": assigned["torture"][0].organization_id}
    response = coordinator_client.post("/cycles/new.json", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["series"] == {"slug": series.slug, "name": series.name} and data["kind"] == "dialogue-round"
    assert data["counts"]["deadlines"] == 3  # the items' every assignment, not only the filtered agency's


def test_without_filters_every_assignment_of_our_states_items_gets_one(coordinator_client, assigned):
    response = coordinator_client.post("/cycles/new.json", NEW)
    assert response.status_code == 201 and response.json()["counts"]["deadlines"] == 4


@pytest.mark.parametrize("persona", ["focal_point", "validator", "other_focal_point"])
def test_only_coordinators_open_cycles(client, personas, assigned, persona):
    client.force_login(personas[persona])
    assert client.post("/cycles/new/", {**NEW, "theme": "torture"}).status_code == 403
    twin = client.post("/cycles/new.json", {**NEW, "theme": "torture"})
    assert twin.status_code == 403 and "coordinators" in twin.json()["error"]
    assert not ReportingCycle.objects.exists() and not Deadline.objects.exists()


def test_contributors_and_visitors_may_not_open_cycles(client, contributor_client, assigned):
    assert contributor_client.post("/cycles/new.json", NEW).status_code == 403
    client.logout()
    assert client.post("/cycles/new.json", NEW).status_code == 401
    assert client.post("/cycles/new/", NEW).status_code == 302
    assert not ReportingCycle.objects.exists()


@pytest.mark.parametrize("fields, field", [
    ({**NEW, "title": ""}, "title"),
    ({**NEW, "due_on": ""}, "due_on"),
    ({**NEW, "due_on": "tomorrow"}, "due_on"),
    ({**NEW, "due_on": (TODAY - DAY).isoformat()}, "due_on"),
    ({**NEW, "cycle_kind": "yearly"}, "cycle_kind"),
    ({**NEW, "remind_days_before": "-1"}, "remind_days_before"),
    ({**NEW, "cycle_kind": "dialogue-round"}, "dialogue_series"),
    ({**NEW, "dialogue_series": "no-such-series"}, "dialogue_series"),
    ({**NEW, "session": "five"}, "session"),
    ({**NEW, "theme": "no-such-theme"}, "theme"),
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_set(coordinator_client, assigned, fields, field):
    page = coordinator_client.post("/cycles/new/", fields)
    assert page.status_code == 400
    assert "Set a reporting deadline" in page.content.decode()
    twin = coordinator_client.post("/cycles/new.json", fields)
    assert twin.status_code == 400 and field in twin.json()["fields"]
    assert not ReportingCycle.objects.exists() and not Deadline.objects.exists()


def test_filters_that_select_no_assigned_item_set_nothing_and_say_why(coordinator_client, assigned):
    fields = {**NEW, "q": "protocol"}
    page = coordinator_client.post("/cycles/new/", fields)
    assert page.status_code == 400 and "assign them first" in page.content.decode()
    twin = coordinator_client.post("/cycles/new.json", fields)
    assert twin.status_code == 400 and "assign them first" in twin.json()["fields"]["__all__"][0]
    assert not ReportingCycle.objects.exists()


def test_a_cycle_is_opened_with_post(coordinator_client, db):
    assert coordinator_client.get("/cycles/new/").status_code == 302
    assert coordinator_client.get("/cycles/new.json").status_code == 405


def test_the_dashboards_link_for_a_series_proposes_its_next_round(coordinator_client, assigned, series):
    response = coordinator_client.get(f"/cycles/?series={series.slug}")
    form = response.context["form"]
    assert form.initial["cycle_kind"] == "dialogue-round" and form.initial["dialogue_series"] == series.slug

"""The assignment page and a progress report's pages, with their JSON twins: a report's whole way
from draft through returned to validated, who may take each step (the others get 403 or 404 and
nothing changes), and that only validated reports count towards an item's status."""

import datetime

import pytest
from django.utils import timezone

from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, Deadline, Evidence, Indicator, IndicatorValue, ProgressReport
from hrtrack.recommendations.filters import ItemFilterSet
from hrtrack.recommendations.models import Recommendation


@pytest.fixture
def item(db):
    return Recommendation.objects.create(text="Mexico should protect journalists and human rights defenders.")


@pytest.fixture
def assignment(item, agencies, personas):
    workflow.assign([item.pk], [agencies[0]], Assignment.Role.LEAD, personas["coordinator"],
                    note="Report on the protection mechanism.")
    return Assignment.objects.get(recommendation=item, organization=agencies[0])


@pytest.fixture
def draft(assignment, personas):
    return workflow.start_report(assignment, personas["focal_point"], status="in-progress",
                                 narrative="Protocol drafted.")


@pytest.fixture
def submitted(draft, personas):
    return workflow.submit(draft, personas["focal_point"], draft.version)


def signed_in(client, personas, who):
    client.force_login(personas[who])
    return client


def fresh(report) -> ProgressReport:
    return ProgressReport.objects.get(pk=report.pk)


# The assignment page ------------------------------------------------------------------------


def test_the_assignment_page_shows_the_item_the_agency_its_reports_and_its_deadlines(
        client, personas, assignment, draft):
    today = timezone.localdate()
    Deadline.objects.create(title="Mid-term report", due_on=today - datetime.timedelta(days=3), assignment=assignment)
    Deadline.objects.create(title="Next round", due_on=today + datetime.timedelta(days=5), assignment=assignment)
    answered = Deadline.objects.create(title="First report", due_on=today + datetime.timedelta(days=60),
                                       assignment=assignment)
    workflow.submit(workflow.start_report(assignment, personas["focal_point"], deadline=answered, narrative="Sent."),
                    personas["focal_point"], 1)

    page = signed_in(client, personas, "focal_point").get(f"/assignments/{assignment.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mexico should protect journalists" in text
    assert f'href="/recommendations/{assignment.recommendation_id}/"' in text
    assert "Ministry of the Interior" in text and "Lead" in text and "Report on the protection mechanism." in text
    assert f'href="/reports/{draft.pk}/"' in text and "Draft" in text and "Submitted for validation" in text
    assert "Mid-term report" in text and "Overdue" in text
    assert "Next round" in text and "Due soon" in text
    assert "First report" in text and "Met" in text
    assert f'href="/assignments/{assignment.pk}/reports/new/"' in text  # Felipe reports for the agency


def test_only_the_agencys_focal_points_are_offered_to_write_a_report_and_only_coordinators_to_change_it(
        client, personas, assignment):
    new_report = f'href="/assignments/{assignment.pk}/reports/new/"'
    for who in ("other_focal_point", "validator", "coordinator"):
        text = signed_in(client, personas, who).get(f"/assignments/{assignment.pk}/").content.decode()
        assert new_report not in text
        assert (f'action="/assignments/{assignment.pk}/edit/"' in text) == (who == "coordinator")
        assert (f'action="/assignments/{assignment.pk}/end/"' in text) == (who == "coordinator")


def test_another_agencys_draft_is_not_listed_on_the_assignment(client, personas, assignment, draft):
    text = signed_in(client, personas, "other_focal_point").get(f"/assignments/{assignment.pk}/").content.decode()
    assert f'href="/reports/{draft.pk}/"' not in text
    data = client.get(f"/assignments/{assignment.pk}.json").json()
    assert data["reports"] == []


def test_the_assignment_json_twin_has_its_reports_and_deadlines(client, personas, assignment, draft):
    overdue = Deadline.objects.create(title="Mid-term report", due_on=timezone.localdate() - datetime.timedelta(days=1),
                                      assignment=assignment)
    data = signed_in(client, personas, "focal_point").get(f"/assignments/{assignment.pk}.json").json()
    assert data["id"] == assignment.pk and data["role"] == "lead" and data["version"] == assignment.version
    assert data["agency"]["name"] == "Ministry of the Interior"
    assert data["item_url"].endswith(f"/recommendations/{assignment.recommendation_id}/")
    assert [r["id"] for r in data["reports"]] == [draft.pk] and data["reports"][0]["state"] == "draft"
    assert data["deadlines"] == [{**overdue.as_json(), "met": False, "overdue": True, "due_soon": False}]
    assert data["latest_status"] is None


#: The assignment page and its twin, whatever the number of its reports, evidence and deadlines.
QUERIES = 12


def test_the_assignment_page_takes_a_bounded_number_of_queries(client, personas, assignment,
                                                              django_assert_max_num_queries):
    felipe = personas["focal_point"]
    for number in range(12):
        report = workflow.start_report(assignment, felipe, narrative=f"Report {number}")
        workflow.add_evidence(report, felipe, description="Page", url=f"https://example.org/{number}")
        Deadline.objects.create(title=f"Due {number}", due_on="2030-01-01", assignment=assignment)
    signed_in(client, personas, "focal_point")
    client.get(f"/assignments/{assignment.pk}/")  # the session and the user, once
    with django_assert_max_num_queries(QUERIES):
        assert client.get(f"/assignments/{assignment.pk}/").status_code == 200
    with django_assert_max_num_queries(QUERIES):
        assert len(client.get(f"/assignments/{assignment.pk}.json").json()["reports"]) == 12


def test_visitors_are_sent_to_sign_in(client, assignment):
    assert client.get(f"/assignments/{assignment.pk}/").status_code == 302
    assert client.get(f"/assignments/{assignment.pk}.json").status_code == 401


def test_contributors_are_refused(contributor_client, assignment, draft):
    assert contributor_client.get(f"/assignments/{assignment.pk}/").status_code == 403
    assert contributor_client.get(f"/reports/{draft.pk}.json").status_code == 403


def test_an_unknown_assignment_is_a_404_on_both_doors(client, personas):
    signed_in(client, personas, "coordinator")
    assert client.get("/assignments/999/").status_code == 404
    assert client.get("/assignments/999.json").json()["error"]


# A report's way, on the pages ----------------------------------------------------------------


def test_a_report_goes_from_draft_through_returned_to_validated_on_the_pages(client, personas, assignment):
    deadline = Deadline.objects.create(title="Mid-term report", due_on="2030-01-01", assignment=assignment)
    signed_in(client, personas, "focal_point")
    form = client.get(f"/assignments/{assignment.pk}/reports/new/").content.decode()
    assert 'name="status"' in form and 'name="narrative"' in form and 'type="file"' in form and "multiple" in form
    assert "Mid-term report" in form

    response = client.post(f"/assignments/{assignment.pk}/reports/new/", {
        "status": "in-progress", "narrative": "Protocol drafted.", "period_start": "2024-01-01",
        "period_end": "2024-06-30", "deadline": deadline.pk,
    })
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert (report.state, report.status, report.created_by, report.deadline) == (
        "draft", "in-progress", personas["focal_point"], deadline)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Protocol drafted." in page and f'action="/reports/{report.pk}/submit/"' in page

    assert client.post(f"/reports/{report.pk}/submit/", {"version": report.version}).status_code == 302
    assert fresh(report).state == "submitted"
    assert f'action="/reports/{report.pk}/submit/"' not in client.get(f"/reports/{report.pk}/").content.decode()

    signed_in(client, personas, "validator")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'action="/reports/{report.pk}/validate/"' in page and f'action="/reports/{report.pk}/return/"' in page
    refused = client.post(f"/reports/{report.pk}/return/", {"version": fresh(report).version, "reason": "  "})
    assert refused.status_code == 400 and "Say why the report goes back" in refused.content.decode()
    assert fresh(report).state == "submitted"
    client.post(f"/reports/{report.pk}/return/", {"version": fresh(report).version,
                                                  "reason": "Attach the published protocol."})
    assert (fresh(report).state, fresh(report).return_reason) == ("returned", "Attach the published protocol.")

    signed_in(client, personas, "focal_point")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'class="return-reason"' in page and "Attach the published protocol." in page
    form = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert 'class="return-reason"' in form and "Attach the published protocol." in form
    assert f'name="version" value="{fresh(report).version}"' in form and "Protocol drafted." in form
    client.post(f"/reports/{report.pk}/edit/", {
        "version": fresh(report).version, "status": "implemented", "narrative": "Protocol published.",
        "evidence_links": "https://dof.gob.mx/protocolo Official gazette",
    })
    assert (fresh(report).narrative, fresh(report).status) == ("Protocol published.", "implemented")
    assert fresh(report).evidence.get().url == "https://dof.gob.mx/protocolo"
    client.post(f"/reports/{report.pk}/submit/", {"version": fresh(report).version})

    signed_in(client, personas, "validator")
    response = client.post(f"/reports/{report.pk}/validate/", {"version": fresh(report).version})
    assert response.status_code == 302
    assert (fresh(report).state, fresh(report).validated_by) == ("validated", personas["validator"])

    # Validated reports are read-only, for their own focal points too.
    signed_in(client, personas, "focal_point")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'href="/reports/{report.pk}/edit/"' not in page and "can no longer be changed" in page
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 403
    version = fresh(report).version
    assert client.post(f"/reports/{report.pk}/edit/", {"version": version, "status": "not-started"}).status_code == 403
    assert client.post(f"/reports/{report.pk}/submit/", {"version": version}).status_code == 403
    assert (fresh(report).status, fresh(report).version) == ("implemented", version)


def test_the_report_and_assignment_pages_name_people_as_my_work_does(client, personas, assignment, submitted):
    """Who wrote, submitted, returned and assigned: their names, as my work shows them; the
    username stands in for someone without a name."""
    felipe, valeria, carla = personas["focal_point"], personas["validator"], personas["coordinator"]
    felipe.first_name, felipe.last_name = "Felipe", "Ortega"
    valeria.first_name, valeria.last_name = "Valeria", "Núñez"
    felipe.save()
    valeria.save()
    returned = workflow.return_report(submitted, valeria, submitted.version, reason="Attach the protocol.")
    page = signed_in(client, personas, "focal_point").get(f"/reports/{returned.pk}/").content.decode()
    assert "Felipe Ortega, " in page and "Returned by Valeria Núñez on " in page
    assert "felipe," not in page and "by valeria" not in page
    form = client.get(f"/reports/{returned.pk}/edit/").content.decode()
    assert "Returned by Valeria Núñez on " in form
    assignment_page = client.get(f"/assignments/{assignment.pk}/").content.decode()
    assert f"({carla.get_username()})" in assignment_page and "<td>Felipe Ortega</td>" in assignment_page


def test_a_report_goes_its_whole_way_through_the_json_twins(client, personas, assignment):
    signed_in(client, personas, "focal_point")
    assert client.get(f"/assignments/{assignment.pk}/reports/new.json").status_code == 405
    response = client.post(f"/assignments/{assignment.pk}/reports/new.json", {
        "status": "in-progress", "narrative": "Protocol drafted.",
        "evidence_links": "https://example.org/protocol"}, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    report_id, version = data["id"], data["version"]
    assert data["state"] == "draft" and data["actions"] == ["edit", "submit"]
    assert data["evidence"][0]["url"] == "https://example.org/protocol"

    data = client.post(f"/reports/{report_id}/submit.json", {"version": version},
                       content_type="application/json").json()
    assert data["state"] == "submitted" and data["actions"] == []

    signed_in(client, personas, "validator")
    assert client.get(f"/reports/{report_id}.json").json()["actions"] == ["validate", "return"]
    refused = client.post(f"/reports/{report_id}/return.json", {"version": data["version"]},
                          content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    data = client.post(f"/reports/{report_id}/return.json", {"version": data["version"], "reason": "Add the text."},
                       content_type="application/json").json()
    assert data["state"] == "returned" and data["return_reason"] == "Add the text."

    signed_in(client, personas, "focal_point")
    data = client.post(f"/reports/{report_id}/edit.json", {"version": data["version"], "status": "implemented",
                                                           "narrative": "Protocol published."},
                       content_type="application/json").json()
    assert data["narrative"] == "Protocol published." and data["state"] == "returned"
    data = client.post(f"/reports/{report_id}/submit.json", {"version": data["version"]},
                       content_type="application/json").json()

    signed_in(client, personas, "validator")
    response = client.post(f"/reports/{report_id}/validate.json", {"version": data["version"]},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "validated"

    signed_in(client, personas, "focal_point")
    refused = client.post(f"/reports/{report_id}/edit.json", {"version": response.json()["version"],
                                                              "status": "not-started"},
                          content_type="application/json")
    assert refused.status_code == 403 and "validated" in refused.json()["error"]
    assert ProgressReport.objects.get(pk=report_id).status == "implemented"


def test_only_a_validated_report_counts_towards_the_items_status(client, personas, assignment, item):
    def implemented():
        return set(ItemFilterSet({"status": "implemented"}, queryset=Recommendation.objects.all()).qs)

    felipe = personas["focal_point"]
    report = workflow.start_report(assignment, felipe, status="implemented", narrative="Law passed.")
    report = workflow.submit(report, felipe, report.version)
    assert item in Recommendation.objects.open() and item not in implemented()
    signed_in(client, personas, "validator").post(f"/reports/{report.pk}/validate/", {"version": report.version})
    assert fresh(report).state == "validated"
    assert item not in Recommendation.objects.open() and item in implemented()
    assert client.get(f"/assignments/{assignment.pk}.json").json()["latest_status"] == "implemented"
    assert "Implemented" in client.get(f"/assignments/{assignment.pk}/").content.decode()
    # A later draft saying otherwise changes nothing until it is validated.
    workflow.start_report(assignment, felipe, status="in-progress")
    assert item not in Recommendation.objects.open() and item in implemented()


def test_a_new_report_answers_the_assignments_next_unmet_report_deadline_unless_told_otherwise(
        client, personas, assignment):
    today = timezone.localdate()
    url = f"/assignments/{assignment.pk}/reports/new/"
    signed_in(client, personas, "focal_point")
    assert client.get(url).context["form"]["deadline"].value() is None  # no deadline yet
    answered = Deadline.objects.create(title="First report", due_on=today - datetime.timedelta(days=30),
                                       assignment=assignment)
    workflow.submit(workflow.start_report(assignment, personas["focal_point"], deadline=answered, narrative="Sent."),
                    personas["focal_point"], 1)
    Deadline.objects.create(title="The law itself", due_on=today - datetime.timedelta(days=5), assignment=assignment,
                            kind=Deadline.Kind.IMPLEMENTATION)
    overdue = Deadline.objects.create(title="Mid-term report", due_on=today - datetime.timedelta(days=3),
                                      assignment=assignment)
    Deadline.objects.create(title="Next round", due_on=today + datetime.timedelta(days=40), assignment=assignment)
    page = client.get(url)
    assert page.context["form"]["deadline"].value() == overdue.pk
    assert f'<option value="{overdue.pk}" selected>' in page.content.decode()
    response = client.post(url, {"status": "in-progress", "narrative": "Answers nothing.", "deadline": ""})
    assert response.status_code == 302
    assert ProgressReport.objects.get(narrative="Answers nothing.").deadline is None


def test_a_report_form_with_bad_input_says_why_and_saves_nothing(client, personas, assignment, item, agencies):
    other = Assignment.objects.create(recommendation=item, organization=agencies[1])
    elsewhere = Deadline.objects.create(title="Not this one", due_on="2030-01-01", assignment=other)
    response = signed_in(client, personas, "focal_point").post(f"/assignments/{assignment.pk}/reports/new/", {
        "status": "done-already", "period_start": "2024-06-01", "period_end": "2024-01-01",
        "deadline": elsewhere.pk, "evidence_links": "javascript:alert(1)\nhttps://example.org/ok",
    })
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select a valid choice" in text  # the status and the other assignment's deadline
    assert "The period cannot end before it starts." in text
    assert "javascript:alert(1): Enter an address that starts with http:// or https://." in text
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()

    refused = client.post(f"/assignments/{assignment.pk}/reports/new.json", {"status": "implemented",
                                                                             "period_start": "not a date"},
                          content_type="application/json")
    assert refused.status_code == 400 and "period_start" in refused.json()["fields"]
    assert not ProgressReport.objects.exists()


def test_a_report_records_values_of_the_items_indicators_its_agency_measures(client, personas, assignment, item,
                                                                            agencies):
    ours = Indicator.objects.create(name="Journalists under protection", unit="people", organization=agencies[0])
    theirs = Indicator.objects.create(name="Visas granted", organization=agencies[1])
    ours.recommendations.add(item)
    theirs.recommendations.add(item)
    signed_in(client, personas, "focal_point")
    form = client.get(f"/assignments/{assignment.pk}/reports/new/").content.decode()
    assert "Journalists under protection (people)" in form and "Visas granted" not in form
    client.post(f"/assignments/{assignment.pk}/reports/new/", {
        "status": "in-progress", "period_end": "2024-06-30", f"indicator_{ours.pk}": "412",
        f"indicator_{theirs.pk}": "9"})
    report = ProgressReport.objects.get()
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.value, value.observed_on, value.report) == (
        ours, 412, datetime.date(2024, 6, 30), report)
    assert "Journalists under protection" in client.get(f"/reports/{report.pk}/").content.decode()


# Who may take which step -----------------------------------------------------------------------


def test_another_agencys_focal_point_gets_404_on_a_draft_and_nothing_changes(client, personas, draft):
    felipe = personas["focal_point"]
    evidence = workflow.add_evidence(draft, felipe, description="Page", url="https://example.org/draft")
    signed_in(client, personas, "other_focal_point")
    before = (draft.version, draft.state, draft.narrative)
    assert client.get(f"/reports/{draft.pk}/").status_code == 404
    assert client.get(f"/reports/{draft.pk}.json").status_code == 404
    assert client.get(f"/reports/{draft.pk}/edit/").status_code == 404
    assert client.post(f"/reports/{draft.pk}/edit/", {"version": draft.version, "status": "implemented",
                                                      "narrative": "Hijacked"}).status_code == 404
    assert client.post(f"/reports/{draft.pk}/edit.json", {"version": draft.version, "narrative": "Hijacked"},
                       content_type="application/json").status_code == 404
    assert client.post(f"/reports/{draft.pk}/submit/", {"version": draft.version}).status_code == 404
    assert client.post(f"/reports/{draft.pk}/submit.json", {"version": draft.version},
                       content_type="application/json").status_code == 404
    assert client.post(f"/reports/{draft.pk}/evidence/{evidence.pk}/remove/").status_code == 404
    after = fresh(draft)
    assert (after.version, after.state, after.narrative) == before
    assert after.evidence.count() == 1


def test_another_agencys_focal_point_cannot_report_on_the_assignment(client, personas, assignment):
    signed_in(client, personas, "other_focal_point")
    assert client.get(f"/assignments/{assignment.pk}/reports/new/").status_code == 403
    assert client.post(f"/assignments/{assignment.pk}/reports/new.json", {"status": "implemented"},
                       content_type="application/json").status_code == 403
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "admin", "validator"])
def test_only_focal_points_write_reports(client, personas, assignment, who):
    signed_in(client, personas, who)
    assert client.get(f"/assignments/{assignment.pk}/reports/new/").status_code == 403
    assert client.post(f"/assignments/{assignment.pk}/reports/new/", {"status": "implemented"}).status_code == 403
    assert not ProgressReport.objects.exists()


def test_another_agencys_validator_cannot_validate_and_nothing_changes(client, personas, submitted):
    signed_in(client, personas, "other_validator")
    assert client.post(f"/reports/{submitted.pk}/validate/", {"version": submitted.version}).status_code == 404
    assert client.post(f"/reports/{submitted.pk}/validate.json", {"version": submitted.version},
                       content_type="application/json").status_code == 404
    assert client.post(f"/reports/{submitted.pk}/return.json", {"version": submitted.version, "reason": "No"},
                       content_type="application/json").status_code == 404
    assert (fresh(submitted).state, fresh(submitted).version) == ("submitted", submitted.version)


def test_the_focal_point_cannot_validate_his_own_report(client, personas, submitted):
    signed_in(client, personas, "focal_point")
    assert f'action="/reports/{submitted.pk}/validate/"' not in client.get(f"/reports/{submitted.pk}/").content.decode()
    assert client.post(f"/reports/{submitted.pk}/validate/", {"version": submitted.version}).status_code == 403
    refused = client.post(f"/reports/{submitted.pk}/validate.json", {"version": submitted.version},
                          content_type="application/json")
    assert refused.status_code == 403 and "validators" in refused.json()["error"]
    assert (fresh(submitted).state, fresh(submitted).version) == ("submitted", submitted.version)


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_coordinators_read_every_report_but_cannot_validate_or_return_it(client, personas, submitted, who):
    signed_in(client, personas, who)
    assert client.get(f"/reports/{submitted.pk}/").status_code == 200
    assert client.post(f"/reports/{submitted.pk}/validate/", {"version": submitted.version}).status_code == 403
    assert client.post(f"/reports/{submitted.pk}/validate.json", {"version": submitted.version},
                       content_type="application/json").status_code == 403
    assert client.post(f"/reports/{submitted.pk}/return/", {"version": submitted.version,
                                                            "reason": "No"}).status_code == 403
    assert (fresh(submitted).state, fresh(submitted).version) == ("submitted", submitted.version)


def test_a_draft_cannot_be_validated_before_it_is_submitted(client, personas, draft):
    signed_in(client, personas, "validator")
    assert client.post(f"/reports/{draft.pk}/validate/", {"version": draft.version}).status_code == 403
    assert fresh(draft).state == "draft"


def test_a_validated_report_is_readable_by_everyone_on_the_staff_site(client, personas, submitted):
    report = workflow.validate(submitted, personas["validator"], submitted.version)
    signed_in(client, personas, "other_focal_point")
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    assert client.get(f"/reports/{report.pk}.json").json()["actions"] == []


def test_a_step_without_the_version_it_was_taken_on_is_refused(client, personas, draft):
    signed_in(client, personas, "focal_point")
    response = client.post(f"/reports/{draft.pk}/submit/", {})
    assert response.status_code == 400 and "which version you saw" in response.content.decode()
    assert client.post(f"/reports/{draft.pk}/submit.json", {"version": "x"},
                       content_type="application/json").status_code == 400
    assert fresh(draft).state == "draft"


# The assignment, changed and ended by a coordinator --------------------------------------------


def test_a_coordinator_changes_the_role_and_note_of_an_assignment(client, personas, assignment):
    signed_in(client, personas, "coordinator")
    response = client.post(f"/assignments/{assignment.pk}/edit/", {
        "version": assignment.version, "role": "support", "note": "Support the Attorney-General's Office."})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.role, assignment.note, assignment.version) == (
        "support", "Support the Attorney-General's Office.", 2)
    data = client.post(f"/assignments/{assignment.pk}/edit.json", {"version": 2, "role": "lead", "note": ""},
                       content_type="application/json").json()
    assert (data["role"], data["version"]) == ("lead", 3)


@pytest.mark.parametrize("who", ["focal_point", "validator", "other_focal_point"])
def test_only_coordinators_change_or_end_an_assignment(client, personas, assignment, who):
    signed_in(client, personas, who)
    assert client.post(f"/assignments/{assignment.pk}/edit/", {"version": assignment.version, "role": "support",
                                                               "note": "Mine now"}).status_code == 403
    assert client.post(f"/assignments/{assignment.pk}/edit.json", {"version": assignment.version,
                                                                   "role": "support"},
                       content_type="application/json").status_code == 403
    assert client.post(f"/assignments/{assignment.pk}/end/", {"version": assignment.version}).status_code == 403
    assert client.post(f"/assignments/{assignment.pk}/end.json", {"version": assignment.version},
                       content_type="application/json").status_code == 403
    assignment.refresh_from_db()
    assert (assignment.role, assignment.version) == ("lead", 1)


def test_a_coordinator_ends_an_assignment(client, personas, assignment, item):
    signed_in(client, personas, "coordinator")
    response = client.post(f"/assignments/{assignment.pk}/end/", {"version": assignment.version})
    assert response.status_code == 302 and response["Location"] == f"/recommendations/{item.pk}/"
    assert not Assignment.objects.exists()


def test_the_end_json_twin_answers_with_the_assignment_that_was(client, personas, assignment):
    data = signed_in(client, personas, "coordinator").post(
        f"/assignments/{assignment.pk}/end.json", {"version": assignment.version},
        content_type="application/json").json()
    assert data["ended"] is True and data["id"] == assignment.pk
    assert not Assignment.objects.exists()


def test_an_empty_report_is_not_submitted_until_it_says_what_was_done_or_has_evidence(client, personas, assignment):
    empty = workflow.start_report(assignment, personas["focal_point"], status="in-progress")
    signed_in(client, personas, "focal_point")
    response = client.post(f"/reports/{empty.pk}/submit/", {"version": empty.version})
    assert response.status_code == 400
    assert "Say what was done, or add evidence" in response.content.decode()
    answer = client.post(f"/reports/{empty.pk}/submit.json", {"version": empty.version},
                         content_type="application/json")
    assert answer.status_code == 400 and "narrative" in answer.json()["error"] + str(answer.json())
    assert (fresh(empty).state, fresh(empty).version) == ("draft", empty.version)

    workflow.add_evidence(empty, personas["focal_point"], description="Signed protocol", url="https://example.org/p")
    assert client.post(f"/reports/{empty.pk}/submit/", {"version": empty.version}).status_code == 302
    assert fresh(empty).state == "submitted"


def test_a_json_save_reads_the_report_without_the_people_who_moved_it(client, personas, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, personas, "focal_point")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/reports/{draft.pk}/edit.json", {"version": draft.version, "status": draft.status,
                                                                  "narrative": "Revised."},
                               content_type="application/json")
    assert response.status_code == 200 and response.json()["narrative"] == "Revised."
    [read] = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith("SELECT") and 'FROM "followup_progressreport" INNER JOIN' in q["sql"]]
    assert "accounts_user" not in read
    # The page still reads them with the report.
    page = client.get(f"/reports/{draft.pk}/edit/")
    assert page.status_code == 200

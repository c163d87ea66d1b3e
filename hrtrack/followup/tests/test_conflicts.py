"""Two people saving one report or assignment: the second gets the form back with their own
input, a clear message and a table of what changed in between (field, then, now, by whom, when);
the JSON twin answers 409 with the changes; nothing of the second save is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrtrack.accounts.models import Membership, Role, User
from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import Recommendation

CONFLICT = "Someone else saved this in the meantime; nothing of yours was saved."


@pytest.fixture
def colleagues(personas, agencies):
    """Fernanda, a second focal point of the Ministry of the Interior, and Vanessa, its second validator."""
    people = {}
    for username, role in (("fernanda", Role.FOCAL_POINT), ("vanessa", Role.VALIDATOR)):
        user = User.objects.create(username=username, role=role)
        Membership.objects.create(user=user, organization=agencies[0], role=role)
        people[username] = user
    return people


@pytest.fixture
def assignment(agencies, personas):
    item = Recommendation.objects.create(text="Mexico should protect journalists and human rights defenders.")
    workflow.assign([item.pk], [agencies[0]], Assignment.Role.LEAD, personas["coordinator"], note="Lead it.")
    return Assignment.objects.get()


@pytest.fixture
def draft(assignment, personas):
    return workflow.start_report(assignment, personas["focal_point"], status="in-progress",
                                 narrative="Protocol drafted.")


def fresh(report) -> ProgressReport:
    return ProgressReport.objects.get(pk=report.pk)


def test_the_second_of_two_edits_gets_the_changes_and_keeps_its_input(client, personas, colleagues, draft):
    client.force_login(personas["focal_point"])
    seen = draft.version
    assert f'name="version" value="{seen}"' in client.get(f"/reports/{draft.pk}/edit/").content.decode()
    workflow.edit_report(draft, colleagues["fernanda"], seen, narrative="Protocol drafted and sent to the Senate.")

    response = client.post(f"/reports/{draft.pk}/edit/", {
        "version": seen, "status": "implemented", "narrative": "Protocol published in the gazette."})
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page and "nothing of yours was saved" in page
    # The table: the field, its value then and now, who saved it.
    assert "What was done" in page and "Protocol drafted.</td>" in page
    assert "Protocol drafted and sent to the Senate.</td>" in page and "<td>fernanda</td>" in page
    # Felipe's own input is still in the form, to be saved over the change once he has seen it.
    assert "Protocol published in the gazette.</textarea>" in page
    assert '<option value="implemented" selected>' in page
    now = fresh(draft)
    assert f'name="version" value="{now.version}"' in page
    assert (now.narrative, now.status) == ("Protocol drafted and sent to the Senate.", "in-progress")

    client.post(f"/reports/{draft.pk}/edit/", {"version": now.version, "status": "implemented",
                                               "narrative": "Protocol published in the gazette."})
    assert fresh(draft).narrative == "Protocol published in the gazette."


def test_the_json_twin_answers_a_stale_edit_with_409_and_the_changes(client, personas, colleagues, draft):
    seen = draft.version
    workflow.edit_report(draft, colleagues["fernanda"], seen, narrative="Sent to the Senate.")
    client.force_login(personas["focal_point"])
    response = client.post(f"/reports/{draft.pk}/edit.json", {"version": seen, "status": "implemented",
                                                              "narrative": "Published."},
                           content_type="application/json")
    assert response.status_code == 409
    data = response.json()
    assert data["version"] == fresh(draft).version and "nothing of yours was saved" in data["error"]
    change = next(c for c in data["changes"] if c["name"] == "narrative")
    assert (change["then"], change["now"], change["by"]) == ("Protocol drafted.", "Sent to the Senate.", "fernanda")
    assert change["at"]
    assert fresh(draft).narrative == "Sent to the Senate."


def test_a_stale_edit_stores_none_of_its_files(client, personas, colleagues, draft, settings):
    workflow.edit_report(draft, colleagues["fernanda"], draft.version, narrative="Sent to the Senate.")
    client.force_login(personas["focal_point"])
    response = client.post(f"/reports/{draft.pk}/edit/", {
        "version": draft.version, "status": "implemented", "narrative": "Published.",
        "evidence_files": [SimpleUploadedFile("gazette.pdf", b"%PDF-1.7 the gazette")]})
    assert response.status_code == 409 and "choose them again" in response.content.decode()
    assert not fresh(draft).evidence.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_a_stale_edit_without_files_does_not_ask_to_choose_them_again(client, personas, colleagues, draft):
    workflow.edit_report(draft, colleagues["fernanda"], draft.version, narrative="Sent to the Senate.")
    client.force_login(personas["focal_point"])
    response = client.post(f"/reports/{draft.pk}/edit/", {
        "version": draft.version, "status": "implemented", "narrative": "Published."})
    page = response.content.decode()
    assert response.status_code == 409 and "Changed while you had it open" in page
    assert "choose them again" not in page


def test_submitting_a_report_a_colleague_changed_meanwhile_is_a_conflict(client, personas, colleagues, draft):
    seen = draft.version
    workflow.edit_report(draft, colleagues["fernanda"], seen, status="partially-implemented")
    client.force_login(personas["focal_point"])
    response = client.post(f"/reports/{draft.pk}/submit/", {"version": seen})
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page and "Implementation status" in page and "Partially implemented" in page
    assert f'name="version" value="{fresh(draft).version}"' in page  # the submit button, now on what he has seen
    assert fresh(draft).state == "draft"
    assert client.post(f"/reports/{draft.pk}/submit.json", {"version": seen},
                       content_type="application/json").status_code == 409
    assert fresh(draft).state == "draft"


def test_validating_a_report_a_colleague_returned_meanwhile_is_a_conflict_not_a_refusal(
        client, personas, colleagues, draft):
    report = workflow.submit(draft, personas["focal_point"], draft.version)
    seen = report.version
    workflow.return_report(report, colleagues["vanessa"], seen, reason="Attach the protocol.")
    client.force_login(personas["validator"])
    response = client.post(f"/reports/{report.pk}/validate/", {"version": seen})
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page and "Returned for changes" in page and "<td>vanessa</td>" in page
    assert fresh(report).state == "returned"
    response = client.post(f"/reports/{report.pk}/validate.json", {"version": seen}, content_type="application/json")
    assert response.status_code == 409
    assert any(c["name"] == "state" and c["now"] == "Returned for changes" for c in response.json()["changes"])
    assert fresh(report).state == "returned" and fresh(report).validated_at is None


def test_a_stale_return_keeps_the_reason_typed(client, personas, colleagues, draft):
    felipe = personas["focal_point"]
    report = workflow.submit(draft, felipe, draft.version)
    seen = report.version
    # Meanwhile Vanessa returned it, and Felipe corrected and submitted it again.
    report = workflow.return_report(report, colleagues["vanessa"], seen, reason="Add the date.")
    report = workflow.edit_report(report, felipe, report.version, narrative="Protocol drafted on 3 March.")
    report = workflow.submit(report, felipe, report.version)
    client.force_login(personas["validator"])
    response = client.post(f"/reports/{report.pk}/return/", {"version": seen, "reason": "Attach the protocol."})
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page and "Protocol drafted on 3 March.</td>" in page and "<td>felipe</td>" in page
    assert "Attach the protocol.</textarea>" in page and f'name="version" value="{report.version}"' in page
    assert (fresh(report).state, fresh(report).return_reason) == ("submitted", "Add the date.")


def test_a_return_after_a_colleague_validated_it_says_the_step_no_longer_applies(client, personas, colleagues,
                                                                               draft):
    report = workflow.submit(draft, personas["focal_point"], draft.version)
    seen = report.version
    workflow.validate(report, colleagues["vanessa"], seen)
    client.force_login(personas["validator"])
    response = client.post(f"/reports/{report.pk}/return/", {"version": seen, "reason": "Attach the protocol."})
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page and "<td>vanessa</td>" in page and "no longer applies" in page
    assert fresh(report).state == "validated" and fresh(report).return_reason == ""


def test_a_stale_version_of_someone_who_may_not_take_the_step_is_a_refusal(client, personas, colleagues, draft):
    # Gabriela never could: what changed on another agency's report is not hers to read.
    report = workflow.submit(draft, personas["focal_point"], draft.version)
    report = workflow.validate(report, personas["validator"], report.version)
    client.force_login(personas["other_focal_point"])
    response = client.post(f"/reports/{report.pk}/submit.json", {"version": 1}, content_type="application/json")
    assert response.status_code == 403 and "changes" not in response.json()


def test_the_second_of_two_assignment_edits_gets_the_changes_and_keeps_its_input(client, personas, assignment):
    seen = assignment.version
    workflow.save_versioned(assignment, seen, personas["admin"], note="Lead it, with the Attorney-General.")
    client.force_login(personas["coordinator"])
    response = client.post(f"/assignments/{assignment.pk}/edit/", {"version": seen, "role": "support",
                                                                   "note": "Support only."})
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page and "Lead it, with the Attorney-General.</td>" in page and "<td>ada</td>" in page
    assert "Support only.</textarea>" in page and '<option value="support" selected>' in page
    assignment.refresh_from_db()
    assert (assignment.role, assignment.note, assignment.version) == (
        "lead", "Lead it, with the Attorney-General.", seen + 1)
    response = client.post(f"/assignments/{assignment.pk}/edit.json", {"version": seen, "role": "support"},
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["changes"][0]["by"] == "ada"
    assignment.refresh_from_db()
    assert assignment.role == "lead"


def test_ending_an_assignment_someone_changed_meanwhile_is_a_conflict(client, personas, assignment):
    seen = assignment.version
    workflow.save_versioned(assignment, seen, personas["admin"], role="support")
    client.force_login(personas["coordinator"])
    response = client.post(f"/assignments/{assignment.pk}/end/", {"version": seen})
    assert response.status_code == 409 and CONFLICT in response.content.decode()
    assert client.post(f"/assignments/{assignment.pk}/end.json", {"version": seen},
                       content_type="application/json").status_code == 409
    assert Assignment.objects.filter(pk=assignment.pk).exists()

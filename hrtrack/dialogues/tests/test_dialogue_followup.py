"""The dialogue page's follow-up and its JSON twin: each commitment with its assignments and latest
validated status, an assign form per commitment for coordinators, and the dialogue's own history."""

from html import unescape

import pytest
from django.utils import timezone

from hrtrack.directory.models import Country
from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import Kind, Recommendation


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


def commit(dialogue, text):
    item = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=dialogue, text=text)
    item.recommending_states.set(Country.objects.filter(code="MX"))
    return item


def validated(assignment, status):
    return ProgressReport.objects.create(assignment=assignment, status=status, state="validated",
                                         validated_at=timezone.now())


def section(page: str, commitment) -> str:
    return page.split(f'id="commitment-{commitment.pk}"')[1].split("</article>")[0]


def test_each_commitment_shows_its_agencies_and_status(focal_point_client, dialogue, agencies, personas):
    law = dialogue.commitments.get()
    training = commit(dialogue, "Mexico will train its police in the use of force.")
    workflow.assign([law.pk], [agencies[0]], "lead", personas["coordinator"])
    validated(Assignment.objects.get(recommendation=law), "partially-implemented")
    page = unescape(focal_point_client.get(f"/dialogues/{dialogue.pk}/").content.decode())
    first = section(page, law)
    assert "Ministry of the Interior" in first and "Lead" in first
    assert "Partially implemented" in first
    assert "reported by Ministry of the Interior" in first
    second = section(page, training)
    assert "Not assigned to any agency yet." in second
    assert "No validated report yet" in second
    # A focal point reads; only coordinators assign.
    assert "/assign/" not in page


def test_a_coordinator_assigns_a_commitment_from_the_dialogue_page(coordinator_client, dialogue, agencies):
    law = dialogue.commitments.get()
    page = unescape(coordinator_client.get(f"/dialogues/{dialogue.pk}/").content.decode())
    form = section(page, law)
    assert f'action="/recommendations/{law.pk}/assign/"' in form
    assert f'name="next" value="/dialogues/{dialogue.pk}/"' in form
    response = coordinator_client.post(f"/recommendations/{law.pk}/assign/", {
        "agencies": [agencies[1].pk], "role": "lead", "next": f"/dialogues/{dialogue.pk}/"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/dialogues/{dialogue.pk}/"
    assert [str(m) for m in response.context["messages"]] == [
        "1 item to Ministry of Foreign Affairs: 1 new assignment, 0 already there, 0 changed role."]
    assert "Ministry of Foreign Affairs" in section(unescape(response.content.decode()), law)
    assert Assignment.objects.get(recommendation=law).organization == agencies[1]


def test_the_page_shows_the_dialogues_own_history(coordinator_client, dialogue, personas):
    dialogue.outcome = "Both delegations agreed to meet again."
    dialogue._history_user = personas["coordinator"]
    dialogue.save()
    page = unescape(coordinator_client.get(f"/dialogues/{dialogue.pk}/").content.decode())
    history = page.split('id="history"')[1].split("</section>")[0]
    assert "Changed" in history and "by carla" in history
    assert "Outcome" in history and "Both delegations agreed to meet again." in history
    assert "Created" in history


def test_the_twin_has_each_commitments_follow_up_and_the_history(focal_point_client, dialogue, agencies, personas):
    law = dialogue.commitments.get()
    workflow.assign([law.pk], list(agencies), "support", personas["coordinator"])
    validated(Assignment.objects.get(recommendation=law, organization=agencies[1]), "implemented")
    data = focal_point_client.get(f"/dialogues/{dialogue.pk}.json").json()
    [commitment] = data["commitments"]
    assert sorted(a["agency"]["name"] for a in commitment["assignments"]) == ["Ministry of Foreign Affairs",
                                                                              "Ministry of the Interior"]
    assert {a["agency"]["name"]: a["latest_status"] for a in commitment["assignments"]} == {
        "Ministry of Foreign Affairs": "implemented", "Ministry of the Interior": None}
    assert (commitment["status"]["status"], commitment["status"]["agency"]["name"]) == (
        "implemented", "Ministry of Foreign Affairs")
    assert data["history"][-1]["type"] == "Created"


def test_drafts_do_not_set_a_commitments_status(focal_point_client, dialogue, agencies, personas):
    law = dialogue.commitments.get()
    workflow.assign([law.pk], [agencies[0]], "lead", personas["coordinator"])
    workflow.start_report(Assignment.objects.get(), personas["focal_point"], status="implemented")
    [commitment] = focal_point_client.get(f"/dialogues/{dialogue.pk}.json").json()["commitments"]
    assert commitment["status"] is None


def test_more_commitments_and_assignments_add_no_queries(coordinator_client, dialogue, agencies, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(f"/dialogues/{dialogue.pk}/").status_code == 200
        return len(queries)

    law = dialogue.commitments.get()
    workflow.assign([law.pk], [agencies[0]], "lead", personas["coordinator"])
    validated(Assignment.objects.get(), "in-progress")
    before = count()
    for number in range(5):
        item = commit(dialogue, f"Commitment number {number}.")
        workflow.assign([item.pk], list(agencies), "lead", personas["coordinator"])
        validated(Assignment.objects.filter(recommendation=item).first(), "implemented")
    assert count() == before

"""Restricted people's names (victims, defenders, people of cases raised) are for the mechanism's
coordinators only (``User.can_see_restricted``): an agency's focal point and its validator read
them withheld on every follow-up door where an item's text, a report's narrative or a return
reason shows (the assignment and report pages and their JSON twins, my work, the dashboard, the
agency's page, a reporting cycle, an indicator, the API's reports, the reminder e-mail); the
coordinator reads them."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrtrack.dialogues.models import Dialogue
from hrtrack.dialogues.restricted import WITHHELD
from hrtrack.directory.models import Country
from hrtrack.followup import reminders, workflow
from hrtrack.followup.indicators import define_indicator
from hrtrack.followup.models import Assignment, ReportingCycle
from hrtrack.recommendations.models import Kind, Recommendation

NAME = "Rosa Restringida"
#: A word every door's text holds beside the name: a door that shows it shows what names her.
SHOWN = "reprisals"
PERSONAS = ["focal_point", "validator", "coordinator"]


@pytest.fixture
def story(dialogue, personas, agencies):
    """A published round whose case raised names Rosa Restringida (restricted); its commitment names
    her, is assigned to the Interior ministry with a deadline overdue and a reporting cycle's
    deadline due soon, measured by an indicator; the ministry has a validated report, a submitted
    one and a returned one, each naming her in its narrative or its reason for return."""
    interior, _foreign = agencies
    carla, felipe, valeria = personas["coordinator"], personas["focal_point"], personas["validator"]
    for persona in (felipe, valeria, carla):
        persona.email = persona.email or f"{persona.username}@example.org"
        persona.save()
    now, today = timezone.now(), timezone.localdate()
    Dialogue.objects.filter(pk=dialogue.pk).update(published_at=now)
    item = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=dialogue, published_at=now,
                                         text=f"Mexico will protect {NAME} and her family from {SHOWN}.")
    item.recommending_states.set([Country.objects.get(code="MX")])
    workflow.assign([item.pk], [interior], Assignment.Role.LEAD, carla)
    assignment = Assignment.objects.get(recommendation=item, organization=interior)
    workflow.set_deadline(carla, item=item, assignment=assignment, title="Report on the protection measures",
                          due_on=today - datetime.timedelta(days=3))
    cycle = workflow.open_cycle(carla, title="Mid-term report", kind=ReportingCycle.Kind.UPR_MIDTERM,
                                due_on=today + datetime.timedelta(days=5),
                                assignments=Assignment.objects.filter(pk=assignment.pk))
    indicator = define_indicator(carla, item, name="Families under protection", organization=interior)

    validated = workflow.start_report(assignment, felipe, status="in-progress",
                                      narrative=f"{NAME} has had police protection against {SHOWN} since May.")
    validated = workflow.submit(validated, felipe, validated.version)
    validated = workflow.validate(validated, valeria, validated.version)
    submitted = workflow.start_report(assignment, felipe, status="in-progress",
                                      narrative=f"{NAME} was moved to a safe house, away from {SHOWN}.")
    submitted = workflow.submit(submitted, felipe, submitted.version)
    returned = workflow.start_report(assignment, felipe, status="in-progress",
                                     narrative=f"The measures against {SHOWN} were reviewed.")
    returned = workflow.submit(returned, felipe, returned.version)
    returned = workflow.return_report(returned, valeria, returned.version,
                                      reason=f"Say when {NAME} was told of the measures.")
    return {"item": item, "assignment": assignment, "cycle": cycle, "indicator": indicator, "agency": interior,
            "validated": validated, "submitted": submitted, "returned": returned}


def doors(story) -> list[str]:
    """Every follow-up door that shows the item's text, a report's narrative or a return reason."""
    pages = [
        f"/assignments/{story['assignment'].pk}/", f"/reports/{story['validated'].pk}/",
        f"/reports/{story['submitted'].pk}/", f"/reports/{story['returned'].pk}/", "/my-work/", "/dashboard/",
        f"/agencies/{story['agency'].pk}/", f"/cycles/{story['cycle'].pk}/", f"/indicators/{story['indicator'].pk}/",
    ]
    twins = [page.rstrip("/") + ".json" for page in pages]
    api = ["/api/v1/reports", f"/api/v1/reports/{story['validated'].pk}",
           f"/api/v1/reports/{story['returned'].pk}"]
    return pages + twins + api


def test_every_door_shows_the_item_to_the_coordinator_with_the_name(story, client, personas):
    client.force_login(personas["coordinator"])
    for door in doors(story):
        response = client.get(door)
        assert response.status_code == 200, door
        assert NAME in response.content.decode(), door
        assert WITHHELD not in response.content.decode(), door


@pytest.mark.parametrize("persona", ["focal_point", "validator"])
def test_an_agencys_staff_read_every_door_with_the_name_withheld(story, client, personas, persona):
    client.force_login(personas[persona])
    leaking = []
    for door in doors(story):
        response = client.get(door)
        assert response.status_code == 200, door
        text = response.content.decode()
        assert SHOWN in text, f"{door} does not show the item: the test would prove nothing"
        if "Restringida" in text:
            leaking.append(door)
    assert leaking == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_reminder_e_mail_withholds_the_name_from_all_but_coordinators(story, personas, persona):
    day = timezone.localdate()
    digest = reminders.digest_for(personas[persona], day)
    if persona == "coordinator":  # nothing waits on a coordinator: the agency's digest, sent to them
        digest = reminders.digest_for(personas["focal_point"], day)
        digest.user = personas["coordinator"]
        digest.to_validate = [story["submitted"]]
    message = reminders.render(digest)
    parts = [message.body] + [content for content, _mime in message.alternatives]
    assert any(SHOWN in part for part in parts), "the digest does not show the item: the test would prove nothing"
    for part in parts:
        assert (NAME in part) == (persona == "coordinator"), part
    if persona != "coordinator":
        assert WITHHELD in message.body


def test_the_focal_point_edits_the_draft_narrative_as_written_and_it_is_saved_whole(story, client, personas):
    """A draft's narrative is the agency's own text: its focal points read it as written where they
    may change it (the form, the report's page and JSON), so saving it back keeps the name; the
    rest (the item, the return reason) is withheld. Once submitted, it is withheld for them too."""
    felipe = personas["focal_point"]
    draft = workflow.start_report(story["assignment"], felipe, status="in-progress",
                                  narrative=f"We visited {NAME} twice about the {SHOWN}.")
    client.force_login(felipe)
    form = client.get(f"/reports/{draft.pk}/edit/").content.decode()
    assert NAME in form.split('name="narrative"', 1)[1].split("</textarea>", 1)[0]
    assert f"Mexico will protect {WITHHELD}" in form
    assert f"Mexico will protect {NAME}" not in form
    returned = client.get(f"/reports/{story['returned'].pk}/edit/").content.decode()  # its reason names her
    assert "Say when" in returned and "Restringida" not in returned
    assert NAME in client.get(f"/reports/{draft.pk}.json").json()["narrative"]
    answer = client.post(f"/reports/{draft.pk}/edit.json", {
        "version": draft.version, "status": "in-progress",
        "narrative": client.get(f"/reports/{draft.pk}.json").json()["narrative"] + " Done."})
    assert answer.status_code == 200, answer.content
    draft.refresh_from_db()
    assert draft.narrative == f"We visited {NAME} twice about the {SHOWN}. Done."
    client.post(f"/reports/{draft.pk}/submit/", {"version": draft.version})
    assert "Restringida" not in client.get(f"/reports/{draft.pk}.json").json()["narrative"]
    client.force_login(personas["validator"])
    assert "Restringida" not in client.get(f"/reports/{draft.pk}/").content.decode()


def test_the_public_agency_page_withholds_the_name(story, client):
    for door in (f"/agencies/{story['agency'].pk}/", f"/agencies/{story['agency'].pk}.json"):
        response = client.get(door)
        assert response.status_code == 200, door
        assert SHOWN in response.content.decode(), door
        assert "Restringida" not in response.content.decode(), door


def test_an_e_mail_sent_is_the_one_rendered(story, personas, settings):
    """The daily job sends what :func:`reminders.render` writes: the focal point's sent mail withholds too."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders.send_digests(timezone.localdate())
    sent = [m for m in mail.outbox if personas["focal_point"].email in m.to]
    assert sent and "Restringida" not in sent[0].body


@pytest.mark.parametrize("door", ["page", "json"])
def test_a_conflicts_changes_withhold_the_name_from_the_validator(story, client, personas, door):
    """The validator validates the version they saw; meanwhile the report was returned, its
    narrative rewritten to name her and submitted again: the conflict's table of what changed
    (page and 409 JSON) withholds the name."""
    felipe, valeria = personas["focal_point"], personas["validator"]
    report = story["submitted"]
    seen = report.version
    report = workflow.return_report(report, valeria, report.version, reason="Say where the safe house is.")
    report = workflow.edit_report(report, felipe, report.version, status="in-progress",
                                  narrative=f"{NAME} now lives abroad, safe from {SHOWN}.")
    workflow.submit(report, felipe, report.version)
    client.force_login(valeria)
    suffix = ".json" if door == "json" else "/"
    response = client.post(f"/reports/{report.pk}/validate{suffix}", {"version": seen})
    assert response.status_code == 409
    text = response.content.decode()
    assert "abroad" in text, "the conflict does not show the narrative's change: the test would prove nothing"
    assert "Restringida" not in text


def _more_rows(story, personas, count: int) -> None:
    """``count`` more commitments naming her, assigned to the ministry with a deadline overdue, and
    as many more reports on the story's assignment, validated, submitted and returned."""
    carla, felipe, valeria = personas["coordinator"], personas["focal_point"], personas["validator"]
    today = timezone.localdate()
    for number in range(count):
        item = Recommendation.objects.create(kind=Kind.COMMITMENT, dialogue=story["item"].dialogue,
                                             published_at=timezone.now(),
                                             text=f"Mexico will protect {NAME}'s witness {number} from {SHOWN}.")
        item.recommending_states.set([Country.objects.get(code="MX")])
        workflow.assign([item.pk], [story["agency"]], Assignment.Role.LEAD, carla)
        assignment = Assignment.objects.get(recommendation=item, organization=story["agency"])
        workflow.set_deadline(carla, item=item, assignment=assignment, title=f"Report {number}",
                              due_on=today - datetime.timedelta(days=number + 1))
        report = workflow.start_report(story["assignment"], felipe, status="in-progress",
                                       narrative=f"{NAME} was visited again ({number}).")
        report = workflow.submit(report, felipe, report.version)
        if number % 2:
            workflow.validate(report, valeria, report.version)


@pytest.mark.parametrize("persona", ["focal_point", "validator"])
def test_withholding_costs_the_same_queries_however_many_rows(story, client, personas, persona):
    """The names are found once for a page: a page of many rows takes as many queries as one of few."""
    client.force_login(personas[persona])
    pages = ["/my-work/", "/my-work.json", f"/assignments/{story['assignment'].pk}/",
             f"/assignments/{story['assignment'].pk}.json", f"/agencies/{story['agency'].pk}/",
             f"/agencies/{story['agency'].pk}.json", "/dashboard/", "/dashboard.json", "/api/v1/reports"]

    def counts() -> dict:
        found = {}
        for page in pages:
            client.get(page)  # the session, the user and the figures' cache, once
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200, page
            found[page] = len(queries)
        day = timezone.localdate()
        with CaptureQueriesContext(connection) as queries:
            reminders.render(reminders.digest_for(personas[persona], day))
        found["e-mail"] = len(queries)
        return found

    few = counts()
    _more_rows(story, personas, 6)
    assert counts() == few

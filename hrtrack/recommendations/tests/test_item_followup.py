"""The item page's follow-up and its JSON twin: who holds the item, its latest validated status,
the reports each persona may read with their evidence, indicators, deadlines and their computed
state, the forms coordinators use, and the full timeline."""

import datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from hrtrack.directory.models import Country
from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, Indicator, IndicatorValue
from hrtrack.recommendations.models import Recommendation


@pytest.fixture(autouse=True)
def mexico(settings):
    settings.HRTRACK_STATE = "MX"


@pytest.fixture
def story(db, agencies, personas):
    """An item on torture held by the Interior (lead) and Foreign Affairs (support). The Interior
    reported "in progress" with a link and a file, validated; it has a second report in draft;
    Foreign Affairs has a draft of its own. Three deadlines: one met, one overdue, one due soon."""
    carla, felipe, valeria, gabriela = (personas[p] for p in ("coordinator", "focal_point", "validator",
                                                             "other_focal_point"))
    interior, foreign = agencies
    item = Recommendation.objects.create(text="Adopt a general law against torture.")
    item.recipients.set(Country.objects.filter(code="MX"))
    workflow.assign([item.pk], [interior], Assignment.Role.LEAD, carla, note="Lead the drafting.")
    workflow.assign([item.pk], [foreign], Assignment.Role.SUPPORT, carla)
    lead = Assignment.objects.get(organization=interior)
    support = Assignment.objects.get(organization=foreign)
    today = timezone.localdate()
    met = workflow.set_deadline(carla, item=item, title="First report", due_on=today + datetime.timedelta(days=90),
                                assignment=lead)
    overdue = workflow.set_deadline(carla, item=item, title="Law passed", due_on=datetime.date(2020, 1, 1),
                                    kind="implementation")
    soon = workflow.set_deadline(carla, item=item, title="Second report", due_on=today + datetime.timedelta(days=3),
                                 assignment=support)

    validated = workflow.start_report(lead, felipe, status="in-progress", narrative="Protocol drafted.", deadline=met)
    link = workflow.add_evidence(validated, felipe, description="The protocol online",
                                 url="https://example.org/protocol")
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    upload.checked_content_type = "application/pdf"
    document = workflow.add_evidence(validated, felipe, description="Minutes of the working group", upload=upload)
    validated = workflow.submit(validated, felipe, validated.version)
    validated = workflow.validate(validated, valeria, validated.version)
    draft = workflow.start_report(lead, felipe, status="implemented", narrative="Draft: the law was passed.")
    foreign_draft = workflow.start_report(support, gabriela, status="not-started", narrative="Foreign draft.")
    return {"item": item, "lead": lead, "support": support, "validated": validated, "draft": draft,
            "foreign_draft": foreign_draft, "link": link, "document": document,
            "deadlines": {"met": met, "overdue": overdue, "soon": soon}}


def page_of(client, item) -> str:
    return unescape(client.get(f"/recommendations/{item.pk}/").content.decode())


def status_box(page: str) -> str:
    """The big status box of an item's page."""
    return page.split('<div class="item-status', 1)[1].split("</div>", 1)[0]


def test_the_page_shows_who_holds_the_item_and_its_validated_status(coordinator_client, story, agencies):
    response = coordinator_client.get(f"/recommendations/{story['item'].pk}/")
    page = unescape(response.content.decode())
    status = status_box(page)
    assert "In progress" in status
    assert "reported by Ministry of the Interior" in status
    assert f'href="/reports/{story["validated"].pk}/"' in status
    assignments = page.split('class="compact assignments"')[1].split("</table>")[0]
    assert f'href="/assignments/{story["lead"].pk}/"' in assignments
    assert f'href="/agencies/{agencies[1].pk}/"' in assignments
    assert "Lead" in assignments and "Support" in assignments
    assert [a.organization for a in response.context["followup"]["assignments"]] == list(agencies)


def test_an_item_without_a_validated_report_says_so(coordinator_client, db):
    item = Recommendation.objects.create(text="Nobody has reported on this yet.")
    page = page_of(coordinator_client, item)
    assert "No validated report yet" in page
    assert "Not assigned to any agency yet." in page


def test_the_latest_validated_report_sets_the_status(coordinator_client, story, personas):
    gabriela, victor = personas["other_focal_point"], personas["other_validator"]
    report = workflow.submit(story["foreign_draft"], gabriela, story["foreign_draft"].version)
    workflow.validate(report, victor, report.version)
    data = coordinator_client.get(f"/recommendations/{story['item'].pk}.json").json()
    assert (data["status"]["status"], data["status"]["agency"]["name"]) == ("not-started",
                                                                            "Ministry of Foreign Affairs")
    assert "Not started" in status_box(page_of(coordinator_client, story["item"]))


def test_the_coordinator_reads_every_report_with_its_evidence(coordinator_client, story):
    page = page_of(coordinator_client, story["item"])
    reports = page.split('id="reports"')[1].split("</section>")[0]
    for name in ("validated", "draft", "foreign_draft"):
        assert f'href="/reports/{story[name].pk}/"' in reports
    assert 'href="https://example.org/protocol"' in reports
    assert f'href="/reports/{story["validated"].pk}/evidence/{story["document"].pk}/"' in reports
    assert "Minutes of the working group" in reports


def test_another_agencys_focal_point_reads_only_validated_reports_of_the_interior(client, personas, story):
    client.force_login(personas["other_focal_point"])
    page = page_of(client, story["item"])
    assert "Protocol drafted." in page
    assert "Draft: the law was passed." not in page
    assert "Foreign draft." in page  # her own agency's
    data = client.get(f"/recommendations/{story['item'].pk}.json").json()
    assert {r["id"] for r in data["reports"]} == {story["validated"].pk, story["foreign_draft"].pk}
    assert f"Report #{story['draft'].pk}" not in {entry.get("subject") for entry in data["timeline"]}


def test_the_interiors_validator_reads_its_draft_but_not_foreign_affairs(client, personas, story):
    client.force_login(personas["validator"])
    data = client.get(f"/recommendations/{story['item'].pk}.json").json()
    assert {r["id"] for r in data["reports"]} == {story["validated"].pk, story["draft"].pk}


def test_deadlines_show_their_computed_state(coordinator_client, story):
    page = page_of(coordinator_client, story["item"])
    deadlines = page.split('id="deadlines"')[1].split("</section>")[0]

    def row(name):
        return deadlines.split(f'id="deadline-{story["deadlines"][name].pk}"')[1].split("</tr>")[0]

    assert "Met" in row("met")
    assert "Overdue" in row("overdue") and "Every agency" in row("overdue")
    assert "Due soon" in row("soon") and "Ministry of Foreign Affairs" in row("soon")
    data = coordinator_client.get(f"/recommendations/{story['item'].pk}.json").json()
    states = {d["title"]: (d["met"], d["overdue"], d["due_soon"]) for d in data["deadlines"]}
    assert states == {"First report": (True, False, False), "Law passed": (False, True, False),
                      "Second report": (False, False, True)}


def test_the_timeline_holds_the_follow_up_of_the_item(coordinator_client, story, personas):
    response = coordinator_client.get(f"/recommendations/{story['item'].pk}/")
    subjects = [str(entry["subject"]) for entry in response.context["timeline"]]
    assert "Assignment: Ministry of the Interior" in subjects
    assert f"Report #{story['validated'].pk}" in subjects
    assert "Evidence: Minutes of the working group" in subjects
    assert "Deadline: Law passed" in subjects
    assert "Item" in subjects
    page = unescape(response.content.decode())
    timeline = page.split('id="timeline"')[1].split("</section>")[0]
    assert "by valeria" in timeline and "by carla" in timeline
    assert "Validated" in timeline  # the report's state, from submitted to validated


def test_the_twin_has_every_part_of_the_follow_up(coordinator_client, story):
    data = coordinator_client.get(f"/recommendations/{story['item'].pk}.json").json()
    assert {"assignments", "status", "reports", "deadlines", "suggested_agencies", "timeline", "indicators",
            "history"} <= set(data)
    assert [(a["agency"]["name"], a["role"]) for a in data["assignments"]] == [
        ("Ministry of the Interior", "lead"), ("Ministry of Foreign Affairs", "support")]
    assert data["status"]["status"] == "in-progress"
    assert data["status"]["report"] == story["validated"].pk
    validated = next(r for r in data["reports"] if r["id"] == story["validated"].pk)
    assert {e["description"] for e in validated["evidence"]} == {"The protocol online", "Minutes of the working group"}
    assert data["suggested_agencies"] == []  # assigned already
    assert all(entry["subject"] == "Item" for entry in data["history"])


def test_only_coordinators_see_the_assign_and_deadline_forms(client, personas, story):
    client.force_login(personas["coordinator"])
    page = page_of(client, story["item"])
    assert f'action="/recommendations/{story["item"].pk}/assign/"' in page
    assert f'action="/recommendations/{story["item"].pk}/deadlines/"' in page
    for persona in ("focal_point", "validator", "other_focal_point"):
        client.force_login(personas[persona])
        page = page_of(client, story["item"])
        assert "/assign/" not in page and "/deadlines/" not in page


def test_the_agencies_to_assign_to_are_in_the_readers_alphabetical_order(coordinator_client, agencies):
    interior, foreign = agencies
    interior.name_es, interior.acronym = "Secretaría de Gobernación", "SEGOB"
    foreign.name_es, foreign.acronym = "Secretaría de Relaciones Exteriores", "SRE"
    interior.save()
    foreign.save()
    item = Recommendation.objects.create(text="Adopt a general law against torture.")
    item.recipients.set(Country.objects.filter(code="MX"))
    english = coordinator_client.get(f"/recommendations/{item.pk}/")
    assert english.context["agencies"] == [foreign, interior]  # Ministry of Foreign Affairs, of the Interior
    with translation.override("es"):
        spanish = coordinator_client.get(f"/recommendations/{item.pk}/", HTTP_ACCEPT_LANGUAGE="es")
        assert spanish.context["agencies"] == [interior, foreign]  # Secretaría de Gobernación, de Relaciones
        page = spanish.content.decode()
    assert page.index("Secretaría de Gobernación (SEGOB)") < page.index("Secretaría de Relaciones Exteriores (SRE)")
    listed = coordinator_client.get("/recommendations/?recipient=MX", HTTP_ACCEPT_LANGUAGE="es")
    assert listed.context["bulk"]["agencies"] == [interior, foreign]


def test_the_page_shows_the_items_indicators(coordinator_client, story):
    indicator = Indicator.objects.create(name="Cases of torture investigated", unit="cases", baseline=10, target=50)
    indicator.recommendations.add(story["item"])
    IndicatorValue.objects.create(indicator=indicator, observed_on=datetime.date(2024, 1, 1), value=20)
    page = page_of(coordinator_client, story["item"])
    section = page.split('class="indicators"')[1].split("</section>")[0]
    assert "Cases of torture investigated" in section
    assert "<svg" in section
    assert "Define an indicator for this item" in section
    data = coordinator_client.get(f"/recommendations/{story['item'].pk}.json").json()
    assert [(i["name"], [v["value"] for v in i["values"]]) for i in data["indicators"]] == [
        ("Cases of torture investigated", [20.0])]


def test_the_page_takes_a_bounded_number_of_queries(coordinator_client, story, personas, agencies,
                                                    django_assert_max_num_queries):
    felipe = personas["focal_point"]
    for number in range(4):
        report = workflow.start_report(story["lead"], felipe, status="in-progress", narrative=f"Report {number}.")
        workflow.add_evidence(report, felipe, description=f"Link {number}", url=f"https://example.org/{number}")
    # About forty: the item, its concepts and links, the follow-up (a query per kind of thing), and the
    # timeline (django-simple-history reads each change's many-to-many rows and related objects).
    with django_assert_max_num_queries(45):
        response = coordinator_client.get(f"/recommendations/{story['item'].pk}/")
    assert len(response.context["followup"]["reports"]) == 7


def test_more_reports_and_evidence_do_not_add_queries_to_the_follow_up(story, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrtrack.followup.summary import item_followup

    felipe, carla = personas["focal_point"], personas["coordinator"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            item_followup(story["item"], carla)
        return len([q for q in queries if "historical" not in q["sql"]])

    before = count()
    for number in range(5):
        report = workflow.start_report(story["lead"], felipe, narrative=f"Report {number}.")
        workflow.add_evidence(report, felipe, description=f"Link {number}", url=f"https://example.org/{number}")
    assert count() == before


def test_the_list_keeps_to_the_items_no_agency_has_yet_or_those_one_has(coordinator_client, agencies):
    from hrtrack.followup.models import Assignment
    from hrtrack.recommendations.models import Recommendation

    waiting = Recommendation.objects.create(text="Ratify the Escazú Agreement.")
    taken = Recommendation.objects.create(text="Protect journalists.")
    for item in (waiting, taken):
        item.recipients.set([agencies[0].country])
    Assignment.objects.create(recommendation=taken, organization=agencies[0])
    ids = lambda query: {r["id"] for r in coordinator_client.get(f"/recommendations.json?{query}").json()["results"]}  # noqa: E731
    assert ids("assigned=no") == {waiting.pk}
    assert ids("assigned=yes") == {taken.pk}
    assert ids("") == {waiting.pk, taken.pk}
    page = coordinator_client.get("/recommendations/?assigned=no").content.decode()
    assert "Ratify the Escazú Agreement." in page and "Protect journalists." not in page


def test_the_page_reads_our_state_once(coordinator_client, agencies):
    # The suggestions of an item nobody holds and the assign form both ask for our state's agencies.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = Recommendation.objects.create(text="Ratify the Optional Protocol.")
    item.recipients.set(Country.objects.filter(code="MX"))
    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get(f"/recommendations/{item.pk}/")
    assert response.status_code == 200 and response.context["agencies"]
    settings_reads = [q["sql"] for q in queries.captured_queries if "directory_platformsettings" in q["sql"]]
    assert len(settings_reads) == 1


def test_an_item_nobody_holds_reads_no_statuses_reports_or_deadline_states(coordinator_client, agencies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = Recommendation.objects.create(text="Ratify the Optional Protocol.")
    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get(f"/recommendations/{item.pk}/")
    assert response.status_code == 200 and response.context["followup"]["assignments"] == []
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if 'FROM "followup_progressreport"' in q.split(" WHERE ")[0]]
    assert not [q for q in sql if "CASE WHEN" in q and "followup_deadline" in q]


def test_an_item_with_a_deadline_and_no_assignment_shows_its_state(coordinator_client, personas):
    item = Recommendation.objects.create(text="Pass the law.")
    workflow.set_deadline(personas["coordinator"], item=item, title="Law passed", due_on=datetime.date(2020, 1, 1),
                          kind="implementation")
    data = coordinator_client.get(f"/recommendations/{item.pk}.json").json()
    assert [(d["title"], d["overdue"]) for d in data["deadlines"]] == [("Law passed", True)]

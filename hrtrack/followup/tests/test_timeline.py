"""An item's timeline: every change to it and its follow-up, who, when, from what to what, with
another agency's drafts left out for those who may not read them."""

import datetime

import pytest

from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment
from hrtrack.followup.timeline import item_timeline
from hrtrack.recommendations.models import Recommendation


@pytest.fixture
def story(db, agencies, personas):
    item = Recommendation.objects.create(text="Mexico should adopt a general law on torture.")
    carla, felipe = personas["coordinator"], personas["focal_point"]
    workflow.assign([item.pk], agencies[:1], Assignment.Role.LEAD, carla)
    assignment = Assignment.objects.get(recommendation=item)
    workflow.set_deadline(carla, item=item, assignment=assignment, title="First report",
                          due_on=datetime.date(2026, 3, 1))
    report = workflow.start_report(assignment, felipe, narrative="Bill sent to Congress.")
    workflow.edit_report(report, felipe, report.version, status="in-progress")
    return item, report


def test_the_timeline_says_who_changed_what_from_what_to_what(story, personas):
    item, report = story
    entries = item_timeline(item, personas["coordinator"])
    subjects = [str(e["subject"]) for e in entries]
    assert any(s.startswith("Assignment: Ministry of the Interior") for s in subjects)
    assert any(s.startswith("Deadline: First report") for s in subjects)
    change = next(e for e in entries if str(e["subject"]) == f"Report #{report.pk}" and e["changes"])
    assert change["user"] == personas["focal_point"]
    assert [(str(c["field"]), c["old"], c["new"]) for c in change["changes"]] == [
        ("implementation status", "Not started", "In progress")]
    assert [e["date"] for e in entries] == sorted((e["date"] for e in entries), reverse=True)


def test_another_agencys_draft_is_not_on_its_timeline(story, personas):
    item, report = story
    seen_by_gabriela = {str(e["subject"]) for e in item_timeline(item, personas["other_focal_point"])}
    assert f"Report #{report.pk}" not in seen_by_gabriela
    assert f"Report #{report.pk}" in {str(e["subject"]) for e in item_timeline(item, personas["validator"])}


def _change_countries(item, countries, times):
    for turn in range(times):
        item.recipients.set(countries[turn % 2:][:2])
        item.issued_on = datetime.date(2020, 1, 1) + datetime.timedelta(days=turn)
        item.save()


def test_the_timeline_names_countries_by_name_in_as_many_queries_however_long_it_is(story, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrtrack.directory.models import Country

    item, _report = story
    countries = [Country.objects.create(code=code, name_en=name) for code, name in
                 [("ZZ", "Zambia"), ("YY", "Austria"), ("XX", "Mexico")]]
    _change_countries(item, countries, 2)
    with CaptureQueriesContext(connection) as few:
        entries = item_timeline(item, personas["coordinator"])
    recipients = [c for e in entries for c in e["changes"] if str(c["field"]) == "recipient states"]
    assert recipients[0]["new"] == "Austria, Mexico"  # by name, not in the order of their ids
    assert recipients[-1] == {"field": "recipient states", "old": "—", "new": "Austria, Zambia"}
    _change_countries(item, countries, 10)
    with CaptureQueriesContext(connection) as many:
        longer = item_timeline(item, personas["coordinator"])
    assert len(longer) > len(entries) + 10
    assert len(many.captured_queries) == len(few.captured_queries)

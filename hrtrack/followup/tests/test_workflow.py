"""The follow-up's steps as the domain functions take them: who may, what they save, and what a
second person saving over a first gets."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, Deadline, ProgressReport
from hrtrack.recommendations.models import Change, Recommendation


@pytest.fixture
def item(db):
    return Recommendation.objects.create(text="Mexico should protect journalists and human rights defenders.")


@pytest.fixture
def assignment(item, agencies, personas):
    workflow.assign([item.pk], [agencies[0]], Assignment.Role.LEAD, personas["coordinator"])
    return Assignment.objects.get(recommendation=item, organization=agencies[0])


def test_only_coordinators_assign_and_an_agency_gets_an_item_once(item, agencies, personas):
    with pytest.raises(workflow.NotAllowed):
        workflow.assign([item.pk], agencies, "lead", personas["focal_point"])
    assert not Assignment.objects.exists()
    first = workflow.assign([item.pk], agencies, "lead", personas["coordinator"])
    again = workflow.assign([item.pk], agencies[:1], "support", personas["coordinator"])
    assert (first.created, again.created, again.changed) == (2, 0, 1)
    assert Assignment.objects.get(organization=agencies[0]).role == "support"
    assert Assignment.objects.get(organization=agencies[0]).history.first().history_user == personas["coordinator"]
    # The search and the catalog hear of it, as a change of follow-up rather than of the text.
    assert Change.objects.filter(object_id=item.pk, content=False).exists()


def test_a_report_goes_from_draft_through_returned_to_validated(assignment, personas):
    felipe, valeria = personas["focal_point"], personas["validator"]
    report = workflow.start_report(assignment, felipe, status="in-progress", narrative="Protocol drafted.")
    assert report.state == "draft" and report.created_by == felipe
    report = workflow.submit(report, felipe, report.version)
    assert report.state == "submitted" and report.submitted_by == felipe

    with pytest.raises(ValidationError):
        workflow.return_report(report, valeria, report.version, reason="  ")
    report = workflow.return_report(report, valeria, report.version, reason="Attach the protocol itself.")
    assert report.state == "returned" and report.return_reason == "Attach the protocol itself."

    report = workflow.edit_report(report, felipe, report.version, narrative="Protocol drafted and published.")
    report = workflow.submit(report, felipe, report.version)
    report = workflow.validate(report, valeria, report.version)
    assert report.state == "validated" and report.validated_by == valeria and report.validated_at
    assert not report.editable
    with pytest.raises(workflow.NotAllowed):
        workflow.edit_report(report, felipe, report.version, narrative="Changed after validation")
    assert ProgressReport.objects.get(pk=report.pk).narrative == "Protocol drafted and published."


@pytest.mark.parametrize("who", ["other_focal_point", "coordinator", "validator", "admin"])
def test_only_the_agencys_focal_points_write_its_reports(assignment, personas, who):
    with pytest.raises(workflow.NotAllowed):
        workflow.start_report(assignment, personas[who], narrative="Not mine to write")
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["focal_point", "other_validator", "coordinator"])
def test_only_the_agencys_validators_validate_or_return(assignment, personas, who):
    report = workflow.start_report(assignment, personas["focal_point"], narrative="Done.")
    report = workflow.submit(report, personas["focal_point"], report.version)
    for step in (lambda: workflow.validate(report, personas[who], report.version),
                 lambda: workflow.return_report(report, personas[who], report.version, reason="No")):
        with pytest.raises(workflow.NotAllowed):
            step()
    assert ProgressReport.objects.get(pk=report.pk).state == "submitted"


def test_a_draft_cannot_be_validated(assignment, personas):
    report = workflow.start_report(assignment, personas["focal_point"], narrative="Draft")
    with pytest.raises(workflow.NotAllowed):
        workflow.validate(report, personas["validator"], report.version)


def test_the_second_of_two_saves_is_a_conflict_that_says_what_changed(assignment, personas):
    felipe = personas["focal_point"]
    report = workflow.start_report(assignment, felipe, narrative="First words")
    loaded_by_both = report.version
    workflow.edit_report(report, felipe, loaded_by_both, narrative="Felipe's words", status="in-progress")
    with pytest.raises(workflow.Conflict) as raised:
        workflow.edit_report(report, felipe, loaded_by_both, narrative="Second tab's words")
    changes = {c["name"]: c for c in raised.value.changes}
    assert changes["narrative"]["then"] == "First words" and changes["narrative"]["now"] == "Felipe's words"
    assert changes["status"]["now"] == "In progress" and changes["narrative"]["by"] == "felipe"
    assert ProgressReport.objects.get(pk=report.pk).narrative == "Felipe's words"


def test_two_validators_deciding_at_once_do_not_both_win(assignment, personas, agencies):
    from hrtrack.accounts.models import Membership

    report = workflow.start_report(assignment, personas["focal_point"], narrative="Done.")
    report = workflow.submit(report, personas["focal_point"], report.version)
    Membership.objects.create(user=personas["other_validator"], organization=agencies[0], role="validator")
    victor = type(personas["other_validator"]).objects.get(pk=personas["other_validator"].pk)
    seen = report.version
    workflow.validate(report, personas["validator"], seen)
    with pytest.raises((workflow.Conflict, workflow.NotAllowed)):
        workflow.return_report(ProgressReport.objects.get(pk=report.pk), victor, seen, reason="Too late")
    assert ProgressReport.objects.get(pk=report.pk).state == "validated"


def test_deadlines_are_met_overdue_or_due_soon_by_computation(assignment, personas, item):
    today = datetime.date(2026, 6, 1)
    cycle = workflow.open_cycle(personas["coordinator"], title="UPR mid-term report", kind="upr-midterm",
                                due_on=datetime.date(2026, 5, 1), assignments=[assignment])
    soon = workflow.set_deadline(personas["coordinator"], item=item, assignment=assignment, title="Follow-up note",
                                 due_on=datetime.date(2026, 6, 10))
    by_pk = {d.pk: d for d in Deadline.objects.with_state(today)}
    midterm = cycle.deadlines.get()
    assert by_pk[midterm.pk].overdue and not by_pk[midterm.pk].met
    assert not by_pk[soon.pk].overdue and by_pk[soon.pk].due_soon(today)

    report = workflow.start_report(assignment, personas["focal_point"], narrative="Mid-term", deadline=midterm)
    assert Deadline.objects.with_state(today).get(pk=midterm.pk).overdue  # a draft answers nothing
    workflow.submit(report, personas["focal_point"], report.version)
    state = Deadline.objects.with_state(today).get(pk=midterm.pk)
    assert state.met and not state.overdue
    # Opening the cycle again for the same assignment does not double its deadline.
    assert Deadline.objects.filter(cycle=cycle).count() == 1


def test_an_implementation_deadline_is_met_by_a_validated_implemented_status(assignment, personas, item):
    deadline = workflow.set_deadline(personas["coordinator"], item=item, title="Law adopted",
                                     kind=Deadline.Kind.IMPLEMENTATION, due_on=datetime.date(2026, 1, 1))
    report = workflow.start_report(assignment, personas["focal_point"], status="implemented", narrative="Adopted.")
    report = workflow.submit(report, personas["focal_point"], report.version)
    assert Deadline.objects.with_state().get(pk=deadline.pk).overdue  # not validated yet
    workflow.validate(report, personas["validator"], report.version)
    assert Deadline.objects.with_state().get(pk=deadline.pk).met


def test_an_indicator_value_a_day_replaces_the_first(assignment, personas, item):
    from hrtrack.followup.models import Indicator

    indicator = Indicator.objects.create(name="Journalists under protection", unit="people",
                                         organization=assignment.organization)
    indicator.recommendations.add(item)
    workflow.record_value(indicator, personas["focal_point"], observed_on=datetime.date(2026, 1, 1), value=10)
    workflow.record_value(indicator, personas["focal_point"], observed_on=datetime.date(2026, 1, 1), value=12)
    assert list(indicator.values.values_list("value", flat=True)) == [12]
    with pytest.raises(workflow.NotAllowed):
        workflow.record_value(indicator, personas["other_focal_point"], observed_on=datetime.date(2026, 2, 1),
                              value=99)


def test_a_report_records_a_change_for_the_search_only_once_validated(assignment, personas):
    """The search reads validated reports only: a focal point's drafts, their evidence and the
    submission change none of its data, and saving them records nothing to follow; the validation does."""
    felipe, valeria = personas["focal_point"], personas["validator"]
    item_id = assignment.recommendation_id
    Change.objects.all().delete()
    report = workflow.start_report(assignment, felipe, status="in-progress", narrative="Protocol drafted.")
    report = workflow.edit_report(report, felipe, report.version, narrative="Protocol drafted and sent.")
    workflow.add_evidence(report, felipe, description="The protocol", url="https://example.org/protocol")
    report = workflow.submit(report, felipe, report.version)
    assert not Change.objects.filter(object_id=item_id).exists()
    workflow.validate(report, valeria, report.version)
    assert Change.objects.filter(subject="item", object_id=item_id, content=False).exists()

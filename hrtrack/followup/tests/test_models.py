import pytest
from django.db import IntegrityError

from hrtrack.followup.models import Assignment, Deadline, Evidence, Indicator, IndicatorValue, ProgressReport
from hrtrack.recommendations.models import Recommendation


@pytest.fixture
def assignment(agencies):
    item = Recommendation.objects.create(text="Protect journalists.")
    return Assignment.objects.create(recommendation=item, organization=agencies[0])


def test_an_agency_is_assigned_an_item_once(assignment):
    with pytest.raises(IntegrityError):
        Assignment.objects.create(recommendation=assignment.recommendation, organization=assignment.organization)


def test_a_report_period_cannot_end_before_it_starts(assignment):
    with pytest.raises(IntegrityError):
        ProgressReport.objects.create(assignment=assignment, period_start="2024-06-01", period_end="2024-01-01")


def test_a_validated_report_says_when(assignment):
    with pytest.raises(IntegrityError):
        ProgressReport.objects.create(assignment=assignment, state="validated")


def test_evidence_is_a_file_or_an_address(assignment):
    report = ProgressReport.objects.create(assignment=assignment)
    with pytest.raises(IntegrityError):
        Evidence.objects.create(report=report, description="Nothing attached")


def test_an_indicator_has_one_value_per_day(db):
    indicator = Indicator.objects.create(name="Journalists under protection", unit="people")
    IndicatorValue.objects.create(indicator=indicator, observed_on="2024-01-01", value=10)
    with pytest.raises(IntegrityError):
        IndicatorValue.objects.create(indicator=indicator, observed_on="2024-01-01", value=11)


def test_a_deadline_is_for_an_assignment_or_an_item(db):
    with pytest.raises(IntegrityError):
        Deadline.objects.create(title="Report", due_on="2025-01-01")


def test_a_report_keeps_its_history(assignment, personas):
    report = ProgressReport.objects.create(assignment=assignment)
    report._history_user = personas["focal_point"]
    report.status = "in-progress"
    report.save()
    assert [h.status for h in report.history.all()] == ["in-progress", "not-started"]
    assert report.history.first().history_user == personas["focal_point"]

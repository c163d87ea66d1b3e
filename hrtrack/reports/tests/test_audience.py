"""What each kind of reader's reports read (reports/audience.py): what the publication rule
(hrtrack.followup.publication) lets them see."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hrtrack.accounts.models import Role, User
from hrtrack.dialogues.models import Dialogue
from hrtrack.followup import publication
from hrtrack.followup.models import Evidence, ProgressReport
from hrtrack.recommendations.models import Recommendation
from hrtrack.reports.audience import audience_of


@pytest.fixture
def readers(personas):
    contributor = User.objects.create(username="cecilia", role=Role.CONTRIBUTOR)
    return {"anonymous": AnonymousUser(), "contributor": contributor, **personas}


@pytest.mark.parametrize("persona", ["anonymous", "contributor", "focal_point", "validator", "coordinator", "admin"])
def test_the_reports_read_what_the_publication_rule_lets_each_reader_see(world, readers, persona):
    user = readers[persona]
    audience = audience_of(user)
    assert audience.staff == publication.sees_unpublished(user) == (persona not in ("anonymous", "contributor"))
    assert set(audience.items) == set(publication.visible_items(user, Recommendation.objects.all()))
    assert set(audience.dialogues) == set(publication.visible_dialogues(user, Dialogue.objects.all()))
    assert audience.restricted == (persona in ("coordinator", "admin"))


def test_the_public_reads_validated_published_reports_on_published_items_and_their_published_evidence(world):
    audience = audience_of(AnonymousUser())
    expected = {r for r in ProgressReport.objects.all()
                if r.state == "validated" and r.is_published and r.assignment.recommendation.is_published}
    assert set(audience.reports) == expected
    assert {r.narrative for r in expected} == {"Se aprobó la ley general; la señora Muñoz presentó el reglamento.",
                                               "Congress passed the general law against torture."}
    assert set(audience.evidence) == {e for e in Evidence.objects.all() if e.is_published and e.report in expected}


def test_the_staff_read_every_validated_report_and_all_evidence(world, personas):
    audience = audience_of(personas["focal_point"])
    assert set(audience.reports) == set(ProgressReport.objects.validated())
    assert audience.evidence.count() == Evidence.objects.count()

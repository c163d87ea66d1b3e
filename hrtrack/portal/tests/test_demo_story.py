"""`hrtrack demo` tells the follow-up's story for Mexico, on the project's small sample here (the
shared data's run is the same code over more items): agencies and their people with printed
passwords, assignments, cycles, reports in every state with evidence, indicators, reminders."""

import importlib.util
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hrtrack.accounts.models import Membership, User
from hrtrack.dialogues.models import Dialogue
from hrtrack.directory.models import Organization, our_state
from hrtrack.followup.models import (
    Assignment,
    Deadline,
    Evidence,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingCycle,
)
from hrtrack.portal import demo_story
from hrtrack.recommendations.models import Recommendation

ACCOUNT = re.compile(r"^  (\S+) +(\S+)  \((.+?)(?:, (\S+))?; e-mails in (en|es)\)$", re.MULTILINE)


def tell(settings, tmp_path) -> str:
    settings.SHARED_DIR = tmp_path / "no-shared-here"
    out = io.StringIO()
    call_command("demo", "--no-semantic", "--no-suggestions", stdout=out)
    return out.getvalue()


@pytest.fixture
def told(db, settings, tmp_path) -> str:
    return tell(settings, tmp_path)


def accounts(out: str) -> dict[str, str]:
    return {username: password for username, password, *_rest in ACCOUNT.findall(out)}


def test_mexico_is_our_state_its_agencies_have_people_who_sign_in_with_the_printed_passwords(told):
    assert our_state().code == "MX"
    agencies = {o.acronym: o for o in Organization.objects.agencies()}
    assert {"SRE", "SEGOB", "FGR", "SEDENA", "SEMAR", "CNDH", "SNDIF", "INMUJERES"} <= set(agencies)
    assert agencies["FGR"].name == "Attorney-General's Office"
    assert agencies["FGR"].name_es == "Fiscalía General de la República"
    # The dialogue's statement named the Ministry of Foreign Affairs: one agency, not two.
    assert Organization.objects.filter(country__code="MX", name="Ministry of Foreign Affairs").count() == 1
    # Each agency has a focal point and a validator, who sign in with the password printed for them.
    printed = accounts(told)
    assert len(printed) == 1 + 2 * len(demo_story.AGENCIES)
    for username in ("coordinator", "segob-focal", "segob-validator", "fgr-focal"):
        assert authenticate(username=username, password=printed[username]) is not None, username
    assert User.objects.get(username="coordinator").is_coordinator
    segob = Organization.objects.get(acronym="SEGOB")
    assert set(Membership.objects.filter(organization=segob).values_list("user__username", "role")) == {
        ("segob-focal", "focal-point"), ("segob-validator", "validator")}
    assert Membership.objects.get(user__username="segob-focal").added_by.username == "coordinator"
    # The administrator's line comes first, as before the story.
    assert told.index("Sign in as admin with password") < told.index("Demo people")


def test_mexicos_items_are_assigned_by_theme_and_the_dialogues_commitments_to_foreign_affairs(told):
    mexico = Recommendation.objects.addressed_to("MX")
    torture = mexico.filter(text__contains="register of cases of torture").get()
    assert torture.assignments.get(role="lead").organization.acronym == "FGR"
    assert {a.organization.acronym for a in torture.assignments.filter(role="support")} == {"SEDENA", "SEMAR"}
    dialogue = Dialogue.objects.filter(parties__code="MX").filter(parties__code="US").get()
    for commitment in dialogue.commitments.all():
        assert commitment.assignments.get(role="lead").organization.acronym == "SRE"
    # An item none of whose themes the story knows is left for the suggested agencies.
    assert mexico.filter(text__contains="voluntary mid-term report", assignments__isnull=True).exists()
    # Nothing of other states' items.
    assert not Assignment.objects.exclude(recommendation__in=mexico).exists()


def test_reports_stand_in_every_state_with_evidence_beside_deadlines_overdue_and_indicators(told):
    states = set(ProgressReport.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "returned", "validated"}
    returned = ProgressReport.objects.get(state="returned")
    assert returned.return_reason.startswith("The note covers the consulates")
    assert all(r.narrative.startswith("Demo report: ") for r in ProgressReport.objects.all())
    # Returned once, corrected, submitted again: the report's history keeps the return.
    once_returned = ProgressReport.history.filter(state="returned").exclude(id=returned.pk)
    corrected = ProgressReport.objects.get(state="submitted", pk__in=once_returned.values("id"))
    assert once_returned.filter(id=corrected.pk).first().return_reason
    types = set(Evidence.objects.exclude(file="").values_list("content_type", flat=True))
    assert types == {"application/pdf", "image/png", "text/csv", "text/plain"}
    for evidence in Evidence.objects.exclude(file=""):
        assert evidence.file.storage.exists(evidence.file.name) and evidence.sha256 and evidence.size
    assert Evidence.objects.filter(file="", url="https://www.gob.mx/sre").exists()
    # Deadlines overdue and due soon; indicators with values over time.
    assert set(ReportingCycle.objects.values_list("kind", flat=True)) == {"upr-midterm", "dialogue-round"}
    overdue = Deadline.objects.overdue()
    assert overdue.filter(cycle__kind="dialogue-round").exists()
    assert overdue.filter(title="Quarterly figures of the protection mechanism").exists()
    assert any(d.due_soon() for d in Deadline.objects.with_state().filter(cycle__kind="upr-midterm"))
    shelters = Indicator.objects.get(name="Shelters for women operating")
    assert [float(v) for v in shelters.values.values_list("value", flat=True)] == [62, 66, 71, 75, 79]
    assert shelters.values.filter(report__state="validated").exists()
    assert IndicatorValue.objects.count() == 10


def test_a_demo_focal_points_work_and_a_validators_queue_are_not_empty_and_reminders_are_queued(told, client):
    printed = accounts(told)
    assert client.login(username="segob-focal", password=printed["segob-focal"])
    work = client.get("/my-work.json").json()
    assert work["assignments"]["count"] > 0 and work["drafts"]["count"] > 0
    assert client.login(username="fgr-validator", password=printed["fgr-validator"])
    assert client.get("/my-work.json").json()["to_validate"]["count"] == 1
    # And the daily job will remind them.
    assert DBTaskResult.objects.filter(task_path="hrtrack.followup.tasks.daily_reminders_job",
                                       status="READY").count() == 1


def counts() -> dict:
    models = [Organization, User, Membership, Assignment, ReportingCycle, Deadline, ProgressReport, Evidence,
              Indicator, IndicatorValue, Recommendation, Dialogue]
    return {model.__name__: model.objects.count() for model in models} | {
        "reminder jobs": DBTaskResult.objects.filter(task_path="hrtrack.followup.tasks.daily_reminders_job").count()}


def test_telling_it_again_adds_nothing_and_gives_everyone_a_new_password(told, settings, tmp_path):
    before, first = counts(), accounts(told)
    again = tell(settings, tmp_path)
    assert counts() == before
    second = accounts(again)
    assert set(second) == set(first) and all(second[name] != first[name] for name in first)
    assert authenticate(username="segob-focal", password=first["segob-focal"]) is None
    assert authenticate(username="segob-focal", password=second["segob-focal"]) is not None
    assert "written on an earlier run" in again


def test_an_agency_a_statement_spelled_with_a_curly_quote_is_the_same_agency(db, settings, tmp_path):
    """The shared data's statements write "Attorney-General’s Office": the story completes that
    organization rather than make a second Attorney-General's Office beside it."""
    from hrtrack.directory.models import Country

    named = Organization.objects.create(name="Attorney-General\u2019s Office", country=Country.objects.get(code="MX"))
    tell(settings, tmp_path)
    offices = Organization.objects.filter(country__code="MX", name__icontains="attorney")
    assert list(offices) == [named]
    named.refresh_from_db()
    assert (named.acronym, named.name, named.name_es) == (
        "FGR", "Attorney-General's Office", "Fiscalía General de la República")
    assert Assignment.objects.filter(organization=named).exists()


def test_the_evidence_files_are_the_ones_their_script_writes():
    path = demo_story.EVIDENCE_DIR / "make_evidence.py"
    spec = importlib.util.spec_from_file_location("make_evidence", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name, make in script.FILES.items():
        assert (demo_story.EVIDENCE_DIR / name).read_bytes() == make(), f"{name}: run {path} again"
    assert script.SHELTERS == demo_story.SHELTERS  # the chart and the indicator tell the same figures

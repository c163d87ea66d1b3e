"""Who may do what, as a matrix: every role (a visitor, a civil-society contributor, the Ministry
of the Interior's focal point and validator, Foreign Affairs' focal point and validator, the
coordinator, the administrator) tries every action on the Interior's assignment, its draft, its
submitted report and its evidence, on the page and on its JSON twin. Each answer's status is the
one the rules give (``followup.rules``): the action's success, or 302 to sign in, 401, 403 or
404, and a refusal changes nothing in the database; a success changes something.

Another agency's draft is not there for Foreign Affairs' people (404, whatever id they type);
Interior's own validator sees it but may not change it (403). The admin keeps the same rules
(the last tests; the admin's own doors are tried in ``portal/tests/test_admin_restricted.py``).
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from hrtrack.accounts.models import Membership, Role, User
from hrtrack.directory.models import Country, PlatformSettings
from hrtrack.followup.models import (
    Assignment,
    Deadline,
    Evidence,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingCycle,
)
from hrtrack.recommendations.models import Recommendation

ROLES = ["anonymous", "contributor", "focal_point", "other_focal_point", "validator", "other_validator",
         "coordinator", "admin"]
MECHANISM = {"coordinator", "admin"}
OTHER_AGENCY = {"other_focal_point", "other_validator"}
EVERY_STAFF_MEMBER = {"focal_point", "other_focal_point", "validator", "other_validator", *MECHANISM}
DRAFT_TEXT = "The Interior draft: the bill is still with the legal office."


@pytest.fixture
def world(db, personas, agencies):
    """Our state (Mexico), an item assigned to the Ministry of the Interior with a draft (and its
    evidence file) and a submitted report, an item nobody has yet, an indicator of the Interior,
    and Nora, a focal point of no agency yet."""
    interior, foreign = agencies
    mx = Country.objects.get(code="MX")
    PlatformSettings.objects.update_or_create(pk=1, defaults={"state": mx})
    item = Recommendation.objects.create(text="Adopt a general law against torture.")
    item.recipients.set([mx])
    other_item = Recommendation.objects.create(text="Ratify the Optional Protocol against torture.")
    other_item.recipients.set([mx])
    assignment = Assignment.objects.create(recommendation=item, organization=interior)
    draft = ProgressReport.objects.create(assignment=assignment, narrative=DRAFT_TEXT,
                                          created_by=personas["focal_point"])
    submitted = ProgressReport.objects.create(assignment=assignment, narrative="Interior's submitted report.",
                                              state="submitted", submitted_at=timezone.now(),
                                              submitted_by=personas["focal_point"])
    evidence = Evidence(report=draft, description="The bill's draft", file_name="bill.pdf",
                        content_type="application/pdf")
    evidence.file.save("bill.pdf", ContentFile(b"%PDF-1.4 the bill"), save=False)
    evidence.save()
    indicator = Indicator.objects.create(name="Investigations opened", organization=interior)
    indicator.recommendations.add(item)
    nora = User.objects.create(username="nora", role=Role.FOCAL_POINT)
    cecilia = User.objects.create(username="cecilia", role=Role.CONTRIBUTOR)
    return SimpleNamespace(interior=interior, foreign=foreign, item=item, other_item=other_item,
                           assignment=assignment, draft=draft, submitted=submitted, evidence=evidence,
                           indicator=indicator, nora=nora, people={**personas, "contributor": cecilia})


def sign_in(client, world, role):
    if role != "anonymous":
        client.force_login(world.people[role])
    return client


def snapshot(world) -> dict:
    """Everything an action could change."""
    return {
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk", "recommendation_id",
                                                                          "organization_id", "role", "version")),
        "reports": list(ProgressReport.objects.order_by("pk").values_list("pk", "state", "status", "narrative",
                                                                          "version", "return_reason")),
        "evidence": list(Evidence.objects.order_by("pk").values_list("pk", "file")),
        "members": list(Membership.objects.order_by("pk").values_list("user_id", "organization_id", "role")),
        "values": list(IndicatorValue.objects.order_by("pk").values_list("indicator_id", "observed_on", "value")),
        "cycles": list(ReportingCycle.objects.values_list("pk", flat=True)),
        "deadlines": list(Deadline.objects.values_list("pk", flat=True)),
    }


@dataclass
class Action:
    """One thing a person may try, by its URL name (the twin's is ``<name>_json``)."""

    name: str
    url: str
    args: Callable = lambda w: []
    data: Callable | None = None  # POST with these fields; GET without
    allowed: set = field(default_factory=set)
    hidden_from: set = field(default_factory=set)  # refused with 404: the object is not there for them
    ok_page: int = 302
    ok_twin: int = 200
    has_twin: bool = True
    staff_only: bool = True  # anonymous visitors sign in first, contributors are refused

    @property
    def changes(self) -> bool:
        return self.data is not None


def future(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


ACTIONS = [
    Action("view assignment", "followup:assignment", lambda w: [w.assignment.pk], allowed=EVERY_STAFF_MEMBER,
           ok_page=200),
    Action("view draft report", "followup:report", lambda w: [w.draft.pk],
           allowed={"focal_point", "validator", *MECHANISM}, hidden_from=OTHER_AGENCY, ok_page=200),
    Action("create report", "followup:report_new", lambda w: [w.assignment.pk],
           lambda w: {"status": "in-progress", "narrative": "A new report."}, allowed={"focal_point"}, ok_twin=201),
    Action("edit draft", "followup:report_edit", lambda w: [w.draft.pk],
           lambda w: {"version": w.draft.version, "status": "in-progress", "narrative": "Corrected."},
           allowed={"focal_point"}, hidden_from=OTHER_AGENCY),
    Action("submit", "followup:report_submit", lambda w: [w.draft.pk], lambda w: {"version": w.draft.version},
           allowed={"focal_point"}, hidden_from=OTHER_AGENCY),
    Action("validate", "followup:report_validate", lambda w: [w.submitted.pk],
           lambda w: {"version": w.submitted.version}, allowed={"validator"}, hidden_from=OTHER_AGENCY),
    Action("return", "followup:report_return", lambda w: [w.submitted.pk],
           lambda w: {"version": w.submitted.version, "reason": "Add the bill's number."}, allowed={"validator"},
           hidden_from=OTHER_AGENCY),
    # A file, not a page: it has no JSON twin (the report's twin lists its address), and it
    # answers 404 to whoever may not read the report, signed in or not.
    Action("download evidence", "followup:evidence", lambda w: [w.draft.pk, w.evidence.pk],
           allowed={"focal_point", "validator", *MECHANISM},
           hidden_from={*OTHER_AGENCY, "anonymous", "contributor"}, ok_page=200, has_twin=False, staff_only=False),
    Action("assign", "followup:assign", lambda w: [w.other_item.pk],
           lambda w: {"agencies": [w.interior.pk], "role": "lead"}, allowed=MECHANISM, ok_twin=201),
    Action("bulk assign", "followup:assign_bulk", data=lambda w: {"agencies": [w.foreign.pk], "q": "torture"},
           allowed=MECHANISM, ok_twin=201),
    Action("add agency member", "followup:agency_member_add", lambda w: [w.interior.pk],
           lambda w: {"username": "nora", "role": "focal-point"}, allowed=MECHANISM, ok_twin=201),
    Action("record indicator value", "followup:indicator_value", lambda w: [w.indicator.pk],
           lambda w: {"observed_on": "2024-01-31", "value": "12"}, allowed={"focal_point", *MECHANISM},
           ok_twin=201),
    Action("open cycle", "followup:cycle_new",
           data=lambda w: {"title": "UPR mid-term report", "cycle_kind": "upr-midterm", "due_on": future(90),
                           "remind_days_before": "14", "q": "general law"}, allowed=MECHANISM, ok_twin=201),
    Action("view my work", "followup:my_work", allowed=EVERY_STAFF_MEMBER, ok_page=200),
    Action("view dashboard", "followup:dashboard", allowed=EVERY_STAFF_MEMBER, ok_page=200),
]

CASES = [(action, twin) for action in ACTIONS for twin in ([False, True] if action.has_twin else [False])]


def expected(action: Action, role: str, twin: bool) -> int:
    if role in action.allowed:
        return action.ok_twin if twin else action.ok_page
    if role in action.hidden_from:
        return 404
    if action.staff_only and role == "anonymous":
        return 401 if twin else 302
    return 403


def send(client, action: Action, world, twin: bool):
    url = reverse(action.url + ("_json" if twin else ""), args=action.args(world))
    if action.data is None:
        return client.get(url)
    data = action.data(world)
    if twin:
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action, twin", CASES,
                         ids=[f"{a.name.replace(' ', '_')}-{'twin' if t else 'page'}" for a, t in CASES])
def test_each_role_does_only_what_the_rules_allow_and_a_refusal_changes_nothing(client, world, role, action, twin):
    sign_in(client, world, role)
    before = snapshot(world)
    response = send(client, action, world, twin)
    status = expected(action, role, twin)
    assert response.status_code == status, response.content[:300]
    allowed = role in action.allowed
    if allowed and action.changes:
        assert snapshot(world) != before, "a success changes something"
    else:
        assert snapshot(world) == before, "a refusal (or a page that only shows) changes nothing"
    if status == 302 and not allowed:
        assert response["Location"].startswith("/accounts/login/")
    if status == 302 and allowed:
        assert not response["Location"].startswith("/accounts/login/")
    if twin and not allowed:
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]
    if not allowed:
        assert DRAFT_TEXT.encode() not in response.content


@pytest.mark.parametrize("role", sorted(OTHER_AGENCY))
def test_another_agencys_people_see_who_is_responsible_but_not_its_draft(client, world, role):
    sign_in(client, world, role)
    page = client.get(reverse("followup:assignment", args=[world.assignment.pk]))
    twin = client.get(reverse("followup:assignment_json", args=[world.assignment.pk]))
    assert page.status_code == twin.status_code == 200
    assert DRAFT_TEXT not in page.content.decode()
    assert DRAFT_TEXT not in twin.content.decode()
    assert [r["id"] for r in twin.json()["reports"]] == []


@pytest.mark.parametrize("role", sorted(OTHER_AGENCY))
def test_changing_the_id_in_a_form_reaches_no_other_agencys_draft(client, world, role):
    """Foreign Affairs' people send their own draft's version with the Interior's draft's id."""
    theirs = Assignment.objects.create(recommendation=world.other_item, organization=world.foreign)
    own = ProgressReport.objects.create(assignment=theirs, narrative="Foreign Affairs' own draft.")
    sign_in(client, world, role)
    before = snapshot(world)
    for name in ("followup:report_edit_json", "followup:report_submit_json"):
        response = client.post(reverse(name, args=[world.draft.pk]),
                               json.dumps({"version": own.version, "status": "implemented", "narrative": "Mine."}),
                               content_type="application/json")
        assert response.status_code == 404
    assert snapshot(world) == before


# The admin: the same rules, for the same people given admin access


ADMIN_EXPECTED = {  # the draft's change page (read only for all), and its history
    "focal_point": (200, 200), "validator": (200, 200), "coordinator": (200, 200), "admin": (200, 200),
    "other_focal_point": (302, 404), "other_validator": (302, 404),
}


@pytest.fixture
def staff_world(world):
    """Every agency role and the coordinator given admin access with every permission on the follow-up."""
    perms = list(Permission.objects.filter(content_type__app_label="followup"))
    for role in ADMIN_EXPECTED:
        person = world.people[role]
        person.is_staff = True
        person.save()
        person.user_permissions.set(perms)
    return world


@pytest.mark.parametrize("role", list(ADMIN_EXPECTED))
def test_the_admin_shows_a_draft_only_to_whom_the_rules_do_and_lets_nobody_change_it(client, staff_world, role):
    world = staff_world
    sign_in(client, world, role)
    change = reverse("admin:followup_progressreport_change", args=[world.draft.pk])
    history = reverse("admin:followup_progressreport_history", args=[world.draft.pk])
    page_status, history_status = ADMIN_EXPECTED[role]
    response = client.get(change)
    assert response.status_code == page_status
    assert (DRAFT_TEXT in response.content.decode()) == (page_status == 200)
    assert client.get(history).status_code == history_status
    before = snapshot(world)
    response = client.post(change, {"assignment": world.assignment.pk, "status": "implemented", "state": "validated",
                                    "narrative": "Validated in the admin.", "evidence-TOTAL_FORMS": "0",
                                    "evidence-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    assert client.get(reverse("admin:followup_evidence_change", args=[world.evidence.pk])).status_code == (
        200 if page_status == 200 else 302)
    assert snapshot(world) == before


@pytest.mark.parametrize("role", ["anonymous", "contributor"])
def test_the_admin_is_closed_to_visitors_and_contributors(client, world, role):
    sign_in(client, world, role)
    response = client.get(reverse("admin:followup_progressreport_change", args=[world.draft.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

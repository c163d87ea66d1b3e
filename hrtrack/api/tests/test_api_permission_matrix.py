"""Who may do what through the API, as a matrix: the follow-up's permission matrix
(hrtrack/followup/tests/test_permission_matrix.py: its world, its roles, its snapshot) extended to
every operation of /api/v1/. Each role (a visitor, a civil-society contributor, the Interior's focal
point and validator, Foreign Affairs' focal point and validator, the coordinator, the administrator)
calls each operation with a personal token of its own (the visitor with none). Each answer's status
is the one the rules give (``followup.rules``, the publication rule, the review and import rules): the
operation's success, or 401 without credentials, 403 for a role that may not, 404 for what is not there
for them; a refusal is JSON with an error, changes nothing in the database and shows no draft; a
successful write changes something.

A test also checks that the schema lists no operation the matrix does not cover.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hrtrack.dialogues.models import Dialogue, DialogueSeries
from hrtrack.directory.models import Country
from hrtrack.followup.tests.test_permission_matrix import (
    DRAFT_TEXT,
    EVERY_STAFF_MEMBER,
    MECHANISM,
    OTHER_AGENCY,
    ROLES,
    snapshot,
)
from hrtrack.followup.tests.test_permission_matrix import world as matrix_world  # noqa: F401  (a fixture)
from hrtrack.ingest.models import ImportRun
from hrtrack.ingest.tests.test_upr_info import ROWS, upr_csv
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept, ConceptScheme

HIDDEN_DIALOGUE = "The unpublished Fourth Dialogue"
PUBLIC_ITEM = "Publish the registry of the disappeared."


@pytest.fixture
def api_world(matrix_world, settings):  # noqa: F811  (the fixture imported above)
    """The follow-up matrix's world (nothing in it published), plus a published item, a dialogue series
    with a published and an unpublished round, a model's suggestion waiting for review on the
    Interior's item, and an import the coordinator ran."""
    world = matrix_world
    settings.HRTRACK_API_RATE_ADDRESS = settings.HRTRACK_API_RATE_TOKEN = "100000/minute"
    now = timezone.now()
    mx = Country.objects.get(code="MX")
    public = Recommendation.objects.create(text=PUBLIC_ITEM, published_at=now)
    public.recipients.set([mx])
    series = DialogueSeries.objects.create(name="EU-Mexico High Level Dialogue", slug="eu-mx")
    published = Dialogue.objects.create(series=series, edition=8, title="Eighth EU-Mexico Dialogue", language="en",
                                        date_start="2019-05-20", published_at=now)
    hidden = Dialogue.objects.create(series=series, edition=9, title=HIDDEN_DIALOGUE, language="en",
                                     date_start="2020-05-20")
    scheme, _made = ConceptScheme.objects.get_or_create(slug="upr-issues", defaults={"name_en": "UPR Info issues"})
    torture, _made = Concept.objects.get_or_create(scheme=scheme, code="torture", defaults={"label_en": "Torture"})
    suggestion = ConceptLink.objects.create(recommendation=world.item, concept=torture,
                                            origin=ConceptLink.Origin.MODEL, confidence=0.9, model_name="themes")
    run = ImportRun.objects.create(source="upr-info", file_name="upr.csv", started_by=world.people["coordinator"],
                                   status=ImportRun.Status.DONE)
    world.public, world.series, world.dialogue, world.hidden_dialogue = public, series, published, hidden
    world.suggestion, world.run = suggestion, run
    return world


def api_snapshot(world) -> dict:
    """Everything an operation could change: the follow-up's, and the items, reviews and imports."""
    return {**snapshot(world),
            "items": list(Recommendation.objects.order_by("pk").values_list("pk", "text", "published_at")),
            "links": list(ConceptLink.objects.order_by("pk").values_list("pk", "confirmed")),
            "imports": list(ImportRun.objects.order_by("pk").values_list("pk", "status"))}


@dataclass
class Operation:
    """One API operation as a role calls it: its method and path in the schema, the path it is called
    at, the body sent, who succeeds, and who is told it is not there."""

    name: str
    method: str
    route: str  # as the schema writes it
    path: object  # world -> the address called
    body: object = None  # world -> JSON fields (or "upload" for a multipart file)
    allowed: set = field(default_factory=lambda: set(ROLES))
    hidden_from: set = field(default_factory=set)
    ok: int = 200
    signed_in_only: bool = False  # a visitor without credentials gets 401

    @property
    def writes(self) -> bool:
        return self.method == "POST"


EVERYONE = set(ROLES)
PUBLIC = {"anonymous", "contributor"}
REPORTERS = {"focal_point"}  # followup.rules.can_report_on / can_edit_report: the agency's focal points
VALIDATORS = {"validator"}  # can_validate: the agency's validators
SEES_INTERIOR_DRAFTS = {"focal_point", "validator", *MECHANISM}

OPERATIONS = [
    Operation("the index", "GET", "/api/v1/", lambda w: "/api/v1/"),
    Operation("list items", "GET", "/api/v1/recommendations", lambda w: "/api/v1/recommendations"),
    Operation("read an unpublished item", "GET", "/api/v1/recommendations/{id}",
              lambda w: f"/api/v1/recommendations/{w.item.pk}", allowed=EVERY_STAFF_MEMBER, hidden_from=PUBLIC),
    Operation("read a published item", "GET", "/api/v1/recommendations/{id}",
              lambda w: f"/api/v1/recommendations/{w.public.pk}"),
    Operation("assign an item", "POST", "/api/v1/recommendations/{id}/assign",
              lambda w: f"/api/v1/recommendations/{w.other_item.pk}/assign",
              lambda w: {"agencies": [w.interior.pk], "role": "lead"}, allowed=MECHANISM, ok=201),
    Operation("list dialogues", "GET", "/api/v1/dialogues", lambda w: "/api/v1/dialogues"),
    Operation("read an unpublished dialogue", "GET", "/api/v1/dialogues/{id}",
              lambda w: f"/api/v1/dialogues/{w.hidden_dialogue.pk}", allowed=EVERY_STAFF_MEMBER, hidden_from=PUBLIC),
    Operation("read a published dialogue", "GET", "/api/v1/dialogues/{id}",
              lambda w: f"/api/v1/dialogues/{w.dialogue.pk}"),
    Operation("read a series", "GET", "/api/v1/series/{slug}", lambda w: f"/api/v1/series/{w.series.slug}"),
    Operation("list reports", "GET", "/api/v1/reports", lambda w: "/api/v1/reports"),
    Operation("read a draft report", "GET", "/api/v1/reports/{id}", lambda w: f"/api/v1/reports/{w.draft.pk}",
              allowed=SEES_INTERIOR_DRAFTS, hidden_from={*OTHER_AGENCY, *PUBLIC}),
    Operation("create a report", "POST", "/api/v1/assignments/{id}/reports",
              lambda w: f"/api/v1/assignments/{w.assignment.pk}/reports",
              lambda w: {"status": "in-progress", "narrative": "A new report."}, allowed=REPORTERS, ok=201),
    Operation("edit a draft", "POST", "/api/v1/reports/{id}/edit", lambda w: f"/api/v1/reports/{w.draft.pk}/edit",
              lambda w: {"version": w.draft.version, "status": "in-progress", "narrative": "Corrected."},
              allowed=REPORTERS, hidden_from=OTHER_AGENCY),
    Operation("add evidence", "POST", "/api/v1/reports/{id}/evidence",
              lambda w: f"/api/v1/reports/{w.draft.pk}/evidence",
              lambda w: {"url": "https://dof.gob.mx/nota_detalle.php?codigo=1", "description": "The gazette"},
              allowed=REPORTERS, hidden_from=OTHER_AGENCY, ok=201),
    Operation("submit a draft", "POST", "/api/v1/reports/{id}/submit",
              lambda w: f"/api/v1/reports/{w.draft.pk}/submit", lambda w: {"version": w.draft.version},
              allowed=REPORTERS, hidden_from=OTHER_AGENCY),
    Operation("validate", "POST", "/api/v1/reports/{id}/validate",
              lambda w: f"/api/v1/reports/{w.submitted.pk}/validate", lambda w: {"version": w.submitted.version},
              allowed=VALIDATORS, hidden_from=OTHER_AGENCY),
    Operation("return", "POST", "/api/v1/reports/{id}/return", lambda w: f"/api/v1/reports/{w.submitted.pk}/return",
              lambda w: {"version": w.submitted.version, "reason": "Add the bill's number."},
              allowed=VALIDATORS, hidden_from=OTHER_AGENCY),
    Operation("list themes", "GET", "/api/v1/themes", lambda w: "/api/v1/themes"),
    Operation("list mechanisms", "GET", "/api/v1/mechanisms", lambda w: "/api/v1/mechanisms"),
    Operation("list states", "GET", "/api/v1/states", lambda w: "/api/v1/states"),
    Operation("search", "GET", "/api/v1/search", lambda w: "/api/v1/search?q=torture"),
    Operation("list suggestions", "GET", "/api/v1/suggestions", lambda w: "/api/v1/suggestions",
              allowed=MECHANISM, signed_in_only=True),
    Operation("decide on suggestions", "POST", "/api/v1/suggestions/decide", lambda w: "/api/v1/suggestions/decide",
              lambda w: {"decision": "confirm", "link": [w.suggestion.pk]}, allowed=MECHANISM),
    Operation("import a file", "POST", "/api/v1/imports", lambda w: "/api/v1/imports", "upload",
              allowed=MECHANISM, ok=202),
    Operation("follow an import", "GET", "/api/v1/imports/{id}", lambda w: f"/api/v1/imports/{w.run.pk}",
              allowed=MECHANISM, signed_in_only=True),
]


def expected(operation: Operation, role: str) -> int:
    if role in operation.allowed:
        return operation.ok
    if role == "anonymous" and (operation.writes or operation.signed_in_only):
        return 401
    if role in operation.hidden_from:
        return 404
    return 403


def call(operation: Operation, world, role: str):
    client = Client(enforce_csrf_checks=True)
    headers = {}
    if role != "anonymous":
        from hrtrack.api.models import ApiToken

        headers["HTTP_AUTHORIZATION"] = f"Token {ApiToken.create_for(world.people[role], 'matrix')[1]}"
    path = operation.path(world)
    if not operation.writes:
        return client.get(path, **headers)
    if operation.body == "upload":
        upload = SimpleUploadedFile("upr.csv", upr_csv(ROWS).encode(), content_type="text/csv")
        return client.post(path, {"source": "upr-info", "file": upload}, **headers)
    return client.post(path, json.dumps(operation.body(world)), content_type="application/json", **headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name.replace(" ", "_") for o in OPERATIONS])
def test_each_role_does_through_the_api_only_what_the_rules_allow_and_a_refusal_changes_nothing(
        api_world, role, operation):
    world = api_world
    before = api_snapshot(world)
    response = call(operation, world, role)
    status = expected(operation, role)
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"].startswith("application/json")
    allowed = role in operation.allowed
    if allowed and operation.writes:
        assert api_snapshot(world) != before, "a successful write changes something"
    else:
        assert api_snapshot(world) == before, "a refusal (or a read) changes nothing"
    if not allowed:
        assert response.json()["error"]
    if role not in SEES_INTERIOR_DRAFTS:
        assert DRAFT_TEXT.encode() not in response.content
    if role in PUBLIC:
        assert HIDDEN_DIALOGUE.encode() not in response.content
        assert world.item.text.encode() not in response.content  # the unpublished item


@pytest.mark.parametrize("role", ROLES)
def test_the_lists_show_each_role_what_the_rules_let_it_see(api_world, role):
    """Read answers that do not refuse may still leave things out: the lists of items, dialogues and
    reports hold the unpublished ones and the drafts only for whom may see them."""
    world = api_world
    client = Client()
    headers = {}
    if role != "anonymous":
        from hrtrack.api.models import ApiToken

        headers["HTTP_AUTHORIZATION"] = f"Token {ApiToken.create_for(world.people[role], 'matrix')[1]}"
    items = client.get("/api/v1/recommendations", **headers).json()
    dialogues = client.get(f"/api/v1/series/{world.series.slug}", **headers).content.decode()
    reports = client.get("/api/v1/reports", **headers).content.decode()
    texts = json.dumps(items)
    assert PUBLIC_ITEM in texts
    assert (world.item.text in texts) == (role in EVERY_STAFF_MEMBER)
    assert (HIDDEN_DIALOGUE in dialogues) == (role in EVERY_STAFF_MEMBER)
    assert (DRAFT_TEXT in reports) == (role in SEES_INTERIOR_DRAFTS)


def test_the_matrix_covers_every_operation_of_the_schema(api_world):
    schema = Client().get("/api/v1/openapi.json").json()
    in_schema = {(method.upper(), route) for route, operations in schema["paths"].items()
                 for method in operations if method in ("get", "post", "put", "patch", "delete")}
    assert in_schema == {(o.method, o.route) for o in OPERATIONS}


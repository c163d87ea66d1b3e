"""Writing through the API with personal tokens: assignments, reports from draft to validated,
evidence, decisions on suggestions and imports, allowed to the same roles and agencies as the
pages (the same views decide), recorded with who did it; a session's write needs its CSRF token."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrtrack.followup.models import Assignment, Evidence, ProgressReport

from .conftest import PDF, pdf


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


# Assignments -----------------------------------------------------------------------------------


def test_a_coordinators_token_assigns_an_item_and_the_history_names_them(world, token_client, personas, agencies):
    item = world["commitment"]
    response = post_json(token_client("coordinator"), f"/api/v1/recommendations/{item.pk}/assign",
                         {"agencies": [agencies[1].pk], "role": "support", "note": "Please report."})
    assert response.status_code == 201, response.content
    assignment = Assignment.objects.get(recommendation=item)
    assert (assignment.organization, assignment.role, assignment.note) == (agencies[1], "support", "Please report.")
    assert assignment.history.first().history_user == personas["coordinator"]
    assert response.json()["assignments"][0]["url"].startswith("http://testserver/")


@pytest.mark.parametrize("who", ["focal_point", "validator"])
def test_agency_people_may_not_assign(world, token_client, agencies, who):
    response = post_json(token_client(who), f"/api/v1/recommendations/{world['commitment'].pk}/assign",
                         {"agencies": [agencies[1].pk]})
    assert response.status_code == 403 and response.json()["error"]
    assert not Assignment.objects.filter(recommendation=world["commitment"]).exists()


def test_an_anonymous_write_is_a_401_that_says_how_to_sign_in(client, world, agencies):
    response = post_json(client, f"/api/v1/recommendations/{world['commitment'].pk}/assign",
                         {"agencies": [agencies[1].pk]})
    assert response.status_code == 401 and response.json()["error"]
    assert response["WWW-Authenticate"] == "Token"


def test_an_assignment_to_an_unknown_agency_is_a_400_naming_the_field(world, token_client):
    response = post_json(token_client("coordinator"), f"/api/v1/recommendations/{world['commitment'].pk}/assign",
                         {"agencies": [999999]})
    assert response.status_code == 400 and "agencies" in response.json()["fields"]


def test_a_sessions_write_needs_its_csrf_token_and_a_tokens_does_not(world, personas, agencies, token_client):
    url = f"/api/v1/recommendations/{world['commitment'].pk}/assign"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["coordinator"])
    refused = post_json(browser, url, {"agencies": [agencies[1].pk]})
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    assert not Assignment.objects.filter(recommendation=world["commitment"]).exists()
    browser.get("/account/tokens/")  # a page sets the CSRF cookie
    response = browser.post(url, json.dumps({"agencies": [agencies[1].pk]}), content_type="application/json",
                            HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert response.status_code == 201
    assert post_json(token_client("coordinator"), url, {"agencies": [agencies[0].pk]}).status_code == 201


# Reports ---------------------------------------------------------------------------------------


def test_a_focal_point_writes_submits_and_a_validator_validates(world, token_client, personas):
    focal, validator = token_client("focal_point"), token_client("validator")
    created = post_json(focal, f"/api/v1/assignments/{world['assignment'].pk}/reports",
                        {"status": "implemented", "narrative": "Law enacted."})
    assert created.status_code == 201, created.content
    report = ProgressReport.objects.get(pk=created.json()["id"])
    assert (report.state, report.created_by) == ("draft", personas["focal_point"])
    submitted = post_json(focal, f"/api/v1/reports/{report.pk}/submit", {"version": report.version})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    report.refresh_from_db()
    assert post_json(validator, f"/api/v1/reports/{report.pk}/validate",
                     {"version": report.version}).status_code == 200
    report.refresh_from_db()
    assert (report.state, report.validated_by) == ("validated", personas["validator"])


def test_a_validator_returns_a_report_with_a_reason(world, token_client, personas):
    from hrtrack.followup import workflow

    report = workflow.submit(world["draft"], personas["focal_point"], world["draft"].version)
    response = post_json(token_client("validator"), f"/api/v1/reports/{report.pk}/return",
                         {"version": report.version, "reason": "Add the gazette."})
    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.state, report.return_reason) == ("returned", "Add the gazette.")


@pytest.mark.parametrize("who, status", [("other_focal_point", 403), ("coordinator", 403), ("validator", 403)])
def test_only_the_agencys_focal_points_write_its_reports(world, token_client, who, status):
    response = post_json(token_client(who), f"/api/v1/assignments/{world['assignment'].pk}/reports",
                         {"status": "implemented"})
    assert response.status_code == status and response.json()["error"]
    assert ProgressReport.objects.count() == 2


def test_another_agencys_validator_does_not_even_see_the_report(world, token_client, personas):
    from hrtrack.followup import workflow

    report = workflow.submit(world["draft"], personas["focal_point"], world["draft"].version)
    response = post_json(token_client("other_validator"), f"/api/v1/reports/{report.pk}/validate",
                         {"version": report.version})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.state == "submitted"


def test_a_step_on_a_stale_version_is_a_409_with_what_changed(world, token_client):
    draft = world["draft"]
    response = post_json(token_client("focal_point"), f"/api/v1/reports/{draft.pk}/submit",
                         {"version": draft.version - 1})
    assert response.status_code == 409 and response.json()["version"] == draft.version
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_report_is_corrected_through_edit(world, token_client):
    draft = world["draft"]
    response = post_json(token_client("focal_point"), f"/api/v1/reports/{draft.pk}/edit",
                         {"version": draft.version, "status": "in-progress", "narrative": "Started."})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.narrative) == ("in-progress", "Started.")


# Evidence --------------------------------------------------------------------------------------


def stored(settings):
    return sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def test_a_focal_point_uploads_evidence_checked_by_its_content(world, token_client, settings, personas):
    before = len(stored(settings))
    response = token_client("focal_point").post(f"/api/v1/reports/{world['draft'].pk}/evidence",
                                                {"file": pdf("decree.pdf"), "description": "The decree"})
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert (evidence.file_name, evidence.content_type, evidence.uploaded_by) == (
        "decree.pdf", "application/pdf", personas["focal_point"])
    assert len(stored(settings)) == before + 1


def test_a_program_sent_as_evidence_is_refused_and_nothing_is_stored(world, token_client, settings):
    before, rows = stored(settings), Evidence.objects.count()
    program = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00",
                                 content_type="application/pdf")
    response = token_client("focal_point").post(f"/api/v1/reports/{world['draft'].pk}/evidence", {"file": program})
    assert response.status_code == 400 and response.json()["error"]
    assert stored(settings) == before and Evidence.objects.count() == rows


def test_evidence_on_a_validated_report_or_by_another_agency_is_refused(world, token_client):
    focal = token_client("focal_point")
    assert focal.post(f"/api/v1/reports/{world['report'].pk}/evidence", {"file": pdf()}).status_code == 403
    other = token_client("other_focal_point")
    assert other.post(f"/api/v1/reports/{world['draft'].pk}/evidence", {"file": pdf()}).status_code == 404
    assert Evidence.objects.count() == 1


def test_a_link_is_evidence_too(world, token_client):
    response = token_client("focal_point").post(f"/api/v1/reports/{world['draft'].pk}/evidence",
                                                {"url": "https://dof.gob.mx/decree", "description": "Decree"})
    assert response.status_code == 201 and response.json()["url"] == "https://dof.gob.mx/decree"


def test_an_upload_larger_than_the_limit_is_a_413_before_it_is_read(world, token_client, settings):
    settings.EVIDENCE_MAX_BYTES = 1024  # read on each request
    before = stored(settings)
    response = token_client("focal_point").post(
        f"/api/v1/reports/{world['draft'].pk}/evidence", {"file": pdf()},
        CONTENT_LENGTH=str(settings.EVIDENCE_MAX_BYTES + 2 * 1024 * 1024))
    assert response.status_code == 413 and response.json()["error"]
    assert stored(settings) == before


# Suggestions -----------------------------------------------------------------------------------


@pytest.fixture
def suggestions(world):
    from hrtrack.recommendations.models import ConceptLink
    from hrtrack.taxonomy.models import Concept

    concept = Concept.objects.get(code="freedom-of-the-press")
    return [ConceptLink.objects.create(recommendation=world[name], concept=concept, origin=ConceptLink.Origin.MODEL,
                                       confidence=0.9, confirmed=False, model_name="themes")
            for name in ("public", "commitment")]


def test_a_coordinator_lists_and_decides_suggestions(world, suggestions, token_client, personas):
    coordinator = token_client("coordinator")
    listed = coordinator.get("/api/v1/suggestions?scope=world")
    assert listed.status_code == 200 and {r["id"] for r in listed.json()["results"]} == {s.pk for s in suggestions}
    confirmed = post_json(coordinator, "/api/v1/suggestions/decide",
                          {"decision": "confirm", "link": [suggestions[0].pk]})
    assert confirmed.json() == {"decision": "confirm", "decided": 1}
    suggestions[0].refresh_from_db()
    assert suggestions[0].confirmed and suggestions[0].confirmed_by == personas["coordinator"]
    rejected = post_json(coordinator, "/api/v1/suggestions/decide", {"decision": "reject", "link": [suggestions[1].pk]})
    assert rejected.json()["decided"] == 1
    assert not type(suggestions[1]).objects.filter(pk=suggestions[1].pk).exists()


def test_a_decision_without_suggestions_is_a_400(world, suggestions, token_client):
    response = post_json(token_client("coordinator"), "/api/v1/suggestions/decide", {"decision": "confirm"})
    assert response.status_code == 400 and "link" in response.json()["fields"]


def test_only_coordinators_review_suggestions(world, suggestions, token_client):
    focal = token_client("focal_point")
    assert focal.get("/api/v1/suggestions").status_code == 403
    assert post_json(focal, "/api/v1/suggestions/decide",
                     {"decision": "confirm", "link": [suggestions[0].pk]}).status_code == 403
    suggestions[0].refresh_from_db()
    assert not suggestions[0].confirmed


# Imports ---------------------------------------------------------------------------------------


CSV = "Recomendación;Estado examinado\nProteger a periodistas;México\n".encode()


def test_a_coordinator_uploads_a_file_and_follows_its_import_run(world, token_client):
    from hrtrack.ingest.models import ImportRun

    coordinator = token_client("coordinator")
    response = coordinator.post("/api/v1/imports", {"source": "table", "file": SimpleUploadedFile("recs.csv", CSV)})
    assert response.status_code == 202, response.content
    run = ImportRun.objects.get()
    data = response.json()
    assert data["id"] == run.pk and data["status"] == "mapping"
    assert response["Location"] == data["url"] == f"http://testserver/api/v1/imports/{run.pk}"
    followed = coordinator.get(data["url"])
    assert followed.status_code == 200 and followed.json()["status"] == "mapping"


def test_an_import_of_an_unknown_format_is_a_400_and_starts_nothing(world, token_client):
    from hrtrack.ingest.models import ImportRun

    response = token_client("coordinator").post("/api/v1/imports", {"source": "x", "file": SimpleUploadedFile(
        "recs.csv", CSV)})
    assert response.status_code == 400 and "source" in response.json()["fields"]
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("who", ["focal_point", "validator"])
def test_only_coordinators_import(world, token_client, who):
    from hrtrack.ingest.models import ImportRun

    response = token_client(who).post("/api/v1/imports", {"source": "table", "file": SimpleUploadedFile(
        "recs.csv", CSV)})
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_evidence_bytes_are_what_was_sent(world, token_client):
    response = token_client("focal_point").post(f"/api/v1/reports/{world['draft'].pk}/evidence", {"file": pdf()})
    evidence = Evidence.objects.get(pk=response.json()["id"])
    with evidence.file.open("rb") as handle:
        assert handle.read() == PDF


def test_an_evidence_file_past_the_limit_is_refused_as_it_streams_in_and_nothing_is_stored(
        world, token_client, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    before, rows = stored(settings), Evidence.objects.count()
    response = token_client("focal_point").post(f"/api/v1/reports/{world['draft'].pk}/evidence",
                                                {"file": pdf(content=PDF + b"%" * 5000)})
    assert response.status_code == 400 and response.json()["error"]
    assert stored(settings) == before and Evidence.objects.count() == rows


def test_the_api_upload_doors_take_what_the_pages_take(db):
    from django.urls import resolve

    from hrtrack.followup.views.reports import report_edit
    from hrtrack.ingest.views import import_list

    assert resolve("/api/v1/imports").func.upload_limit("x.json") == import_list.upload_limit("x.json")
    assert resolve("/api/v1/reports/1/evidence").func.upload_limit("x.pdf") == report_edit.upload_limit("x.pdf")


def test_a_file_with_its_mapping_goes_to_the_background_check_at_once(world, token_client, settings):
    from hrtrack.ingest.models import ImportRun

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = token_client("coordinator").post("/api/v1/imports", {
        "source": "table", "mapping": "[columns]\ntext = 'Text'\n",
        "file": SimpleUploadedFile("x.csv", b"Text\nProtect journalists.\n")})
    assert response.status_code == 202
    run = ImportRun.objects.get()
    assert response.json()["status"] == run.status == "checking"


def test_a_mapping_that_does_not_read_is_a_400_naming_it(world, token_client):
    from hrtrack.ingest.models import ImportRun

    response = token_client("coordinator").post("/api/v1/imports", {
        "source": "table", "mapping": "columns = 5\n", "file": SimpleUploadedFile("x.csv", b"Text\nHello\n")})
    assert response.status_code == 400 and "columns must be a table" in str(response.json()["fields"]["mapping"])
    assert not ImportRun.objects.exists()

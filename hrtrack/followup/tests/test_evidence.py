"""Evidence files: checked by content when uploaded, stored through Django's storage API (a
folder, or S3 through django-storages), served only to whoever may read the report, removed
while the report can still change; a refused or failed upload leaves no file and no row."""

import hashlib
import runpy

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

import hrtrack.settings as settings_module
from hrtrack.followup import workflow
from hrtrack.followup.models import Assignment, Evidence, ProgressReport
from hrtrack.ingest.models import ImportRun
from hrtrack.recommendations.models import Recommendation

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 40 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/'</script></body></html>"


@pytest.fixture
def assignment(agencies, personas):
    item = Recommendation.objects.create(text="Mexico should protect journalists and human rights defenders.")
    workflow.assign([item.pk], [agencies[0]], Assignment.Role.LEAD, personas["coordinator"])
    return Assignment.objects.get()


@pytest.fixture
def draft(assignment, personas):
    return workflow.start_report(assignment, personas["focal_point"], status="in-progress", narrative="Drafted.")


def stored_files(settings) -> list:
    return sorted(path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())


def pdf(name="gazette.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach(client, report, *uploads, **fields):
    return client.post(f"/reports/{report.pk}/edit/", {
        "version": report.version, "status": report.status, "narrative": report.narrative,
        "evidence_files": list(uploads), **fields})


def test_files_uploaded_with_a_new_report_are_stored_with_what_they_are(client, personas, assignment, settings):
    client.force_login(personas["focal_point"])
    response = client.post(f"/assignments/{assignment.pk}/reports/new/", {
        "status": "in-progress", "narrative": "Protocol published.",
        "evidence_files": [pdf(), SimpleUploadedFile("values.csv", b"date,value\n2024-01-01,10\n")]})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    gazette, values = report.evidence.order_by("pk")
    assert (gazette.file_name, gazette.content_type, gazette.size) == ("gazette.pdf", "application/pdf", len(PDF))
    assert gazette.sha256 == hashlib.sha256(PDF).hexdigest() and gazette.uploaded_by == personas["focal_point"]
    assert values.content_type == "text/csv"
    assert len(stored_files(settings)) == 2
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'href="/reports/{report.pk}/evidence/{gazette.pk}/"' in page and "gazette.pdf" in page


def test_an_evidence_file_is_served_as_a_download_of_its_checked_type(client, personas, draft):
    client.force_login(personas["focal_point"])
    attach(client, draft, pdf(content_type="text/html"))
    evidence = Evidence.objects.get()
    response = client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"  # what the content is, not what the browser said
    assert response["Content-Disposition"] == 'attachment; filename="gazette.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["other_focal_point", "other_validator", "anonymous"])
def test_a_drafts_evidence_is_not_there_for_anyone_outside_its_agency(client, personas, draft, who):
    client.force_login(personas["focal_point"])
    attach(client, draft, pdf())
    evidence = Evidence.objects.get()
    client.logout()
    if who != "anonymous":
        client.force_login(personas[who])
    assert client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["validator", "coordinator"])
def test_the_agencys_validators_and_the_coordinators_download_a_drafts_evidence(client, personas, draft, who):
    client.force_login(personas["focal_point"])
    attach(client, draft, pdf())
    evidence = Evidence.objects.get()
    client.force_login(personas[who])
    assert client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/").status_code == 200


def test_a_validated_reports_evidence_is_public_once_published(client, personas, draft):
    from hrtrack.followup import publication

    client.force_login(personas["focal_point"])
    attach(client, draft, pdf())
    evidence = Evidence.objects.get()
    report = workflow.submit(ProgressReport.objects.get(), personas["focal_point"], 2)
    report = workflow.validate(report, personas["validator"], report.version)
    client.logout()
    assert client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/").status_code == 404  # validated, not published
    publication.publish([report.assignment.recommendation], personas["coordinator"])
    publication.publish([ProgressReport.objects.get()], personas["coordinator"])
    response = client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    publication.publish([Evidence.objects.get()], personas["coordinator"], published=False)
    assert client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/").status_code == 404  # unpublished on its own


def test_evidence_of_another_report_is_not_reached_through_this_one(client, personas, assignment, draft):
    other = workflow.start_report(assignment, personas["focal_point"])
    client.force_login(personas["focal_point"])
    attach(client, other, pdf())
    evidence = Evidence.objects.get()
    assert client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/").status_code == 404
    assert client.post(f"/reports/{draft.pk}/evidence/{evidence.pk}/remove/").status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_file_missing_from_storage_is_a_404(client, personas, draft, settings):
    client.force_login(personas["focal_point"])
    attach(client, draft, pdf())
    evidence = Evidence.objects.get()
    for path in stored_files(settings):
        path.unlink()
    assert client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/").status_code == 404


@pytest.mark.parametrize("upload,message", [
    (pdf("report.pdf", PROGRAM), "report.pdf is not a file we accept, whatever its name says"),
    (pdf("report.html", HTML, "text/html"), "report.html is not a file we accept"),
    (pdf("report.txt", b"Our report <script>alert(1)</script>", "text/plain"), "report.txt is not a file we accept"),
    (pdf("big.pdf", PDF + b"x" * 2048), "big.pdf is 2.1\xa0KB, more than the limit of 1.0\xa0KB."),
])
def test_a_bad_upload_is_refused_with_a_message_and_nothing_is_stored(client, personas, assignment, settings,
                                                                      upload, message):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(personas["focal_point"])
    before = stored_files(settings)
    response = client.post(f"/assignments/{assignment.pk}/reports/new/", {
        "status": "in-progress", "narrative": "With a bad file.", "evidence_files": [pdf(), upload]})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert stored_files(settings) == before


def test_a_bad_upload_to_a_draft_changes_nothing(client, personas, draft, settings):
    client.force_login(personas["focal_point"])
    response = attach(client, draft, pdf("report.pdf", PROGRAM), narrative="Changed with a bad file.")
    assert response.status_code == 400 and "not a file we accept" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.narrative, draft.version) == ("Drafted.", 1)
    assert not Evidence.objects.exists() and stored_files(settings) == []


def test_the_json_twin_takes_files_sent_as_a_form(client, personas, assignment, settings):
    client.force_login(personas["focal_point"])
    response = client.post(f"/assignments/{assignment.pk}/reports/new.json", {
        "status": "in-progress", "evidence_files": [pdf()]})
    assert response.status_code == 201
    (evidence,) = response.json()["evidence"]
    assert (evidence["file_name"], evidence["content_type"], evidence["size"]) == ("gazette.pdf", "application/pdf",
                                                                                   len(PDF))
    assert client.get(evidence["url"]).status_code == 200 and len(stored_files(settings)) == 1


def test_the_json_twin_refuses_a_bad_upload_with_the_field_and_its_message(client, personas, assignment, settings):
    client.force_login(personas["focal_point"])
    response = client.post(f"/assignments/{assignment.pk}/reports/new.json", {
        "status": "in-progress", "evidence_files": [pdf("report.pdf", PROGRAM)]})
    assert response.status_code == 400
    assert "not a file we accept" in response.json()["fields"]["evidence_files"][0]
    assert not ProgressReport.objects.exists() and stored_files(settings) == []


def test_a_save_that_fails_after_storing_files_deletes_them_again(client, personas, assignment, settings,
                                                                  monkeypatch):
    add_evidence = workflow.add_evidence

    def failing_on_links(report, user, **kwargs):
        if kwargs.get("url"):
            raise RuntimeError("the database went away")
        return add_evidence(report, user, **kwargs)

    monkeypatch.setattr(workflow, "add_evidence", failing_on_links)
    client.force_login(personas["focal_point"])
    with pytest.raises(RuntimeError):
        client.post(f"/assignments/{assignment.pk}/reports/new/", {
            "status": "in-progress", "evidence_files": [pdf(), pdf("second.pdf")],
            "evidence_links": "https://example.org/gazette"})
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_the_focal_point_removes_evidence_while_the_report_can_change(client, personas, draft, settings):
    client.force_login(personas["focal_point"])
    attach(client, draft, pdf(), pdf("second.pdf"))
    first, second = Evidence.objects.order_by("pk")
    form = client.get(f"/reports/{draft.pk}/edit/").content.decode()
    assert f'action="/reports/{draft.pk}/evidence/{first.pk}/remove/"' in form
    response = client.post(f"/reports/{draft.pk}/evidence/{first.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == f"/reports/{draft.pk}/edit/"
    assert list(Evidence.objects.all()) == [second] and len(stored_files(settings)) == 1
    data = client.post(f"/reports/{draft.pk}/evidence/{second.pk}/remove.json").json()
    assert data["evidence"] == [] and stored_files(settings) == []


def test_evidence_of_a_submitted_report_cannot_be_removed(client, personas, draft, settings):
    client.force_login(personas["focal_point"])
    attach(client, draft, pdf())
    evidence = Evidence.objects.get()
    workflow.submit(ProgressReport.objects.get(), personas["focal_point"], 2)
    assert client.post(f"/reports/{draft.pk}/evidence/{evidence.pk}/remove/").status_code == 403
    assert client.post(f"/reports/{draft.pk}/evidence/{evidence.pk}/remove.json").status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists() and len(stored_files(settings)) == 1


def test_ending_an_assignment_deletes_its_evidence_files(client, personas, assignment, draft, settings):
    client.force_login(personas["focal_point"])
    attach(client, draft, pdf())
    assert len(stored_files(settings)) == 1
    client.force_login(personas["coordinator"])
    client.post(f"/assignments/{assignment.pk}/end/", {"version": assignment.version})
    assert not Evidence.objects.exists() and stored_files(settings) == []


# Object storage ---------------------------------------------------------------------------------


@pytest.fixture
def s3_settings(settings, monkeypatch):
    """The project's own settings with HRTRACK_S3_BUCKET set, over an in-process S3 (moto)."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "HRTRACK_S3_BUCKET": "hrtrack-evidence",
                        "HRTRACK_S3_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    storages = runpy.run_path(settings_module.__file__)["STORAGES"]
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="hrtrack-evidence")
        settings.STORAGES = storages
        yield settings


def test_evidence_is_stored_in_and_served_from_s3_when_a_bucket_is_set(client, personas, draft, s3_settings):
    client.force_login(personas["focal_point"])
    assert attach(client, draft, pdf()).status_code == 302
    evidence = Evidence.objects.get()
    objects = boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket="hrtrack-evidence")["Contents"]
    assert [o["Key"] for o in objects] == [evidence.file.name] and stored_files(s3_settings) == []
    response = client.get(f"/reports/{draft.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="gazette.pdf"'
    client.post(f"/reports/{draft.pk}/evidence/{evidence.pk}/remove/")
    assert "Contents" not in boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket="hrtrack-evidence")


# Imports: the same rule for the files coordinators upload ------------------------------------


def test_an_import_file_that_cannot_be_imported_leaves_nothing_in_media(taxonomy, coordinator_client, settings):
    from hrtrack.ingest.tests.test_upr_info import ROWS, upr_csv

    bad = list(ROWS[1])
    bad[4] = "Atlantis"
    coordinator_client.post("/imports/", {"source": "upr-info",
                                          "file": SimpleUploadedFile("upr.csv", upr_csv([ROWS[0], bad]).encode())})
    from hrtrack.ingest.tasks import check_import_job

    check_import_job.call(ImportRun.objects.get().pk)  # what the worker does with the queued check
    run = ImportRun.objects.get()
    assert run.report["problems"] and not run.file  # the run shows its problems; the file is gone
    assert "Atlantis" in coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert stored_files(settings) == []


def test_an_import_file_that_breaks_the_check_leaves_nothing_in_media(taxonomy, coordinator_client, settings,
                                                                     monkeypatch):
    from hrtrack.ingest import tasks

    def broken(run, progress):
        raise RuntimeError("a reader's bug")

    monkeypatch.setattr(tasks, "check_file", broken)
    coordinator_client.post("/imports/", {"source": "upr-info", "file": SimpleUploadedFile("upr.csv", b"a,b\n")})
    tasks.check_import_job.call(ImportRun.objects.get().pk)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and "could not be read" in " ".join(run.report["error"])
    assert stored_files(settings) == []


def test_an_importable_file_is_kept_for_the_import(taxonomy, coordinator_client, settings):
    from hrtrack.ingest.tests.test_upr_info import ROWS, upr_csv

    coordinator_client.post("/imports/", {"source": "upr-info",
                                          "file": SimpleUploadedFile("upr.csv", upr_csv(ROWS).encode())})
    assert ImportRun.objects.get().file and len(stored_files(settings)) == 1

"""The import page: upload, per-row problems, then a background job with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrtrack.ingest.models import ImportRun
from hrtrack.recommendations.models import Recommendation

from .test_upr_info import ROWS, upr_csv


@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(client, rows=ROWS, name="upr.csv", **extra):
    data = {"source": "upr-info", "file": SimpleUploadedFile(name, upr_csv(rows).encode()), **extra}
    return client.post("/imports/", data)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/imports/").status_code == 302


def test_focal_points_may_not_import(focal_point_client):
    assert focal_point_client.get("/imports/").status_code == 403


def test_the_page_offers_the_three_importers(coordinator_client):
    page = coordinator_client.get("/imports/").content.decode()
    assert 'value="upr-info"' in page and 'value="uhri"' in page and 'value="table"' in page


def test_a_valid_file_is_checked_and_previewed_and_nothing_is_saved_yet(taxonomy, coordinator_client):
    response = upload(coordinator_client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    assert run.status == "previewed" and run.rows_total == 3
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "Protect journalists" in page and "Import</button>" in page
    assert not Recommendation.objects.exists()


def test_starting_the_import_runs_the_job_and_shows_the_result(taxonomy, coordinator_client, immediate_jobs,
                                                                 personas):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    response = coordinator_client.post(f"/imports/{run.pk}/start")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and run.report["created"] == 3
    assert Recommendation.objects.count() == 3
    assert Recommendation.history.filter(history_user=personas["coordinator"]).count() == 3
    status = coordinator_client.get(f"/imports/{run.pk}.json").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["report"]["created"] == 3


def test_a_queued_import_shows_its_progress(taxonomy, coordinator_client):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    coordinator_client.post(f"/imports/{run.pk}/start")
    run.refresh_from_db()
    assert run.status == "queued"
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page


def test_a_file_with_a_bad_row_lists_it_and_cannot_be_imported(taxonomy, coordinator_client, immediate_jobs):
    bad = list(ROWS[1])
    bad[4] = "Atlantis"
    upload(coordinator_client, [ROWS[0], bad])
    run = ImportRun.objects.get()
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "no country is called &#x27;Atlantis&#x27;" in page and "Import</button>" not in page
    coordinator_client.post(f"/imports/{run.pk}/start")
    run.refresh_from_db()
    assert run.status == "previewed" and not Recommendation.objects.exists()
    problems = coordinator_client.get(f"/imports/{run.pk}/problems.csv")
    assert problems["Content-Type"].startswith("text/csv")
    assert problems.content.decode().splitlines()[1].startswith("upr.csv,3,From,")


def test_skipping_invalid_rows_imports_the_others(taxonomy, coordinator_client, immediate_jobs):
    bad = list(ROWS[1])
    bad[4] = "Atlantis"
    upload(coordinator_client, [ROWS[0], bad], skip_invalid="on")
    run = ImportRun.objects.get()
    coordinator_client.post(f"/imports/{run.pk}/start")
    assert Recommendation.objects.count() == 1


def test_an_unreadable_file_gets_a_message_next_to_the_field_and_saves_nothing(taxonomy, coordinator_client):
    response = coordinator_client.post("/imports/", {
        "source": "upr-info", "file": SimpleUploadedFile("x.csv", bytes(range(256)) * 10)})
    assert response.status_code == 200
    assert "binary file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_table_import_needs_a_mapping(taxonomy, coordinator_client):
    response = coordinator_client.post("/imports/", {
        "source": "table", "file": SimpleUploadedFile("x.csv", b"Text\nHello\n")})
    assert response.status_code == 200 and "needs a mapping" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_json_status_of_an_unknown_import_is_a_404_in_json(coordinator_client):
    response = coordinator_client.get("/imports/999/json".replace("/json", ".json"))
    assert response.status_code == 404 and "error" in response.json()

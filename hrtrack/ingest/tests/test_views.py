"""The import page: upload, every row checked in a background job, per-row problems, then the
import as a background job with progress; a broken file or mapping is a message, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from hrtrack.ingest.models import ImportRun
from hrtrack.ingest.tasks import check_import_job, checking_key
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


def test_a_valid_file_is_checked_and_previewed_and_nothing_is_saved_yet(taxonomy, coordinator_client,
                                                                         immediate_jobs):
    response = upload(coordinator_client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    assert run.status == "previewed" and run.rows_total == 3
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "Protect journalists" in page and "Import</button>" in page
    # The preview names what the file gives: countries, kinds and responses in words.
    assert "Côte d&#x27;Ivoire" in page and "Iran" in page and "Supported" in page and "Recommendation" in page
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
    check_import_job.call(run.pk)  # what the worker does with the queued check
    coordinator_client.post(f"/imports/{run.pk}/start")
    run.refresh_from_db()
    assert run.status == "queued"
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "<progress" in page and 'data-import-json="/imports/' in page and 'http-equiv="refresh"' in page


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


def test_an_unreadable_file_is_refused_next_to_the_field_and_keeps_nothing(taxonomy, coordinator_client,
                                                                            immediate_jobs):
    response = coordinator_client.post("/imports/", {
        "source": "upr-info", "file": SimpleUploadedFile("x.csv", bytes(range(256)) * 10)})
    assert response.status_code == 200 and "binary file" in response.content.decode()
    assert not ImportRun.objects.exists() and not Recommendation.objects.exists()


def test_a_file_broken_past_its_header_fails_its_check_with_the_reason_and_keeps_nothing(
        taxonomy, coordinator_client, immediate_jobs):
    # The broken byte past the 64 KB read when the file is opened: found by the check in the background.
    content = upr_csv(ROWS * 200).encode() + b"Mexico,GRULAC,,Abolish \xff the death penalty.,Spain,WEOG,,Noted,3,,17\n"
    response = coordinator_client.post("/imports/", {"source": "upr-info",
                                                     "file": SimpleUploadedFile("x.csv", content)})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == "failed" and not run.file
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "not UTF-8 text" in page and "Import</button>" not in page
    assert not Recommendation.objects.exists()


def test_the_check_runs_in_the_background_job_not_in_the_request(taxonomy, coordinator_client):
    """A file of many rows: the upload answers at once, the page follows the check through its
    JSON twin, and the preview appears when the worker has read every row."""
    book = Workbook()
    book.active.append(["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action",
                        "Issue", "Session"])
    for n in range(3000):
        book.active.append(["Mexico", "", "", f"Recommendation number {n} on the rights of the child.", "Chile", "",
                            "", "Accepted", "", "", 31])
    data = {"source": "upr-info", "file": SimpleUploadedFile("big.xlsx", _xlsx_bytes(book))}
    response = coordinator_client.post("/imports/", data)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == "checking" and run.rows_total == 0
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "rows read so far" in page and "Import</button>" not in page and 'data-import-status="checking"' in page
    assert coordinator_client.get(f"/imports/{run.pk}.json").json()["status"] == "checking"

    from django.core.cache import cache

    seen = []
    original = cache.set

    def spy(key, value, *args, **kwargs):
        if key == checking_key(run.pk):
            seen.append(value["done"])
        return original(key, value, *args, **kwargs)

    cache.set = spy
    try:
        check_import_job.call(run.pk)  # the worker
    finally:
        cache.set = original
    # How far the check had got, for the page to show while it ran.
    assert seen and seen == sorted(seen) and 0 < seen[0] < 3000
    run.refresh_from_db()
    assert run.status == "previewed" and run.rows_total == 3000
    status = coordinator_client.get(f"/imports/{run.pk}.json").json()
    assert status["status"] == "previewed" and status["counts"]["rows_read"] == 3000
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    assert "Recommendation number 0 on the rights" in page and "Import</button>" in page
    assert not Recommendation.objects.exists()


def _xlsx_bytes(book) -> bytes:
    import io

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_four_rows_with_three_problems_in_one_are_counted_as_they_are(taxonomy, coordinator_client,
                                                                      immediate_jobs):
    bad = list(ROWS[1])
    bad[0], bad[4], bad[10] = "Atlantis", "Lemuria", "the seventeenth"
    upload(coordinator_client, [ROWS[0], bad, ROWS[2], ROWS[0][:3] + ["Free all prisoners of conscience."]
                                + ROWS[0][4:]])
    run = ImportRun.objects.get()
    counts = coordinator_client.get(f"/imports/{run.pk}.json").json()["counts"]
    assert counts["rows_read"] == 4 and counts["rows_with_problems"] == 1 and counts["problems"] == 3
    page = coordinator_client.get(f"/imports/{run.pk}/").content.decode()
    for label, value in (("Rows read", 4), ("Rows with problems", 1), ("Problems", 3)):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page


@pytest.mark.parametrize("encoding", ["zlib", "rot13", "base64", "no-such-codec"])
def test_an_encoding_that_is_not_a_text_encoding_is_refused_next_to_its_field(taxonomy, coordinator_client,
                                                                              encoding):
    response = upload(coordinator_client, encoding=encoding)
    assert response.status_code == 200
    assert f"{encoding} is not a text encoding" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("mapping, message", [
    ("columns = 5\n", "columns must be a table"),
    ("[columns]\ntext = 5\n", "columns.text must be the name of a column"),
    ("[columns]\ntext = ['Text', 'Other']\n", "columns.text must be the name of a column, in quotes, not a list"),
    ("[columns]\ntext = 'Text'\n[options]\nseparator = 5\n", "options.separator must be"),
    ("[columns]\ntext = 'Text'\n[options]\nseparator = [';']\n", "options.separator must be"),
    ("[columns]\ntext = 'Text'\n[defaults]\nkind = ['pledge']\n", "defaults.kind must be text"),
    ("[columns]\ntext = 'Text'\n[values]\nresponse = 'yes'\n", "values.response must be a table"),
    ("[columns]\ntext = 'Text'\n[options]\ndate_order = 'sideways'\n", "options.date_order must be one of"),
    ("options = 'x'\n[columns]\ntext = 'Text'\n", "options must be a table"),
])
def test_a_mapping_with_wrong_typed_values_is_a_message_on_the_page(taxonomy, coordinator_client, mapping,
                                                                    message):
    response = coordinator_client.post("/imports/", {
        "source": "table", "mapping": mapping, "file": SimpleUploadedFile("x.csv", b"Text\nHello\n")})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_json_status_of_an_unknown_import_is_a_404_in_json(coordinator_client):
    response = coordinator_client.get("/imports/999/json".replace("/json", ".json"))
    assert response.status_code == 404 and "error" in response.json()


def test_the_file_field_says_each_formats_largest_file_and_refuses_a_larger_one(taxonomy, coordinator_client,
                                                                                monkeypatch):
    monkeypatch.setenv("HRTRACK_IMPORT_MAX_MB", "1")
    monkeypatch.setenv("HRTRACK_IMPORT_JSON_MAX_MB", "2048")
    page = coordinator_client.get("/imports/").content.decode()
    assert "CSV, XLSX, XLS up to 1 MB; JSON up to 2048 MB." in page
    response = upload(coordinator_client, ROWS * 4000)
    assert response.status_code == 200 and "the most one import of it takes is 1 MB" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_check_says_what_the_import_would_create_update_and_leave_unchanged(taxonomy, coordinator_client,
                                                                                immediate_jobs):
    upload(coordinator_client)
    first = ImportRun.objects.get()
    page = coordinator_client.get(f"/imports/{first.pk}/").content.decode()
    assert "<dt>Would be created</dt><dd>3</dd>" in page
    coordinator_client.post(f"/imports/{first.pk}/start")
    changed = [list(row) for row in ROWS]
    changed[0][7] = "Noted"  # a corrected response: that item is updated
    upload(coordinator_client, changed, name="again.csv")
    again = ImportRun.objects.get(file_name="again.csv")
    page = coordinator_client.get(f"/imports/{again.pk}/").content.decode()
    assert "<dt>Would be created</dt><dd>0</dd>" in page and "<dt>Would be updated</dt><dd>1</dd>" in page
    assert "<dt>Would stay unchanged</dt><dd>2</dd>" in page
    assert Recommendation.objects.get(text__startswith="Protect journalists").response == "supported"

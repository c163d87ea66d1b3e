"""/jobs/: every background job with a name a person understands, its status, times, progress or result."""

import re
from html import unescape

import pytest

from hrtrack.lib.progress import report_progress

# The fixtures come from job_data by import; their names are then reused as test arguments.
# ruff: noqa: F811
from .job_data import contributor_client, jobs, make_job, own_cache  # noqa: F401

pytestmark = pytest.mark.django_db


def rows(response) -> list[str]:
    """The text of each row of the jobs table, tags and runs of spaces removed."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in body.split("</tr>")[:-1]]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/jobs/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/jobs/"


def test_contributors_may_not_see_the_jobs(contributor_client):
    assert contributor_client.get("/jobs/").status_code == 403


def test_it_lists_every_job_newest_first_by_a_name_a_person_understands(focal_point_client, jobs):
    response = focal_point_client.get("/jobs/")
    assert response.status_code == 200
    names = [row.split(" Queued")[0].split(" Running")[0].split(" Done")[0].split(" Failed")[0]
             for row in rows(response)]
    assert names == ["Embedding items and finding similar ones", "Import of upr.csv",
                     "Suggesting themes, affected groups and SDG goals", "Training models and suggesting themes"]


def test_a_queued_job_says_it_waits_and_the_page_refreshes_itself(focal_point_client, jobs):
    response = focal_point_client.get("/jobs/")
    queued = rows(response)[0]
    assert "Queued" in queued and "Waiting for a worker" in queued
    assert jobs["queued"].enqueued_at.strftime("%Y-%m-%d %H:%M") in queued
    assert '<meta http-equiv="refresh"' in response.content.decode()


def test_a_running_import_shows_how_many_rows_it_has_done(focal_point_client, jobs):
    running = rows(focal_point_client.get("/jobs/"))[1]
    assert "Running" in running and "2 of 3 (66%)" in running


def test_a_running_job_shows_the_progress_it_reported(focal_point_client):
    job = make_job("hrtrack.nlp.similar_tasks.rebuild_similar_job", "RUNNING", queue_name="background")
    report_progress(1024, 4096, "Embedding items", task_id=job.id)
    response = focal_point_client.get("/jobs/")
    assert "1,024 of 4,096 (25%) · Embedding items" in rows(response)[0]
    assert '<progress max="100" value="25"' in response.content.decode()


def test_a_finished_job_shows_its_result_and_when_it_ran(focal_point_client, jobs):
    done = rows(focal_point_client.get("/jobs/"))[2]
    assert "Done" in done and "1204 suggestions added to 980 items." in done
    assert jobs["done"].finished_at.strftime("%Y-%m-%d %H:%M") in done


def test_a_failed_job_shows_its_error_in_one_line_without_the_traceback(focal_point_client, jobs):
    response = focal_point_client.get("/jobs/")
    failed = rows(response)[3]
    assert "Failed" in failed and "ValueError: the model folder var/models is not writable" in failed
    assert "Traceback" not in response.content.decode()


def test_a_page_of_finished_jobs_does_not_refresh(focal_point_client, jobs):
    for job in ("queued", "running"):
        jobs[job].delete()
    assert "refresh" not in focal_point_client.get("/jobs/").content.decode()


def test_a_job_of_an_unknown_kind_shows_its_function_name(focal_point_client):
    make_job("hrtrack.reports.tasks.export_matrix_job", "SUCCESSFUL", return_value={"message": "Matrix written."})
    row = rows(focal_point_client.get("/jobs/"))[0]
    assert row.startswith("export_matrix_job Done") and "Matrix written." in row


def test_an_import_that_refused_its_file_reads_as_failed(coordinator_client):
    from hrtrack.ingest.models import ImportRun

    run = ImportRun.objects.create(source="upr-info", file_name="bad.csv", status="failed", rows_total=2,
                                   report={"error": ["The file has no column 'Recommendation'."], "problems": []})
    make_job("hrtrack.ingest.tasks.run_import_job", "SUCCESSFUL", args=[run.pk], return_value={"status": "failed"})
    response = coordinator_client.get("/jobs/")
    row = rows(response)[0]
    assert row.startswith("Import of bad.csv Failed") and "The file has no column 'Recommendation'." in row
    # Coordinators, who import, reach the import's own page from its job.
    assert f'<a href="/imports/{run.pk}/">Import of bad.csv</a>' in response.content.decode()


def test_the_jobs_are_paged(focal_point_client, settings):
    settings.PAGE_SIZE = 2
    for minutes in range(5):
        make_job("hrtrack.nlp.tasks.suggest_themes_job", "SUCCESSFUL", minutes_ago=minutes,
                 return_value={"message": f"Run {minutes} minutes ago."})
    first, last = focal_point_client.get("/jobs/"), focal_point_client.get("/jobs/?page=3")
    assert [row.split("Done ")[0] for row in rows(first)] == ["Suggesting themes, affected groups and SDG goals "] * 2
    assert "Run 0 minutes ago." in rows(first)[0] and "Run 4 minutes ago." in rows(last)[0]
    assert "Page 1 of 3" in first.content.decode()


def test_staff_find_the_jobs_page_in_the_navigation(focal_point_client):
    page = focal_point_client.get("/").content.decode()
    assert '<a href="/jobs/">Jobs</a>' in page


def test_the_query_count_does_not_grow_with_the_jobs(focal_point_client, django_assert_max_num_queries):
    from hrtrack.ingest.models import ImportRun

    for number in range(20):
        run = ImportRun.objects.create(source="upr-info", file_name=f"file{number}.csv", status="done")
        make_job("hrtrack.ingest.tasks.run_import_job", "SUCCESSFUL", args=[run.pk], return_value={"status": "done"})
        make_job("hrtrack.nlp.tasks.suggest_themes_job", "RUNNING", queue_name="background")
    # The session, the user, the count, the page of jobs and the import runs of its imports.
    with django_assert_max_num_queries(5):
        assert len(rows(focal_point_client.get("/jobs/"))) == 40

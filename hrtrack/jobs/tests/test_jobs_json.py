"""/jobs.json: the jobs page's twin, for programs."""

import pytest

from hrtrack.lib.progress import report_progress

# ruff: noqa: F811
from .job_data import contributor_client, jobs, make_job, own_cache  # noqa: F401

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_told_to_sign_in_as_json(client):
    response = client.get("/jobs.json")
    assert response.status_code == 401 and response.json() == {"error": "Sign in to see this."}


def test_contributors_are_refused_as_json(contributor_client):
    response = contributor_client.get("/jobs.json")
    assert response.status_code == 403 and response.json() == {"error": "You do not have access to the staff site."}


def test_it_lists_the_jobs_with_their_status_times_progress_and_result(focal_point_client, jobs):
    body = focal_point_client.get("/jobs.json").json()
    assert body["count"] == 4 and body["next"] is None
    queued, running, done, failed = body["results"]
    assert queued == {
        "id": str(jobs["queued"].id), "name": "Embedding items and finding similar ones",
        "task": "hrtrack.nlp.similar_tasks.rebuild_similar_job", "queue": "background", "status": "queued",
        "status_label": "Queued", "enqueued_at": jobs["queued"].enqueued_at.isoformat(), "started_at": None,
        "finished_at": None, "progress": None, "result": None, "error": None, "url": None,
    }
    assert running["name"] == "Import of upr.csv" and running["status"] == "running"
    assert running["started_at"] == jobs["running"].started_at.isoformat()
    assert running["progress"] == {"done": 2, "total": 3, "percent": 66, "message": "Importing rows"}
    assert done["status"] == "done" and done["result"] == "1204 suggestions added to 980 items."
    assert done["finished_at"] == jobs["done"].finished_at.isoformat() and done["progress"] is None
    assert failed["status"] == "failed" and failed["result"] is None
    assert failed["error"] == "ValueError: the model folder var/models is not writable"


def test_a_running_job_has_the_progress_it_reported(focal_point_client):
    job = make_job("hrtrack.nlp.similar_tasks.rebuild_similar_job", "RUNNING", queue_name="background")
    report_progress(30, 40, "Embedding items", task_id=job.id)
    (result,) = focal_point_client.get("/jobs.json").json()["results"]
    assert result["progress"] == {"done": 30, "total": 40, "percent": 75, "message": "Embedding items"}


def test_the_jobs_are_paged_with_links_to_the_next_page(focal_point_client, settings):
    settings.PAGE_SIZE = 2
    for minutes in range(3):
        make_job("hrtrack.ingest.tasks.save_record_job", "SUCCESSFUL", kwargs={"source_title": f"s{minutes}.txt"},
                 minutes_ago=minutes, return_value={"ok": True, "created": True})
    body = focal_point_client.get("/jobs.json").json()
    assert body["count"] == 3 and body["pages"] == 2
    assert body["next"] == "http://testserver/jobs.json?page=2"
    assert [job["name"] for job in body["results"]] == ["Saving the statement s0.txt", "Saving the statement s1.txt"]
    assert body["results"][0]["result"] == "A new dialogue was saved."
    last = focal_point_client.get("/jobs.json?page=2").json()
    assert [job["name"] for job in last["results"]] == ["Saving the statement s2.txt"] and last["next"] is None

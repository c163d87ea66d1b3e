"""Two queues: a person's import never waits behind the long jobs (embeddings, training, suggestions)."""

import io
import os
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hrtrack.ingest.models import ImportRun
from hrtrack.ingest.tasks import run_import_job, save_record_job
from hrtrack.ingest.tests.test_upr_info import ROWS, upr_csv
from hrtrack.nlp.similar_tasks import rebuild_similar_job
from hrtrack.nlp.tasks import suggest_themes_job, train_and_suggest_job
from hrtrack.portal.management.commands import serve
from hrtrack.portal.management.commands.worker import Command as WorkerCommand


def test_the_long_jobs_are_on_the_background_queue_and_peoples_jobs_on_the_default_one():
    assert {job.queue_name for job in (rebuild_similar_job, suggest_themes_job, train_and_suggest_job)} == {
        "background"}
    assert {job.queue_name for job in (run_import_job, save_record_job)} == {"default"}


def test_serve_starts_one_worker_per_queue_beside_the_web_processes(monkeypatch):
    started = []

    class Process:
        def __init__(self, command, **options):
            started.append(command)
            if "worker" in command:
                assert options["preexec_fn"] is serve.lower_priority

        def wait(self, timeout=None):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(subprocess, "Popen", Process)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    call_command("serve", stdout=io.StringIO())
    workers = [command[command.index("worker"):] for command in started if "worker" in command]
    assert workers == [["worker", "--queue-name", "default"], ["worker", "--queue-name", "background"]]
    assert any("gunicorn" in command for command in started)


def test_serve_runs_the_workers_at_a_lower_cpu_priority_than_the_pages():
    niceness = subprocess.run([sys.executable, "-c", "import os; print(os.nice(0))"], preexec_fn=serve.lower_priority,
                              capture_output=True, text=True, check=True).stdout
    assert int(niceness) == min(os.nice(0) + serve.WORKER_NICENESS, 19)


def test_the_worker_started_by_hand_runs_every_queue():
    options = WorkerCommand().create_parser("hrtrack", "worker").parse_args([])
    assert options.queue_name == "*"


# The worker closes connections that are left inside a transaction, as a test's would be:
# these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_queued_behind_a_long_job_is_run_by_the_default_queues_worker(taxonomy):
    long_job = rebuild_similar_job.enqueue()
    run = ImportRun.objects.create(source="upr-info", file_name="upr.csv", rows_total=3, status="queued")
    run.file.save("upr.csv", ContentFile(upr_csv(ROWS).encode()))
    import_job = run_import_job.enqueue(run.pk)
    # The command `hrtrack serve` starts for the default queue, told to stop once it has nothing left.
    command = serve.worker_commands()[0]
    call_command(*command[command.index("worker"):], "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    run.refresh_from_db()
    assert run.status == "done" and run.report["created"] == 3
    assert DBTaskResult.objects.get(id=import_job.id).status == "SUCCESSFUL"
    # The long job, queued first, still waits for the background queue's worker.
    assert DBTaskResult.objects.get(id=long_job.id).status == "READY"

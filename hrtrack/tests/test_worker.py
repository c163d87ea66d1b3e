"""Background jobs are queued in the database and run by `hrtrack worker`."""

import copy
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from hrtrack.dialogues.models import Dialogue
from hrtrack.ingest.tasks import save_record_job

SEED = "us-mexico_2016_8th-high-level-dialogue_en.gold.json"


# The worker closes connections that are left inside a transaction, as a test's would be:
# these tests commit for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_job_waits_for_the_worker_and_then_runs(taxonomy, gold_records):
    result = save_record_job.enqueue(gold_records[SEED], source_title=SEED)
    assert not Dialogue.objects.exists()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["ok"] and result.return_value["created"]
    assert Dialogue.objects.get().edition == 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_with_an_invalid_record_reports_its_problems(taxonomy, gold_records):
    record = copy.deepcopy(gold_records[SEED])
    record["parties"] = ["ZZ"]
    result = save_record_job.enqueue(record)
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    result.refresh()
    assert result.return_value["ok"] is False
    assert any("ZZ" in p for p in result.return_value["problems"])
    assert not Dialogue.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_on_postgresql_run_each_job_once(shared_dir, gold_records):
    if connection.vendor != "postgresql":
        pytest.skip("several workers share a queue on PostgreSQL; SQLite has one writer")
    from hrtrack.taxonomy.loader import load_taxonomy_dir

    load_taxonomy_dir(shared_dir / "taxonomy")
    records = list(gold_records.values())
    jobs = [save_record_job.enqueue(r) for r in records * 3]
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    workers = [
        subprocess.Popen([sys.executable, "-m", "hrtrack.cli", "worker", "--batch", "--no-startup-delay",
                          "--no-reload", "--worker-id", f"w{i}"], env=env)
        for i in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=300) == 0
    results = DBTaskResult.objects.filter(id__in=[j.id for j in jobs])
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}, [r.exception_class_path for r in results]
    assert all(r.return_value["ok"] for r in results), [r.return_value for r in results]
    # One round per meeting: the files of one meeting in two languages are one dialogue.
    assert Dialogue.objects.count() == len({name.rsplit("_", 1)[0] for name in gold_records})

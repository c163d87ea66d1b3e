"""Background jobs as the worker leaves them in the database, for the jobs page tests.

The test modules import these fixtures by name (``from .job_data import ...``).
"""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from hrtrack.accounts.models import Role, User

TRACEBACK = """Traceback (most recent call last):
  File "/srv/hrtrack/hrtrack/nlp/tasks.py", line 131, in train_and_suggest_job
    trained = train_missing_models()
ValueError: the model folder var/models is not writable
"""


def make_job(task_path, status="READY", *, args=(), kwargs=None, minutes_ago=0, **fields) -> DBTaskResult:
    """A job row as django-tasks-db writes it, queued ``minutes_ago``; started and finished a
    minute later each, as far as its status goes."""
    queued = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    if status in ("RUNNING", "SUCCESSFUL", "FAILED"):
        fields.setdefault("started_at", queued + datetime.timedelta(minutes=1))
    if status in ("SUCCESSFUL", "FAILED"):
        fields.setdefault("finished_at", queued + datetime.timedelta(minutes=2))
    job = DBTaskResult.objects.create(
        task_path=task_path, status=status, args_kwargs={"args": list(args), "kwargs": kwargs or {}},
        backend_name="default", queue_name=fields.pop("queue_name", "default"), run_after=get_date_max(), **fields,
    )
    # enqueued_at is set on creation: moved back so that the order of the rows is the test's.
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=queued)
    job.refresh_from_db()
    return job


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Progress goes to a cache of this test's own, not to var/cache."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "hrtrack-jobs-tests"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contributor_client(client, db):
    user = User.objects.create(username="cora", role=Role.CONTRIBUTOR)
    client.force_login(user)
    return client


@pytest.fixture
def jobs(db):
    """Four jobs of the demo and of a person: the embedding job queued, the import of upr.csv running
    (2 of its 3 rows done), the training job done and a statement failed; newest first in that order."""
    from django.core.cache import cache

    from hrtrack.ingest.models import ImportRun
    from hrtrack.ingest.tasks import progress_key

    run = ImportRun.objects.create(source="upr-info", file_name="upr.csv", status="running", rows_total=3)
    cache.set(progress_key(run.pk), {"done": 2, "total": 3})
    return {
        "failed": make_job("hrtrack.nlp.tasks.train_and_suggest_job", "FAILED", minutes_ago=40,
                           queue_name="background", exception_class_path="builtins.ValueError", traceback=TRACEBACK),
        "done": make_job("hrtrack.nlp.tasks.suggest_themes_job", "SUCCESSFUL", minutes_ago=30,
                         queue_name="background",
                         return_value={"status": "done", "message": "1204 suggestions added to 980 items."}),
        "running": make_job("hrtrack.ingest.tasks.run_import_job", "RUNNING", args=[run.pk], minutes_ago=20),
        "queued": make_job("hrtrack.nlp.similar_tasks.rebuild_similar_job", minutes_ago=10, queue_name="background"),
    }

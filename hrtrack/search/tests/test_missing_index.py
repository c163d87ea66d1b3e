"""While search has no semantic index yet, every visitor reads whether the job that builds it is
queued or running and how far it is; never a command to type."""

import pytest

from hrtrack.lib.progress import report_progress

# ruff: noqa: F811
from .engine_data import fresh_engine  # noqa: F401
from .page_data import indexed, items  # noqa: F401

pytestmark = pytest.mark.django_db

REBUILD = "hrtrack.nlp.similar_tasks.rebuild_similar_job"
SYNC = "hrtrack.search.tasks.sync_derived_job"


@pytest.fixture(autouse=True)
def own_cache(settings):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "hrtrack-missing-index-tests"}}
    cache.clear()


@pytest.fixture
def no_job_yet(items):
    """The items, without the job their saving queued: each test queues its own."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    return items


def make_job(status, task_path=REBUILD):
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.create(task_path=task_path, status=status, args_kwargs={"args": [], "kwargs": {}},
                                       backend_name="default", queue_name="background", run_after=get_date_max())


def notices(client) -> list[str]:
    response = client.get("/search/?q=torture")
    assert response.status_code == 200
    return response.context["warnings"]


def test_without_a_job_it_says_plainly_that_search_by_meaning_is_not_available_yet(client, no_job_yet):
    (notice,) = notices(client)
    assert notice == "Search by meaning is not available yet: the results match your words only."


def test_a_queued_job_is_named_as_queued_to_every_visitor(client, no_job_yet):
    make_job("READY")
    (notice,) = notices(client)
    assert notice.startswith("Search by meaning is being prepared: the job is queued")
    assert "`" not in notice and "hrtrack" not in notice


@pytest.mark.parametrize("task_path", [SYNC, REBUILD])
def test_a_running_job_says_how_far_it_is(client, coordinator_client, no_job_yet, task_path):
    report_progress(1024, 4096, "Embedding items", task_id=make_job("RUNNING", task_path).id)
    for visitor in (client, coordinator_client):
        (notice,) = notices(visitor)
        assert notice.startswith("Search by meaning is being prepared: the job is running, "
                                 "1,024 of 4,096 items embedded (25%).")
        assert "`" not in notice and "hrtrack" not in notice


def test_a_running_job_that_reported_nothing_yet_is_still_named(client, no_job_yet):
    make_job("RUNNING")
    (notice,) = notices(client)
    assert notice.startswith("Search by meaning is being prepared: the job is running.")


def test_the_running_job_is_named_before_the_queued_ones_and_the_oldest_queued_first(db):
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from hrtrack.lib.progress import pending_job
    from hrtrack.search.index_jobs import INDEX_JOBS

    now = timezone.now()

    def job(status, minutes_ago, started=None):
        made = DBTaskResult.objects.create(task_path=INDEX_JOBS[0], status=status, args_kwargs={"args": [],
                                           "kwargs": {}}, queue_name="background", backend_name="default")
        DBTaskResult.objects.filter(pk=made.pk).update(  # enqueued_at is set on creation
            enqueued_at=now - timezone.timedelta(minutes=minutes_ago), started_at=started)
        return made

    assert pending_job(*INDEX_JOBS) is None
    job(TaskResultStatus.READY, 1)
    oldest = job(TaskResultStatus.READY, 5)
    assert pending_job(*INDEX_JOBS).pk == oldest.pk
    job(TaskResultStatus.RUNNING, 9, started=now - timezone.timedelta(minutes=8))
    latest = job(TaskResultStatus.RUNNING, 3, started=now - timezone.timedelta(minutes=2))
    job(TaskResultStatus.SUCCESSFUL, 0, started=now)
    found = pending_job(*INDEX_JOBS)
    assert (found.pk, found.status) == (latest.pk, TaskResultStatus.RUNNING)

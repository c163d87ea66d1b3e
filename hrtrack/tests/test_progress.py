"""A running job reports how far it is (hrtrack.lib.progress), for the jobs page and the search to show."""

import numpy as np
import pytest
from django_tasks import task

from hrtrack.lib.progress import current_task_id, progress_of, report_progress
from hrtrack.nlp.similar import embed_in_steps


@pytest.fixture(autouse=True)
def jobs_run_here(settings):
    from django.core.cache import cache

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "background"]}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "hrtrack-progress-tests"}}
    cache.clear()


@task()
def halfway_job() -> dict:
    report_progress(1, 2, "Halfway")
    return progress_of(current_task_id())


def seen_while_embedding(texts: list[str]) -> np.ndarray:
    seen.append(progress_of(current_task_id()))
    return np.array([[len(text), text.count("a")] for text in texts], dtype=np.float32)


seen: list = []


@task(queue_name="background")
def embedding_job(texts: list[str]) -> list:
    return embed_in_steps(seen_while_embedding, texts, step=2).tolist()


def test_a_job_reports_its_progress_under_its_own_id_until_it_finishes():
    result = halfway_job.enqueue()
    assert result.return_value == {"done": 1, "total": 2, "message": "Halfway", "percent": 50}
    assert progress_of(result.id) is None  # a finished job shows its result instead


def test_outside_a_job_reporting_progress_does_nothing():
    report_progress(1, 2)
    assert current_task_id() is None


def test_the_embedding_loop_reports_each_step_and_embeds_as_one_call_would():
    seen.clear()
    texts = ["a", "banana", "abracadabra", "ca", "arena"]
    result = embedding_job.enqueue(texts)
    assert [(step["done"], step["total"]) for step in seen] == [(0, 5), (2, 5), (4, 5)]
    assert result.return_value == seen_while_embedding(texts).tolist()

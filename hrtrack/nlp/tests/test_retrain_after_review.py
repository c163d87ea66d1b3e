"""Decisions in the review queue reach the next models: a decision queues the training job a little
later (one job for a whole review session), and the job retrains the schemes decided on."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hrtrack.nlp import review
from hrtrack.recommendations.models import ConceptLink, Recommendation
from hrtrack.taxonomy.models import Concept

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hrtrack.nlp.tests.urls")]


def pending_training():
    return DBTaskResult.objects.filter(task_path=review.TRAIN_JOB, status="READY")


def suggestion(text: str) -> ConceptLink:
    concept = Concept.objects.in_scheme("upr-issues").get(code="death-penalty")
    return ConceptLink.objects.create(recommendation=Recommendation.objects.create(text=text), concept=concept,
                                      origin="model", model_name="upr-issues@test", confidence=0.6)


def test_a_decision_queues_one_training_job_a_little_later_for_the_whole_session(
        coordinator_client, taxonomy, django_capture_on_commit_callbacks):
    first, second = suggestion("Abolish the death penalty."), suggestion("Commute all death sentences.")
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post("/review/decide/", {"one": f"confirm:{first.pk}"})
    [job] = pending_training()
    assert job.queue_name == "background"
    assert before + review.RETRAIN_AFTER <= job.run_after <= timezone.now() + review.RETRAIN_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post("/review/decide/", {"one": f"reject:{second.pk}"})
    assert not ConceptLink.objects.filter(pk=second.pk).exists()
    assert pending_training().count() == 1  # the waiting job will learn this decision too


def test_a_decision_that_decided_nothing_queues_nothing(
        coordinator_client, taxonomy, django_capture_on_commit_callbacks):
    link = suggestion("Abolish the death penalty.")
    link.delete()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post("/review/decide/", {"one": f"confirm:{link.pk}"})
    assert not pending_training().exists()


def test_once_the_waiting_job_has_run_the_next_decision_queues_another(taxonomy):
    now = timezone.now()
    assert review.retrain_soon(now) is True
    assert review.retrain_soon(now) is False
    pending_training().update(status="SUCCESSFUL")
    assert review.retrain_soon(now + datetime.timedelta(hours=1)) is True

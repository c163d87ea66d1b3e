"""Keep the search documents in step with the models.

Saves, deletions and many-to-many changes queue the objects they touch; the documents are
rewritten once the transaction commits, all queued objects in one go. Imports write in bulk
without signals: when an import job finishes, :func:`hrtrack.search.documents.catch_up` indexes
what it wrote; when the similar-items job has embedded new items, the semantic index is rebuilt.
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from hrtrack.dialogues.models import (
    CaseRaised,
    Delegation,
    DelegationMember,
    Dialogue,
    DialogueSeries,
    Mention,
    SideMeeting,
)
from hrtrack.directory.models import Person
from hrtrack.followup.models import Assignment, ProgressReport
from hrtrack.recommendations.models import ConceptLink, Recommendation

IMPORT_JOB = "hrtrack.ingest.tasks.run_import_job"
SIMILAR_JOB = "hrtrack.nlp.similar_tasks.rebuild_similar_job"

_pending = threading.local()


def _state() -> dict:
    if not hasattr(_pending, "state"):
        _pending.state = {"items": set(), "dialogues": set()}
    return _pending.state


def queue(items=(), dialogues=()) -> None:
    """Rewrite these objects' documents when the current transaction commits."""
    state = _state()
    state["items"].update(i for i in items if i)
    state["dialogues"].update(d for d in dialogues if d)
    # Scheduled on every call: a rolled-back transaction drops its callback, and whatever it left
    # queued is written (from the database as it then is) with the next commit's.
    transaction.on_commit(flush)


def flush() -> None:
    from .documents import write_documents

    state = _state()
    items, dialogues = state["items"], state["dialogues"]
    if not items and not dialogues:
        return
    _pending.state = {"items": set(), "dialogues": set()}
    write_documents(items, dialogues)


# Items ------------------------------------------------------------------------------------


@receiver([post_save, post_delete], sender=Recommendation, dispatch_uid="search.item")
def item_changed(sender, instance, **kwargs):
    queue(items=[instance.pk])


def _m2m_items(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        queue(items=pk_set or [])
    else:
        queue(items=[instance.pk])


for _field in ("recipients", "recommending_states"):
    m2m_changed.connect(_m2m_items, sender=getattr(Recommendation, _field).through,
                        dispatch_uid=f"search.item.{_field}")


@receiver([post_save, post_delete], sender=ConceptLink, dispatch_uid="search.concept_link")
@receiver([post_save, post_delete], sender=Assignment, dispatch_uid="search.assignment")
def item_part_changed(sender, instance, **kwargs):
    queue(items=[instance.recommendation_id])


@receiver([post_save, post_delete], sender=ProgressReport, dispatch_uid="search.report")
def report_changed(sender, instance, **kwargs):
    queue(items=Assignment.objects.filter(pk=instance.assignment_id).values_list("recommendation_id", flat=True))


# Dialogues --------------------------------------------------------------------------------


@receiver([post_save, post_delete], sender=Dialogue, dispatch_uid="search.dialogue")
def dialogue_changed(sender, instance, **kwargs):
    queue(dialogues=[instance.pk])


@receiver(post_save, sender=DialogueSeries, dispatch_uid="search.series")
def series_changed(sender, instance, **kwargs):
    dialogues = list(Dialogue.objects.filter(series=instance).values_list("pk", flat=True))
    queue(dialogues=dialogues,
          items=Recommendation.objects.filter(dialogue_id__in=dialogues).values_list("pk", flat=True))


def _m2m_dialogues(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Dialogue):
        queue(dialogues=[instance.pk])
    elif isinstance(instance, CaseRaised):
        queue(dialogues=[instance.dialogue_id])
    elif reverse and sender is CaseRaised.people.through:
        queue(dialogues=CaseRaised.objects.filter(pk__in=pk_set or []).values_list("dialogue_id", flat=True))
    elif reverse:
        queue(dialogues=pk_set or [])


for _through in (Dialogue.parties.through, Dialogue.topics.through, Dialogue.mechanisms.through,
                 CaseRaised.people.through):
    m2m_changed.connect(_m2m_dialogues, sender=_through, dispatch_uid=f"search.dialogue.{_through.__name__}")


@receiver([post_save, post_delete], sender=Delegation, dispatch_uid="search.delegation")
@receiver([post_save, post_delete], sender=Mention, dispatch_uid="search.mention")
@receiver([post_save, post_delete], sender=SideMeeting, dispatch_uid="search.side_meeting")
@receiver([post_save, post_delete], sender=CaseRaised, dispatch_uid="search.case")
def dialogue_part_changed(sender, instance, **kwargs):
    queue(dialogues=[instance.dialogue_id])


@receiver([post_save, post_delete], sender=DelegationMember, dispatch_uid="search.member")
def member_changed(sender, instance, **kwargs):
    queue(dialogues=Delegation.objects.filter(pk=instance.delegation_id).values_list("dialogue_id", flat=True))


@receiver(post_save, sender=Person, dispatch_uid="search.person")
def person_changed(sender, instance, **kwargs):
    """A renamed person, or one now marked restricted: the dialogues naming them."""
    dialogues = set(DelegationMember.objects.filter(person=instance).values_list("delegation__dialogue_id", flat=True))
    dialogues |= set(Mention.objects.filter(person=instance).values_list("dialogue_id", flat=True))
    dialogues |= set(CaseRaised.objects.filter(people=instance).values_list("dialogue_id", flat=True))
    if dialogues:
        queue(dialogues=dialogues)


# Jobs -------------------------------------------------------------------------------------


@receiver(task_finished, dispatch_uid="hrtrack.search.follow_jobs")
def follow_jobs(sender, task_result, **kwargs) -> None:
    """After an import job: index what it wrote, in bulk. After the similar-items job: rebuild the
    semantic index from the new embeddings."""
    if task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    path = task_result.task.module_path
    if path == IMPORT_JOB and (task_result.return_value or {}).get("status") == "done":
        from .documents import catch_up

        catch_up()
    elif path == SIMILAR_JOB:
        from .semantic import build_semantic_index

        build_semantic_index()

"""Record what a person's edit changed, and follow every recorded change.

Saves, deletions and many-to-many changes of the models behind the search documents record the
items and dialogues they touch (``hrtrack.recommendations.changes.record``), in the transaction of
the change. Once it commits, :func:`follow_changes` writes the documents of a small change at once
and queues the job that brings the rest up to date (``hrtrack.search.tasks``, whose docstring draws
the whole path). Bulk writers (the importer) record their changes themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

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
from hrtrack.recommendations import changes
from hrtrack.recommendations.models import ConceptLink, Recommendation

from .tasks import index_changes, queue_sync, sync_documents


def _changed(items=(), dialogues=(), content: bool = True) -> None:
    """Record that these objects changed (``content``: their text or countries, not only what
    their search documents show)."""
    changes.record(items=items, dialogues=dialogues, content=content)


# Items ------------------------------------------------------------------------------------


@receiver([post_save, post_delete], sender=Recommendation, dispatch_uid="search.item")
def item_changed(sender, instance, **kwargs):
    _changed(items=[instance.pk])  # a restore through the history saves too


def _m2m_items(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        _changed(items=pk_set or [])
    else:
        _changed(items=[instance.pk])


for _field in ("recipients", "recommending_states"):
    m2m_changed.connect(_m2m_items, sender=getattr(Recommendation, _field).through,
                        dispatch_uid=f"search.item.{_field}")


@receiver([post_save, post_delete], sender=ConceptLink, dispatch_uid="search.concept_link")
@receiver([post_save, post_delete], sender=Assignment, dispatch_uid="search.assignment")
def item_part_changed(sender, instance, **kwargs):
    _changed(items=[instance.recommendation_id], content=False)


@receiver([post_save, post_delete], sender=ProgressReport, dispatch_uid="search.report")
def report_changed(sender, instance, **kwargs):
    # The search reads validated reports only (documents._latest_statuses): saving a draft (a focal
    # point's every save, half of its cost) indexes nothing.
    if not instance.ever_validated:
        return
    _changed(items=Assignment.objects.filter(pk=instance.assignment_id).values_list("recommendation_id", flat=True),
          content=False)


# Dialogues --------------------------------------------------------------------------------


@receiver([post_save, post_delete], sender=Dialogue, dispatch_uid="search.dialogue")
def dialogue_changed(sender, instance, **kwargs):
    _changed(dialogues=[instance.pk])


@receiver(post_save, sender=DialogueSeries, dispatch_uid="search.series")
def series_changed(sender, instance, **kwargs):
    dialogues = list(Dialogue.objects.filter(series=instance).values_list("pk", flat=True))
    _changed(dialogues=dialogues,
          items=Recommendation.objects.filter(dialogue_id__in=dialogues).values_list("pk", flat=True), content=False)


def _m2m_dialogues(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Dialogue):
        _changed(dialogues=[instance.pk])
    elif isinstance(instance, CaseRaised):
        _changed(dialogues=[instance.dialogue_id])
    elif reverse and sender is CaseRaised.people.through:
        _changed(dialogues=CaseRaised.objects.filter(pk__in=pk_set or []).values_list("dialogue_id", flat=True))
    elif reverse:
        _changed(dialogues=pk_set or [])


for _through in (Dialogue.parties.through, Dialogue.topics.through, Dialogue.mechanisms.through,
                 CaseRaised.people.through):
    m2m_changed.connect(_m2m_dialogues, sender=_through, dispatch_uid=f"search.dialogue.{_through.__name__}")


@receiver([post_save, post_delete], sender=Delegation, dispatch_uid="search.delegation")
@receiver([post_save, post_delete], sender=Mention, dispatch_uid="search.mention")
@receiver([post_save, post_delete], sender=SideMeeting, dispatch_uid="search.side_meeting")
@receiver([post_save, post_delete], sender=CaseRaised, dispatch_uid="search.case")
def dialogue_part_changed(sender, instance, **kwargs):
    _changed(dialogues=[instance.dialogue_id])


@receiver([post_save, post_delete], sender=DelegationMember, dispatch_uid="search.member")
def member_changed(sender, instance, **kwargs):
    _changed(dialogues=Delegation.objects.filter(pk=instance.delegation_id).values_list("dialogue_id", flat=True))


@receiver(post_save, sender=Person, dispatch_uid="search.person")
def person_changed(sender, instance, **kwargs):
    """A renamed person, or one now marked restricted: the dialogues naming them."""
    dialogues = set(DelegationMember.objects.filter(person=instance).values_list("delegation__dialogue_id", flat=True))
    dialogues |= set(Mention.objects.filter(person=instance).values_list("dialogue_id", flat=True))
    dialogues |= set(CaseRaised.objects.filter(people=instance).values_list("dialogue_id", flat=True))
    if instance.restricted:  # a statement that writes the name: withheld from its public text
        from hrtrack.ingest.models import Document

        dialogues |= set(Document.objects.filter(text__icontains=instance.name, dialogue__isnull=False)
                         .values_list("dialogue_id", flat=True))
    if dialogues:
        _changed(dialogues=dialogues)


# Following the record ---------------------------------------------------------------------


@receiver(changes.committed, dispatch_uid="search.follow_changes")
def follow_changes(sender, items, dialogues, **kwargs) -> None:
    """After a commit that recorded changes: a person's edit (or a statement) is searchable at
    once; the job brings the rest up to date (for an import, the documents too)."""
    index_changes(items, dialogues)
    queue_sync()


@receiver(changes.follow_up_requested, dispatch_uid="search.follow_up_now")
def follow_up_now(sender, **kwargs) -> str:
    """The command line's request: the search documents now, the rest left to the queued job."""
    written, repaired = sync_documents()
    return _("search index: %(count)d documents (re)written") % {"count": written + repaired}

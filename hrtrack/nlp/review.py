"""The review queue: the models' suggestions that wait for a person, in the order that serves them
best, with the same suggestion on near-identical items gathered for one decision.

* **Order.** Least sure first (the default): the suggestions whose confidence is nearest the
  model's own decision threshold for their concept (the confidence from which it suggests that
  concept, fitted when it was trained; 0.5 where no model folder gives one) come first, the
  clear-cut ones last. ``order=confident`` is the old order: most confident first.
* **Groups.** Items that say the same thing get the same suggestions: a suggestion's group is
  the pending suggestions of the same concept, in the same queue, on items whose text is the same
  once letter case, spaces and punctuation are set aside, or that the similar-items store links
  as repeated or as similar at :data:`NEAR_IDENTICAL` or more (``hrtrack.nlp.similar``), and so
  on through those items. One click confirms or rejects the whole group; each suggestion is
  still decided on its own (who and when, its own history row), as if clicked one by one.
* **Who decides.** Coordinators and administrators (:func:`may_decide`), on every item.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import models, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Abs, Lower, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrtrack.recommendations.models import ConceptLink, ItemLink

#: The fused similarity (embeddings and word overlap, ``hrtrack.nlp.similar``) from which two
#: items say the same thing in nearly the same words: "Ratify OPCAT" and "Ratify OPCAT without
#: delay" score 0.94, "Withdraw the reservations to CEDAW" and "... the general reservations to
#: CEDAW" 0.91; near-identical texts carry the same UPR Info issues (docs/classify.md).
NEAR_IDENTICAL = 0.9
#: Decision thresholds where no model says one: where a calibrated confidence is as likely
#: right as wrong.
DEFAULT_THRESHOLD = 0.5
#: How far apart the confidences of the same suggestion on two texts that differ only in case,
#: spaces and punctuation may be (the theme models read character n-grams, which punctuation moves
#: a little).
SAME_TEXT_CONFIDENCE = 0.05
#: Rounds of "and the items near-identical to those" followed from a suggestion's item.
GROUP_ROUNDS = 3
#: The most suggestions one group decision applies to (a page lists each of them).
GROUP_LIMIT = 200
#: What the text comparison sets aside, besides letter case.
_IGNORED = " \t\r\n.,;:!?\"'()[]-"


class Order(models.TextChoices):
    UNCERTAIN = "uncertain", _("Least sure first")
    CONFIDENT = "confident", _("Most confident first")


def may_decide(user, item=None) -> bool:
    """Whether ``user`` may confirm or reject the models' suggestions on ``item`` (on items at all,
    without one): the mechanism's staff, coordinators and administrators, on every item."""
    return bool(user and user.is_authenticated and user.is_active and user.is_coordinator)


def pending_suggestions() -> QuerySet:
    """Unconfirmed links a model set, in no particular order (see :func:`ordered`)."""
    return ConceptLink.objects.filter(origin=ConceptLink.Origin.MODEL, confirmed=False).select_related(
        "recommendation", "concept", "concept__scheme")


# The order -------------------------------------------------------------------------------------

_thresholds_cache: dict[Path, tuple[tuple, dict[str, float]]] = {}


def model_thresholds(folder: Path) -> dict[str, float]:
    """The per-concept decision thresholds of the model in ``folder`` (``{code: threshold}``),
    read once per version of its files; empty without a model there or for a model without
    thresholds. Only the thresholds are read, not the whole model."""
    from .models_io import ARRAYS, read_manifest

    arrays = folder / ARRAYS
    try:
        stamp = (arrays.stat().st_mtime_ns, arrays.stat().st_size, (folder / "model.json").stat().st_mtime_ns)
    except OSError:
        return {}
    cached = _thresholds_cache.get(folder)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        labels = read_manifest(folder)["labels"]
        with np.load(arrays, allow_pickle=False) as npz:
            thresholds = npz["thresholds"] if "thresholds" in npz.files else None
    except Exception:  # a damaged or foreign folder: the default threshold, as without a model
        thresholds = None
    found = {} if thresholds is None or len(thresholds) != len(labels) else {
        str(code): float(t) for code, t in zip(labels, thresholds, strict=True)}
    _thresholds_cache[folder] = (stamp, found)
    return found


def decision_thresholds() -> dict[int, float]:
    """Each concept's decision threshold (``{concept id: threshold}``), from the model folders the
    suggestion jobs use (``hrtrack.nlp.tasks.model_dir_for``); concepts no model names are absent."""
    from hrtrack.taxonomy.models import Concept

    from .tasks import OTHER_SCHEMES, model_dir_for
    from .themes import THEME_SCHEME

    by_scheme = {scheme: model_thresholds(model_dir_for(scheme)) for scheme in (THEME_SCHEME, *OTHER_SCHEMES)}
    by_scheme = {scheme: thresholds for scheme, thresholds in by_scheme.items() if thresholds}
    if not by_scheme:
        return {}
    concepts = Concept.objects.filter(scheme__slug__in=by_scheme).values_list("pk", "scheme__slug", "code")
    return {pk: by_scheme[scheme][code] for pk, scheme, code in concepts if code in by_scheme[scheme]}


def doubt(thresholds: dict[int, float] | None = None):
    """How far a suggestion's confidence is from its concept's decision threshold (an expression):
    the smaller, the less sure the model is."""
    thresholds = decision_thresholds() if thresholds is None else thresholds
    default = Value(DEFAULT_THRESHOLD, output_field=FloatField())
    threshold = Case(*[When(concept_id=pk, then=Value(t, output_field=FloatField()))
                       for pk, t in sorted(thresholds.items())], default=default, output_field=FloatField()) \
        if thresholds else default
    return Abs(F("confidence") - threshold)


def ordered(suggestions: QuerySet, order: str = Order.UNCERTAIN, thresholds: dict[int, float] | None = None
            ) -> QuerySet:
    """``suggestions`` in the queue's ``order`` (:class:`Order`); ties by id, so that the same
    suggestion on identical texts (the same confidence) comes together."""
    if order == Order.CONFIDENT:
        return suggestions.order_by(F("confidence").desc(nulls_last=True), "pk")
    return suggestions.annotate(doubt=doubt(thresholds)).order_by(F("doubt").asc(nulls_last=True), "pk")


# Groups ----------------------------------------------------------------------------------------


def text_key(path: str = "recommendation__text"):
    """An item's text as the groups compare it (an expression): lower case, without spaces or
    punctuation, so that "Abolish the death penalty." and "abolish the death penalty" are one."""
    key = Lower(path, output_field=TextField())
    for character in _IGNORED:
        key = Replace(key, Value(character, output_field=TextField()), Value("", output_field=TextField()),
                      output_field=TextField())
    return key


@dataclass
class Group:
    """A suggestion and the same suggestion on near-identical items of the queue (``others``,
    in id order), which one decision confirms or rejects together."""

    link: ConceptLink
    others: list[ConceptLink] = field(default_factory=list)

    @property
    def links(self) -> list[ConceptLink]:
        return [self.link, *self.others]

    @property
    def size(self) -> int:
        return 1 + len(self.others)

    @property
    def ids(self) -> str:
        """The group's suggestion ids, as its buttons send them ("12,40,41")."""
        return ",".join(str(link.pk) for link in self.links)


class _Components:
    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def near_identical_links(items: set[int]) -> list[tuple[int, int]]:
    """The pairs of items the similar-items store says are the same text, among those touching
    ``items``: repeated links, and similar links at :data:`NEAR_IDENTICAL` or more."""
    if not items:
        return []
    return list(ItemLink.objects.filter(Q(source_id__in=items) | Q(target_id__in=items))
                .filter(Q(kind=ItemLink.LinkKind.REPEATED) | Q(score__gte=NEAR_IDENTICAL))
                .values_list("source_id", "target_id"))


def groups_of(links: list[ConceptLink], queue: QuerySet) -> dict[int, list[tuple[int, int]]]:
    """For each suggestion of ``links`` (a page of ``queue``), its group within ``queue``: the
    ``(suggestion id, item id)`` of each member, itself included, in id order. A few queries
    whatever the page holds: the texts compared in the database, then :data:`GROUP_ROUNDS` rounds
    over the similar-items store."""
    if not links:
        return {}
    queue = queue.order_by()
    concepts = {link.concept_id for link in links}
    # Each member: (suggestion id) -> (item, concept).
    members: dict[int, tuple[int, int]] = {link.pk: (link.recommendation_id, link.concept_id) for link in links}
    components = _Components()
    # The page's texts and the queue's same texts, compared in the database in one query.
    # The model gives texts that differ only in case and punctuation the same confidence, or
    # nearly: the texts are compared only where the concept and the confidence agree, which keeps
    # the comparison to a few rows however long the queue.
    near = Q()
    for concept, confidence in {(link.concept_id, link.confidence) for link in links if link.confidence is not None}:
        near |= Q(concept_id=concept, confidence__gte=confidence - SAME_TEXT_CONFIDENCE,
                  confidence__lte=confidence + SAME_TEXT_CONFIDENCE)
    page_keys = ConceptLink.objects.filter(pk__in=members).annotate(key=text_key()).values("key")
    same_text = queue.filter(near | Q(pk__in=members)).annotate(key=text_key()).filter(key__in=page_keys)
    by_text: dict[tuple[str, int], int] = {}
    for pk, item, concept, key in same_text.order_by("pk").values_list("pk", "recommendation_id", "concept_id", "key"):
        members[pk] = (item, concept)
        if key:
            components.join(by_text.setdefault((key, concept), pk), pk)
    # Through the store's links: the same concept pending on a linked item joins the group.
    seen_items: set[int] = set()
    frontier = {item for item, _concept in members.values()}
    for _round in range(GROUP_ROUNDS):
        frontier -= seen_items
        if not frontier or len(members) > GROUP_LIMIT * len(links):
            break
        seen_items |= frontier
        pairs = near_identical_links(frontier)
        neighbours: dict[int, set[int]] = {}
        for a, b in pairs:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
        new_items = set(neighbours) - {item for item, _c in members.values()}
        reached: set[int] = set()
        if new_items:
            for pk, item, concept in queue.filter(concept_id__in=concepts, recommendation_id__in=new_items) \
                    .values_list("pk", "recommendation_id", "concept_id"):
                members[pk] = (item, concept)
                reached.add(item)
        by_item_concept: dict[tuple[int, int], int] = {(item, concept): pk for pk, (item, concept) in members.items()}
        for pk, (item, concept) in list(members.items()):
            for other in neighbours.get(item, ()):
                other_pk = by_item_concept.get((other, concept))
                if other_pk is not None:
                    components.join(pk, other_pk)
        frontier = reached  # only through items that hold one of the page's concepts
    grouped: dict[int, list[tuple[int, int]]] = {}
    for pk in sorted(members):
        grouped.setdefault(components.find(pk), []).append((pk, members[pk][0]))
    return {link.pk: grouped[components.find(link.pk)][:GROUP_LIMIT] for link in links}


def page_groups(page_links: list[ConceptLink], queue: QuerySet) -> list[Group]:
    """The page's suggestions as groups, in the page's order: a suggestion already in an earlier
    one's group on the page is shown in that group, not again on its own row."""
    members = groups_of(page_links, queue)
    others_ids = {pk for group in members.values() for pk, _item in group} - {link.pk for link in page_links}
    others = ConceptLink.objects.select_related("recommendation", "concept", "concept__scheme").in_bulk(others_ids)
    on_page = {link.pk: link for link in page_links}
    shown: set[int] = set()
    groups = []
    for link in page_links:
        if link.pk in shown:
            continue
        group = [pk for pk, _item in members[link.pk]]
        shown.update(group)
        groups.append(Group(link, [on_page.get(pk) or others[pk] for pk in group
                                   if pk != link.pk and (pk in on_page or pk in others)]))
    return groups


# Decisions -------------------------------------------------------------------------------------


@dataclass
class Decided:
    """What a decision did: how many suggestions it decided, and of those asked, how many were
    already decided (by someone else, or gone) and how many were on items the person may not
    decide on (left as they are)."""

    decided: int = 0
    already: int = 0
    refused: int = 0


def decide(user, link_ids: list[int], decision: str) -> Decided:
    """Confirm or reject unconfirmed model suggestions, each on its own (who and when, and its own
    history row). A rejected link is deleted, and its history (with the person) keeps the rejection
    for training. Ids of links that are not pending model suggestions are counted as ``already``."""
    wanted = set(link_ids)
    with transaction.atomic():
        links = list(ConceptLink.objects.select_for_update().filter(
            pk__in=wanted, origin=ConceptLink.Origin.MODEL, confirmed=False).select_related("recommendation"))
        result = Decided(already=len(wanted) - len(links))
        now = timezone.now()
        for link in links:
            if not may_decide(user, link.recommendation):
                result.refused += 1
                continue
            link._history_user = user
            if decision == "confirm":
                link.confirmed, link.confirmed_by, link.confirmed_at = True, user, now
                link.save(update_fields=["confirmed", "confirmed_by", "confirmed_at"])
            else:
                link.delete()
            result.decided += 1
        if result.decided:
            transaction.on_commit(retrain_soon)
    return result


#: How long after a decision the models are trained again: the decisions of a review session are
#: learnt together, once, rather than one retraining per click.
RETRAIN_AFTER = datetime.timedelta(minutes=10)
TRAIN_JOB = "hrtrack.nlp.tasks.train_and_suggest_job"


def retrain_soon(now: datetime.datetime | None = None) -> bool:
    """Queue the training job (``RETRAIN_AFTER`` from now) unless one is already waiting: the next
    models learn from the suggestions people confirmed and rejected (the job retrains only the
    schemes decided on since their model was trained). Answers whether it queued one."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import train_and_suggest_job

    if DBTaskResult.objects.filter(task_path=TRAIN_JOB, status=TaskResultStatus.READY).exists():
        return False
    train_and_suggest_job.using(run_after=(now or timezone.now()) + RETRAIN_AFTER).enqueue()
    return True


def decide_links(user, link_ids: list[int], decision: str) -> int:
    """:func:`decide`, answering how many suggestions were decided."""
    return decide(user, link_ids, decision).decided

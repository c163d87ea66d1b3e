"""Similar and repeated items: sentence embeddings fused with word overlap, written as ItemLinks.

* **similar**: an item's ``k`` nearest others by fused similarity, above ``SIMILAR_THRESHOLD``.
* **repeated**: the same recipient got the same request (:func:`repeat_score` at least
  ``REPEATED_THRESHOLD``: the cosine fused with the share of the shorter text's words the other
  holds, or a cosine of ``REPEATED_COSINE``) at a later occasion (session, cycle or date) or from
  another mechanism. The link goes from the later item (``source``) to the earlier one (``target``).

Fused similarity = ``EMBEDDING_WEIGHT`` × cosine of the MiniLM embeddings + the rest × the
Jaccard overlap of the two texts' word sets. The embedding finds the same request in other words;
the word overlap keeps "ratify the Convention against Torture" apart from "ratify the Convention
on the Rights of the Child", which the embedding alone finds very close. docs/similar.md shows
the real pairs the thresholds were chosen on.

Embeddings are kept under var/embeddings/ as plain .npy arrays (read with ``allow_pickle=False``)
with a hash of each text, so that a rebuild after an import embeds only new or changed texts, and
a manifest naming the database they were made for. A vector is reused only for a text of the
same hash: a vector depends on the text and the model alone, so this is right whatever database
or item id it was stored under, and the ids of another database's store are never trusted.

**Repeat groups**: the items that make the same recommendation. Two items are in one group when
a chain of links joins them, each link either a repeated link or a similar link of at least
``REPEATED_THRESHOLD`` between two items with a recipient in common (or two items without
recipients). Each link is judged on its own two ends: in a chain A-B-C where B and C share a
recipient that A lacks, C is in A's group. A group's key is its smallest item id. The groups
are computed for the whole table at once (:func:`compute_repeat_groups`) and stored as
:class:`~hrtrack.recommendations.models.RepeatGroupMember` rows by :func:`refresh_repeat_groups`:
at the end of :func:`rebuild_links`, and when a person adds, changes or deletes a link
(``hrtrack.nlp.signals``, once per transaction). The item page and the grouped recommendations
list read those rows (``RepeatGroupMember.objects.group_of`` and ``members_of``), so both always
count the same group. A change of an item's recipients regroups its similar links at the next
rebuild (queued after every import).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hrtrack.lib.progress import report_progress
from hrtrack.lib.text import ENGLISH_STOPWORDS
from hrtrack.recommendations.models import ConceptLink, ItemLink, Recommendation, RepeatGroupMember

from .embeddings import MODEL_NAME, get_embedder
from .models import database_id

EMBEDDING_WEIGHT = 0.6
SIMILAR_THRESHOLD = 0.5
REPEATED_THRESHOLD = 0.75
#: A cosine from which two items to one recipient at two occasions are a repeat whatever their
#: words. This rule and the containment in :func:`repeat_score` were chosen on 80 pairs judged by
#: reading and checked on 80 others (docs/similar.md, bench/repeats.py): on the others, precision
#: 0.95 and recall 0.44, where the Jaccard-fused score had 0.93 and 0.11 (content words only).
REPEATED_COSINE = 0.8
DEFAULT_K = 5
#: Nearest neighbours by cosine that are rescored with the word overlap.
CANDIDATES = 20
#: A cosine below this cannot reach REPEATED_THRESHOLD once fused (Jaccard is at most 1).
_REPEATED_COSINE_FLOOR = (REPEATED_THRESHOLD - (1 - EMBEDDING_WEIGHT)) / EMBEDDING_WEIGHT
#: Rows of the similarity matrix computed at once: 256 × 33k is 35 MB of float32 and 70 MB of
#: int64 for argpartition.
CHUNK = 256

Embed = Callable[[list[str]], np.ndarray]


@dataclass
class ItemFacts:
    """What link building needs to know about one item."""

    id: int
    text: str
    recipients: frozenset[int] = frozenset()
    session: int | None = None
    cycle: int | None = None
    issued_on: date | None = None
    mechanism_id: int | None = None

    @property
    def occasion(self) -> tuple:
        """Orders items in time: the date first, then the session and cycle."""
        return (self.issued_on or date.min, self.session or 0, self.cycle or 0)


@dataclass
class Link:
    source: int
    target: int
    kind: str
    score: float


@dataclass
class RebuildReport:
    items: int = 0
    embedded: int = 0
    similar: int = 0
    repeated: int = 0
    #: Items in a repeat group once the links are rewritten.
    grouped: int = 0
    thresholds: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return self.__dict__.copy()


# --- Word overlap ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def word_set(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def fused(cosine: float, overlap: float) -> float:
    return EMBEDDING_WEIGHT * cosine + (1 - EMBEDDING_WEIGHT) * overlap


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the shorter text's content words that the other has (the overlap coefficient
    without function words: "the", "of", "on" would make any two short requests look contained)."""
    a, b = (a - ENGLISH_STOPWORDS) or a, (b - ENGLISH_STOPWORDS) or b
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def repeat_score(cosine: float, a: frozenset[str], b: frozenset[str]) -> float:
    """How surely a later item is an earlier one made again: the cosine fused with how much of
    the shorter text the other holds (a repeat often adds a reference or a reason: "Abolish the
    practice of arraigo, as recommended by the Committee against Torture"), or the cosine alone
    when it reaches ``REPEATED_COSINE`` (the same request reworded)."""
    score = fused(cosine, containment(a, b))
    return max(score, cosine) if cosine >= REPEATED_COSINE else score


# --- Stored embeddings ----------------------------------------------------------------------


def text_hash(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class EmbeddingStore:
    """Item embeddings in ``folder``: ids.npy (int64), hashes.npy (20-byte sha1), vectors.npy (float16),
    and manifest.json (the database they were made for, the model, the row count)."""

    MANIFEST = "manifest.json"

    def __init__(self, folder: Path | None = None, model: str = MODEL_NAME):
        self.folder = Path(folder or Path(settings.VAR_DIR) / "embeddings" / model)
        self.model = model

    def load(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The three arrays, or None when there are none (or they do not belong together)."""
        try:
            ids, hashes, vectors = (np.load(self.folder / f"{name}.npy", allow_pickle=False)
                                    for name in ("ids", "hashes", "vectors"))
        except (FileNotFoundError, ValueError):
            return None
        if not len(ids) == len(hashes) == len(vectors) or hashes.dtype != np.dtype("S20"):
            # A save cut short between two arrays: the rows would pair vectors with other texts.
            return None
        return ids, hashes, vectors

    def manifest(self) -> dict:
        """What the manifest says ({} without one: a store from before manifests)."""
        try:
            return json.loads((self.folder / self.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def database(self) -> str | None:
        """The identity of the database the store was last written for; None when unknown."""
        return self.manifest().get("database") or None

    def save(self, ids: np.ndarray, hashes: np.ndarray, vectors: np.ndarray, database: str | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, array in (("ids", ids), ("hashes", hashes), ("vectors", vectors)):
            temporary = self.folder / f"{name}.tmp.npy"
            np.save(temporary, array, allow_pickle=False)
            os.replace(temporary, self.folder / f"{name}.npy")
        manifest = {"database": database or "", "model": self.model, "rows": int(len(ids)),
                    "dimensions": int(vectors.shape[1]) if vectors.ndim == 2 else 0}
        temporary = self.folder / f"{self.MANIFEST}.tmp"
        temporary.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.folder / self.MANIFEST)


def embed_in_steps(embed: Embed, texts: list[str], step: int = 1024) -> np.ndarray:
    """``embed(texts)`` a step at a time, so that the running job says how far it is.

    Longest texts first, as Embedder.encode orders them: with a step that is a multiple of its
    batch size, the batches (and so the vectors) are those of one call.
    """
    order = sorted(range(len(texts)), key=lambda index: -len(texts[index]))
    out = None
    report_progress(0, len(texts), _("Embedding items"))
    for start in range(0, len(texts), step):
        chunk = order[start:start + step]
        vectors = embed([texts[index] for index in chunk])
        if out is None:
            out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        out[chunk] = vectors
        report_progress(start + len(chunk), len(texts), _("Embedding items"))
    return out


def item_vectors(items: list[ItemFacts], embed: Embed | None = None,
                 store: EmbeddingStore | None = None, database: str | None = None) -> tuple[np.ndarray, int]:
    """Unit vectors for ``items`` (float32, one row each): stored ones reused, others embedded.

    A stored vector is reused for an item whose text has the stored text's hash, under whatever
    id it was stored (the same text sent to several States is embedded once). The store is then
    rewritten with these items, for ``database`` (the identity to record in its manifest), unless
    it already holds exactly them.
    Returns the matrix and how many texts had to be embedded.
    """
    embed = embed or get_embedder().encode
    store = store or EmbeddingStore()
    hashes = np.array([text_hash(item.text) for item in items], dtype="S20")
    known: dict[bytes, int] = {}
    stored = store.load()
    if stored is not None:
        known = {bytes(h): row for row, h in enumerate(stored[1])}
    rows = [known.get(bytes(h)) for h in hashes]
    missing = [index for index, row in enumerate(rows) if row is None]
    new_vectors = embed_in_steps(embed, [items[index].text for index in missing]) if missing else None
    dimensions = new_vectors.shape[1] if new_vectors is not None else stored[2].shape[1]
    matrix = np.zeros((len(items), dimensions), dtype=np.float32)
    present = [index for index, row in enumerate(rows) if row is not None]
    if present:
        matrix[present] = stored[2][[rows[index] for index in present]]
    if missing:
        matrix[missing] = new_vectors
    ids = np.array([item.id for item in items], dtype=np.int64)
    manifest = store.manifest()
    unchanged = (not missing and stored is not None and np.array_equal(stored[0], ids)
                 and np.array_equal(stored[1], hashes) and manifest.get("model") == store.model
                 and (manifest.get("database") or None) == (database or None))
    if not unchanged:  # the same items, texts, model and database: the files already say it all
        store.save(ids, hashes, matrix.astype(np.float16), database=database)
    return matrix, len(missing)


# --- Finding links --------------------------------------------------------------------------


def _top_by_cosine(matrix: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the ``count`` other rows of highest cosine, and those cosines (unsorted)."""
    n = len(matrix)
    count = min(count, n - 1)
    indices = np.zeros((n, count), dtype=np.int64)
    scores = np.zeros((n, count), dtype=np.float32)
    for start in range(0, n, CHUNK):
        block = matrix[start:start + CHUNK] @ matrix.T
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf  # not itself
        top = np.argpartition(block, -count, axis=1)[:, -count:]
        indices[start:start + len(block)] = top
        scores[start:start + len(block)] = np.take_along_axis(block, top, axis=1)
    return indices, scores


def _is_repeat(later: ItemFacts, earlier: ItemFacts) -> bool:
    other_occasion = later.occasion != earlier.occasion
    other_mechanism = (later.mechanism_id or 0) != (earlier.mechanism_id or 0)
    return other_occasion or other_mechanism


def find_links(items: list[ItemFacts], matrix: np.ndarray, k: int = DEFAULT_K) -> list[Link]:
    """Similar links (each item to its top ``k``) and repeated links (later to earlier item).

    Near-identical items to the same recipient at the same occasion (the same recommendation
    from several States in one review) are linked as similar, whatever the top ``k``: the
    group summary counts their States.
    """
    if len(items) < 2:
        return []
    words = [word_set(item.text) for item in items]
    links: dict[tuple[int, int, str], Link] = {}

    def add(source: int, target: int, kind: str, score: float) -> None:
        key = (items[source].id, items[target].id, kind)
        if key not in links:
            links[key] = Link(items[source].id, items[target].id, kind, round(float(score), 4))

    indices, cosines = _top_by_cosine(matrix, max(CANDIDATES, k))
    for row in range(len(items)):
        scored = sorted(
            ((fused(float(c), jaccard(words[row], words[col])), int(col))
             for col, c in zip(indices[row], cosines[row], strict=True)),
            reverse=True,
        )
        for score, col in scored[:k]:
            if score >= SIMILAR_THRESHOLD:
                add(row, col, ItemLink.LinkKind.SIMILAR, score)

    # Repeats are sought among the items of each recipient: a text sent to a hundred States
    # would crowd the one recipient's earlier item out of any global top k.
    by_recipient: dict[int, list[int]] = defaultdict(list)
    for row, item in enumerate(items):
        for recipient in item.recipients:
            by_recipient[recipient].append(row)
    for rows in by_recipient.values():
        if len(rows) < 2:
            continue
        block = matrix[rows] @ matrix[rows].T
        close = np.argwhere(np.triu(block, 1) >= _REPEATED_COSINE_FLOOR)
        for a, b in close:
            first, second = rows[a], rows[b]
            cosine = float(block[a, b])
            later, earlier = sorted((first, second), key=lambda r: (items[r].occasion, items[r].id), reverse=True)
            if _is_repeat(items[later], items[earlier]):
                score = repeat_score(cosine, words[first], words[second])
                if score >= REPEATED_THRESHOLD:
                    add(later, earlier, ItemLink.LinkKind.REPEATED, score)
                continue
            score = fused(cosine, jaccard(words[first], words[second]))
            if score >= REPEATED_THRESHOLD:
                add(first, second, ItemLink.LinkKind.SIMILAR, score)
                add(second, first, ItemLink.LinkKind.SIMILAR, score)
    return list(links.values())


# --- The database ---------------------------------------------------------------------------


def load_items(queryset=None) -> list[ItemFacts]:
    """Every item (or those of ``queryset``) with its recipients, in id order."""
    queryset = (queryset if queryset is not None else Recommendation.objects.all()).order_by("id")
    recipients: dict[int, set[int]] = defaultdict(set)
    through = Recommendation.recipients.through.objects.filter(recommendation__in=queryset.values("id"))
    for item_id, country_id in through.values_list("recommendation_id", "country_id").iterator():
        recipients[item_id].add(country_id)
    return [
        ItemFacts(id=pk, text=text, recipients=frozenset(recipients.get(pk, ())), session=session, cycle=cycle,
                  issued_on=issued_on, mechanism_id=mechanism_id)
        for pk, text, session, cycle, issued_on, mechanism_id in queryset.values_list(
            "id", "text", "session", "cycle", "issued_on", "mechanism_id").iterator()
    ]


def rebuild_links(k: int = DEFAULT_K, embed: Embed | None = None, store: EmbeddingStore | None = None,
                  progress: Callable[[str], None] | None = None) -> RebuildReport:
    """Recompute every model-made similar and repeated link.

    Links a person set or confirmed are kept as they are; the model's others are replaced.
    """
    say = progress or (lambda message: None)
    items = load_items()
    report = RebuildReport(items=len(items), thresholds={
        "similar": SIMILAR_THRESHOLD, "repeated": REPEATED_THRESHOLD, "embedding_weight": EMBEDDING_WEIGHT, "k": k,
    })
    if not items:
        return report
    say(_("Embedding %(count)d items…") % {"count": len(items)})
    database = database_id()
    store = store or EmbeddingStore()
    if (store.folder / "ids.npy").exists() and store.database() != database:
        say(_("The stored embeddings were made for another database: only those of identical texts are reused."))
    matrix, report.embedded = item_vectors(items, embed=embed, store=store, database=database)
    say(_("Finding similar and repeated items…"))
    links = find_links(items, matrix, k=k)
    with transaction.atomic():
        # One DELETE statement: a queryset delete() would load every link to record its history
        # (the model's links are remade here, their history would only be noise).
        stale = ItemLink.objects.filter(origin=ConceptLink.Origin.MODEL, confirmed=False)
        stale._raw_delete(stale.db)
        ItemLink.objects.bulk_create(
            [ItemLink(source_id=link.source, target_id=link.target, kind=link.kind, score=link.score,
                      origin=ConceptLink.Origin.MODEL) for link in links],
            batch_size=2000, ignore_conflicts=True,
        )
        # Once for the whole rewrite: the bulk writes above send no signals.
        report.grouped = refresh_repeat_groups()
    report.similar = sum(link.kind == ItemLink.LinkKind.SIMILAR for link in links)
    report.repeated = len(links) - report.similar
    return report


def _same_recipient(a: set[int], b: set[int]) -> bool:
    """Two items' recipients have one in common, or neither item has any."""
    return bool(a & b) or not (a or b)


def compute_repeat_groups() -> dict[int, int]:
    """Every item that has repeats, mapped to its group's key (the group's smallest id), computed
    from the links (see the module's docstring for the rule). Items without repeats are left out.

    Reads every repeated and near-identical similar link, and the recipients table: for
    :func:`refresh_repeat_groups`, not for pages.
    """
    edges = list(ItemLink.objects.filter(
        Q(kind=ItemLink.LinkKind.REPEATED) | Q(kind=ItemLink.LinkKind.SIMILAR, score__gte=REPEATED_THRESHOLD)
    ).values_list("source_id", "target_id", "kind"))
    similar = {item for source, target, kind in edges if kind == ItemLink.LinkKind.SIMILAR for item in (source, target)}
    recipients: dict[int, set[int]] = defaultdict(set)
    if similar:
        # One pass over the recipients table: an IN list of every linked id can be too long for SQLite.
        for item, country in Recommendation.recipients.through.objects.values_list("recommendation_id", "country_id"):
            if item in similar:
                recipients[item].add(country)
    parent: dict[int, int] = {}

    def root(item: int) -> int:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for source, target, kind in edges:
        if kind == ItemLink.LinkKind.SIMILAR and not _same_recipient(recipients[source], recipients[target]):
            continue
        a, b = root(source), root(target)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the smallest id stays the root: a stable key for links
    return {item: root(item) for item in parent}


def refresh_repeat_groups() -> int:
    """Recompute the repeat groups from the links and store what changed; returns how many items
    are in a group. Writes nothing when the groups are unchanged (a person confirming a link)."""
    groups = compute_repeat_groups()
    stored = dict(RepeatGroupMember.objects.values_list("item_id", "group_key"))
    if stored == groups:
        return len(groups)
    gone = [item for item in stored if item not in groups]
    changed = [RepeatGroupMember(item_id=item, group_key=key) for item, key in groups.items()
               if stored.get(item) != key]
    with transaction.atomic():
        for start in range(0, len(gone), 500):  # short IN lists: SQLite limits a query's parameters
            RepeatGroupMember.objects.filter(item_id__in=gone[start:start + 500]).delete()
        # An upsert: a refresh running at the same time may have written some of these rows.
        RepeatGroupMember.objects.bulk_create(changed, batch_size=1000, update_conflicts=True,
                                              unique_fields=["item"], update_fields=["group_key"])
    return len(groups)

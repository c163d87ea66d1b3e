"""Semantic search: the query's sentence embedding against the documents' embeddings.

Item vectors come from the similar-items store (var/embeddings/, float16); dialogues, which
that store leaves out, are embedded here. The index is kept in var/search/semantic.npz with
each vector quantized to int8 (384 bytes a row: 384 MB at a million). Up to ``EXACT_LIMIT`` rows,
every (filtered) row is scored exactly; above, an inverted file (k-means lists, numpy only)
scores the ``NPROBE`` lists nearest the query, unless the filters leave few enough rows to
score them all. Rows are keyed by (kind, object id), so the index survives a reindex.

The file records the identity of the database it was built from and a fingerprint of its keys
and texts. An item's stored vector is taken only when it was made from the item's current text
(the same sha1), so embeddings left by another database, or older than an edit, never stand for
an item. A file of another database is not used: :func:`get_index` answers None and says why.
Reading never builds: the catch-up job, ``search reindex`` and ``similar rebuild`` call
:func:`build_semantic_index`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrtrack.nlp.embeddings import DIMENSIONS, MODEL_NAME, ModelError

logger = logging.getLogger(__name__)

EXACT_LIMIT = 200_000
NPROBE = 32
#: Filtered sets up to this size are scored exactly, whatever the index's size. Above, the
#: inverted file's lists (NPROBE of about 1,000 rows at a million) still hold hundreds of them.
EXACT_FILTERED = 20_000
#: Cosine below which an item is not taken as a semantic match.
MIN_SCORE = 0.25
KIND_CODES = {"recommendation": 1, "commitment": 2, "pledge": 3, "observation": 4, "dialogue": 5}
#: Why :func:`index_state` has no index: none was built, or the one on disk is another database's.
MISSING = "missing"
OTHER_DATABASE = "other-database"
READY = "ready"


def index_path() -> Path:
    return Path(settings.VAR_DIR) / "search" / f"semantic-{MODEL_NAME}.npz"


def object_key(kind: str, object_id) -> np.ndarray:
    return np.int64(KIND_CODES.get(kind, 9)) << np.int64(40) | np.asarray(object_id, dtype=np.int64)


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and the per-dimension scale: value ≈ code × scale."""
    scale = np.maximum(np.abs(vectors).max(axis=0), 1e-6).astype(np.float32) / 127.0
    codes = np.clip(np.rint(vectors / scale), -127, 127).astype(np.int8)
    return codes, scale


def kmeans(vectors: np.ndarray, lists: int, iterations: int = 12, sample: int = 50_000,
           seed: int = 0) -> np.ndarray:
    """Spherical k-means centroids on a sample (unit vectors, cosine)."""
    rng = np.random.default_rng(seed)
    train = vectors[rng.choice(len(vectors), size=min(sample, len(vectors)), replace=False)].astype(np.float32)
    centroids = train[rng.choice(len(train), size=lists, replace=False)].copy()
    for _iteration in range(iterations):
        assign = np.argmax(train @ centroids.T, axis=1)
        for c in range(lists):
            members = train[assign == c]
            if len(members):
                mean = members.sum(axis=0)
                centroids[c] = mean / max(np.linalg.norm(mean), 1e-9)
    return centroids


def _assign(vectors: np.ndarray, centroids: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    out = np.empty(len(vectors), dtype=np.int32)
    for start in range(0, len(vectors), chunk):
        out[start:start + chunk] = np.argmax(vectors[start:start + chunk].astype(np.float32) @ centroids.T, axis=1)
    return out


def _dialogue_vectors(embed) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Keys, vectors, text hashes and texts of the live dialogues (none without a model)."""
    from hrtrack.nlp.similar import text_hash

    from .models import SearchDocument

    rows = list(SearchDocument.objects.filter(kind="dialogue", live=True).order_by("object_id")
                .values_list("object_id", "text"))
    if not rows or embed is None:
        return (np.zeros(0, dtype=np.int64), np.zeros((0, DIMENSIONS), dtype=np.float32), np.zeros(0, dtype="S20"),
                [])
    texts = [text[:2000] for _pk, text in rows]
    vectors = embed(texts)
    hashes = np.array([text_hash(text) for text in texts], dtype="S20")
    return object_key("dialogue", [pk for pk, _text in rows]), vectors, hashes, texts


def _item_vectors(stored, say, embed=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys, vectors and text hashes of the items whose current text has a stored vector.

    An item whose text names a restricted person is searched by its text with the name withheld,
    as its search document holds it (the stored vector, made from the whole text, would let a
    search for the name find the item): that text is embedded here, with ``embed``, and without
    a model the item is left out of the index rather than searched by the name."""
    from hrtrack.nlp.similar import text_hash
    from hrtrack.recommendations.models import Recommendation

    from .models import SearchDocument

    withheld = {(KIND_CODES.get(kind, 9), object_id): text for kind, object_id, text in SearchDocument.objects.filter(
        live=True).exclude(kind="dialogue").exclude(restricted_text="").values_list("kind", "object_id", "text")}
    ids, kinds, hashes, own = [], [], [], []
    for pk, kind, text in Recommendation.objects.order_by("id").values_list("id", "kind", "text").iterator(
            chunk_size=10_000):
        ids.append(pk)
        kinds.append(KIND_CODES.get(kind, 9))
        shown = withheld.get((kinds[-1], pk))
        if shown is not None:
            own.append((len(hashes), shown))
        hashes.append(text_hash(text if shown is None else shown))
    current = np.array(hashes, dtype="S20")
    # Where each item's vector comes from: a row of the store (-1: none there).
    source = np.full(len(current), -1, dtype=np.int64)
    if stored is not None and len(current):
        _stored_ids, stored_hashes, stored_vectors = stored
        # By the text's hash, not the id: a vector stands for its text, under any id or database.
        order = np.argsort(stored_hashes, kind="stable")
        sorted_hashes = stored_hashes[order]
        where = np.minimum(np.searchsorted(sorted_hashes, current), len(sorted_hashes) - 1)
        hit = sorted_hashes[where] == current
        source[hit] = order[where[hit]]
    own_at = np.array([at for at, _text in own], dtype=np.int64)
    source[own_at] = -1  # never the stored vector of the whole text
    own_vectors = (np.asarray(embed([text for _at, text in own]), dtype=np.float32)
                   if own and embed is not None else None)
    found = source >= 0
    if own_vectors is not None:
        found[own_at] = True
    positions = np.flatnonzero(found)
    # Only the rows kept, made once (a million items' float32 vectors are 1.5 GB).
    vectors = np.empty((len(positions), DIMENSIONS), dtype=np.float32)
    from_store = source[positions] >= 0
    if from_store.any():
        vectors[from_store] = stored[2][source[positions[from_store]]]
    if own_vectors is not None:
        vectors[np.searchsorted(positions, own_at)] = own_vectors
    missing = int(len(current) - np.count_nonzero(found))
    if missing:
        say(ngettext("%(count)s item has no embedding of its current text yet: it joins the semantic index once "
                     "it is embedded.",
                     "%(count)s items have no embedding of their current text yet: they join the semantic index once "
                     "they are embedded.", missing) % {"count": number_format(missing)})
    keys = (np.array(kinds, dtype=np.int64) << np.int64(40)) | np.array(ids, dtype=np.int64)
    return keys[found], vectors, current[found]


def fingerprint(keys: np.ndarray, hashes: np.ndarray) -> str:
    """sha1 of the keys and their texts' hashes, in order: the same for the same texts under the same keys."""
    digest = hashlib.sha1(MODEL_NAME.encode())
    digest.update(np.ascontiguousarray(keys, dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(hashes, dtype="S20").tobytes())
    return digest.hexdigest()


def build_semantic_index(embed: Callable | None = None, progress: Callable[[str], None] | None = None,
                         path: Path | None = None) -> int:
    """Write the semantic index from the stored item embeddings (and embedded dialogues).

    Only an item's vector of its current text is taken (see the module's docstring); the file
    records this database's identity. Returns how many vectors it holds; 0 (and no file) when
    no embeddings exist yet.
    """
    from hrtrack.nlp.models import database_id
    from hrtrack.nlp.similar import EmbeddingStore

    say = progress or (lambda message: None)
    path = path or index_path()
    database = database_id()
    store = EmbeddingStore()
    stored = store.load()
    if stored is not None and store.database() != database:
        say(_("The stored embeddings were made for another database: only those of identical texts are used."))
    if embed is None:
        try:
            from hrtrack.nlp.embeddings import get_embedder

            embed = get_embedder().encode
        except ModelError:
            embed = None
    item_keys, item_vectors, item_hashes = _item_vectors(stored, say, embed)
    dialogue_keys, dialogue_vectors, dialogue_hashes, dialogue_texts = _dialogue_vectors(embed)
    keys = np.concatenate([item_keys, dialogue_keys])
    if not len(keys):
        if path.exists():
            path.unlink()
        return 0
    hashes = np.concatenate([item_hashes, dialogue_hashes])
    vectors = np.concatenate([item_vectors, dialogue_vectors.astype(np.float32)])
    codes, scale = quantize(vectors)
    arrays = {"keys": keys, "codes": codes, "scale": scale, "built": np.array(time.time()),
              "database": np.array(database), "fingerprint": np.array(fingerprint(keys, hashes))}
    multilingual = _multilingual(item_keys, dialogue_texts, embed, say) if len(keys) <= EXACT_LIMIT else None
    if multilingual is not None:
        from .bridge import model_name

        arrays["ml_codes"], arrays["ml_scale"] = quantize(multilingual)
        arrays["ml_model"] = np.array(model_name())
    if len(keys) > EXACT_LIMIT:
        lists = int(np.sqrt(len(keys)))
        say(f"k-means: {lists} lists over {len(keys)} vectors…")
        centroids = kmeans(vectors, lists)
        assign = _assign(vectors, centroids)
        order = np.argsort(assign, kind="stable")
        arrays.update(keys=keys[order], codes=codes[order], centroids=centroids,
                      offsets=np.searchsorted(assign[order], np.arange(lists + 1)).astype(np.int64))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez(temporary, **arrays)
    os.replace(temporary, path)
    return len(keys)


def _multilingual(item_keys: np.ndarray, dialogue_texts: list[str], embed, say) -> np.ndarray | None:
    """The rows' vectors by the multilingual model (hrtrack.search.bridge), fitting the bridge
    first when it is due; None where it is off, not installed, or there is no English model."""
    if embed is None or not settings.HRTRACK_SEARCH_BRIDGE:
        return None
    from . import bridge

    try:
        if bridge.needs_build():
            bridge.build_bridge(encode_english=embed, progress=say)
        return bridge.row_vectors(item_keys & np.int64((1 << 40) - 1), dialogue_texts, say)
    except bridge.BridgeUnavailable as error:
        say(_("The multilingual model is not used: %(error)s") % {"error": error})
        return None


def _dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Matrix times vector without BLAS: its thread pool turns a millisecond into a hundred on a
    busy machine (the threads wait for cores), and one query's product is too small to share."""
    return np.einsum("ij,j->i", matrix, vector.astype(matrix.dtype, copy=False))


def unit(vector: np.ndarray) -> np.ndarray:
    """The vector scaled to length 1, as float32 (a zero vector stays zero)."""
    return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)


def _floor(second: np.ndarray | None, weight: float) -> float:
    """The score a row must reach: MIN_SCORE for one model; with two, their sum must reach it."""
    return MIN_SCORE if second is None else MIN_SCORE / (1 + weight)


class SemanticIndex:
    """The loaded index, with its rows mapped to a catalog's rows."""

    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as data:
            self.keys = data["keys"]
            self.codes = data["codes"]
            self.scale = data["scale"]
            self.centroids = data["centroids"] if "centroids" in data else None
            self.offsets = data["offsets"] if "offsets" in data else None
            # None for a file from before indexes said whose they were: trusted by no database.
            self.database = str(data["database"]) if "database" in data else None
            self.fingerprint = str(data["fingerprint"]) if "fingerprint" in data else None
            # The rows by the multilingual model (small indexes only: hrtrack.search.bridge).
            multilingual = (data["ml_codes"], data["ml_scale"]) if "ml_codes" in data else None
            self.multilingual_model = str(data["ml_model"]) if "ml_model" in data else None
        # Small indexes keep float32 rows: a matrix-vector product with no conversion.
        self.dense = (self.codes.astype(np.float32) * self.scale) if self.centroids is None else None
        self.multilingual = (multilingual[0].astype(np.float32) * multilingual[1]
                             if multilingual is not None and self.dense is not None else None)
        self.mtime = path.stat().st_mtime
        self.path = path
        self.catalog_rows = None
        self.catalog_stamp = None
        self._local = threading.local()

    def map_to(self, catalog) -> np.ndarray:
        """Each vector's catalog row (-1 when the catalog has no such live document)."""
        stamp = (id(catalog), catalog.generation, catalog.version, catalog.size)
        if self.catalog_stamp != stamp:
            kinds = catalog.vocabularies["kind"].values
            kind_codes = np.array([KIND_CODES.get(k, 9) for k in kinds] or [9], dtype=np.int64)
            catalog_kinds = catalog.single["kind"]
            catalog_keys = (kind_codes[np.maximum(catalog_kinds, 0)] << np.int64(40)) | catalog.object_ids
            catalog_keys = np.where(catalog.live, catalog_keys, -1)
            order = np.argsort(catalog_keys)
            sorted_keys = catalog_keys[order]
            where = np.searchsorted(sorted_keys, self.keys)
            where = np.minimum(where, len(sorted_keys) - 1) if len(sorted_keys) else where
            found = (sorted_keys[where] == self.keys) if len(sorted_keys) else np.zeros(len(self.keys), dtype=bool)
            self.catalog_rows = np.where(found, order[where] if len(sorted_keys) else -1, -1).astype(np.int64)
            # And the other way: each catalog row's vector (-1 for none), for filtered exact scoring.
            self.vector_rows = np.full(catalog.size, -1, dtype=np.int64)
            present = self.catalog_rows >= 0
            self.vector_rows[self.catalog_rows[present]] = np.nonzero(present)[0]
            self.catalog_stamp = stamp
        return self.catalog_rows

    #: Rows converted to float32 at a time, in a buffer kept per thread: a fresh array for each
    #: list would cost its page faults on every query.
    CHUNK = 4096

    def _buffer(self) -> np.ndarray:
        buffer = getattr(self._local, "buffer", None)
        if buffer is None:
            buffer = self._local.buffer = np.empty((self.CHUNK, self.codes.shape[1]), dtype=np.float32)
        return buffer

    def _scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if self.dense is not None:
            return _dot(self.dense[rows], query)
        weighted = (query * self.scale).astype(np.float32)
        buffer, out = self._buffer(), np.empty(len(rows), dtype=np.float32)
        for start in range(0, len(rows), self.CHUNK):
            part = rows[start:start + self.CHUNK]
            np.copyto(buffer[:len(part)], self.codes[part], casting="unsafe")
            np.einsum("ij,j->i", buffer[:len(part)], weighted, out=out[start:start + len(part)])
        return out

    def _slice_scores(self, query: np.ndarray, lists) -> np.ndarray:
        """Scores of whole inverted lists, each a slice of the codes (no gathering)."""
        weighted = (query * self.scale).astype(np.float32)
        bounds = [(int(self.offsets[c]), int(self.offsets[c + 1])) for c in lists]
        buffer, out = self._buffer(), np.empty(sum(end - begin for begin, end in bounds), dtype=np.float32)
        at = 0
        for begin, end in bounds:
            for start in range(begin, end, self.CHUNK):
                stop = min(end, start + self.CHUNK)
                np.copyto(buffer[:stop - start], self.codes[start:stop], casting="unsafe")
                np.einsum("ij,j->i", buffer[:stop - start], weighted, out=out[at:at + stop - start])
                at += stop - start
        return out

    def _second(self, second: np.ndarray | None, weight: float) -> np.ndarray | None:
        """The multilingual query where this index can score it, else None."""
        return None if second is None or self.multilingual is None or weight <= 0 else second

    def _scored(self, query: np.ndarray, positions: np.ndarray, second: np.ndarray | None,
                weight: float) -> np.ndarray:
        """The rows' scores as :meth:`search` gives them (``second`` already through :meth:`_second`)."""
        scores = self._scores(query, positions)
        if second is not None:
            scores = (scores + weight * _dot(self.multilingual[positions], second)) / (1 + weight)
        return scores

    def reaches_floor(self, rows: np.ndarray, query: np.ndarray, second: np.ndarray | None = None,
                      weight: float = 0.0) -> np.ndarray:
        """Which of these catalog rows the query itself would keep (the floor of :meth:`search`):
        a second pass from a moved query may rank, never add, what the query does not reach."""
        second = self._second(second, weight)
        positions = self.vector_rows[rows]
        keep = positions >= 0
        keep[keep] = self._scored(query, positions[keep], second, weight) >= _floor(second, weight)
        return keep

    def moved_towards(self, rows: np.ndarray, query: np.ndarray, second: np.ndarray | None,
                      strength: float) -> tuple[np.ndarray, np.ndarray | None]:
        """The query (and its multilingual twin) moved towards the mean of these catalog rows'
        vectors (pseudo-relevance feedback, Rocchio's rule): ``q + strength * mean``, as unit vectors."""
        positions = self.vector_rows[rows] if self.catalog_rows is not None else np.zeros(0, dtype=np.int64)
        positions = positions[positions >= 0]
        if not len(positions) or strength <= 0:
            return query, second

        def moved(vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
            return unit(vector.astype(np.float32) + strength * unit(matrix.mean(axis=0)))

        if self.dense is not None:
            found = self.dense[positions]
        else:
            found = self.codes[positions].astype(np.float32) * self.scale
        query = moved(query, found)
        if second is not None and self.multilingual is not None:
            second = moved(second, self.multilingual[positions])
        return query, second

    def search(self, query: np.ndarray, catalog, mask: np.ndarray, count: int,
               second: np.ndarray | None = None, weight: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """The ``count`` best catalog rows allowed by ``mask`` above MIN_SCORE, best first, with cosines.

        With ``second`` (the query by the multilingual model, where the index holds its rows), a
        row's score is ``(cosine + weight * second cosine) / (1 + weight)``: the two models agree
        more often on what is relevant than on what is not. A row is then kept when
        ``cosine + weight * second cosine`` reaches MIN_SCORE: together the two must reach what one
        alone had to (a floor on the weighted mean would leave a filtered Spanish paraphrase with
        a handful of results, or none)."""
        second = self._second(second, weight)
        catalog_rows = self.map_to(catalog)
        allowed_count = int(np.count_nonzero(mask))
        if not allowed_count:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        everything = allowed_count == catalog.live_count()
        if self.dense is not None and everything:
            candidates = None
            scores = _dot(self.dense, query)
            if second is not None:
                scores = (scores + weight * _dot(self.multilingual, second)) / (1 + weight)
        elif self.centroids is None or allowed_count <= EXACT_FILTERED:
            # Few enough rows (or a small index): score every allowed row exactly.
            candidates = self.vector_rows[np.nonzero(mask)[0]]
            candidates = candidates[candidates >= 0]
            scores = self._scored(query, candidates, second, weight)
        else:
            lists = len(self.centroids)
            nearest = np.argpartition(-_dot(self.centroids, query), NPROBE)[:NPROBE] if lists > NPROBE else range(lists)
            nearest = np.sort(np.asarray(nearest))
            candidates = np.concatenate([np.arange(self.offsets[c], self.offsets[c + 1]) for c in nearest])
            if everything:
                scores = self._slice_scores(query, nearest)
            else:
                rows = catalog_rows[candidates]
                candidates = candidates[(rows >= 0) & mask[np.maximum(rows, 0)]]
                scores = self._scores(query, candidates)
        # Two models' cosines together must reach what one alone had to (see the docstring).
        keep = scores >= _floor(second, weight)
        scores = scores[keep]
        picked = np.nonzero(keep)[0] if candidates is None else candidates[keep]
        if len(scores) > count:
            top = np.argpartition(-scores, count)[:count]
            scores, picked = scores[top], picked[top]
        order = np.argsort(-scores, kind="stable")
        rows = catalog_rows[picked[order]]
        valid = rows >= 0
        return rows[valid], scores[order][valid]


_loaded: dict = {"index": None}
_lock = threading.Lock()
#: Files already reported as another database's (path, mtime): logged once, not at every search.
_reported: set = set()


def index_state(catalog=None) -> tuple[SemanticIndex | None, str]:
    """This process's semantic index and :data:`READY`, or None and why (:data:`MISSING`,
    :data:`OTHER_DATABASE`). Read again when the file changes; never built here.

    The database's identity comes from ``catalog`` (its freshness check reads it with the rest,
    no query of its own) or, without one, from the table.
    """
    from hrtrack.nlp.models import database_id

    path = index_path()
    with _lock:
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            _loaded["index"] = None
            return None, MISSING
        index = _loaded["index"]
        if index is None or index.path != path or index.mtime != mtime:
            try:
                index = _loaded["index"] = SemanticIndex(path)
            except (OSError, KeyError, ValueError):  # being replaced, or cut short
                _loaded["index"] = None
                return None, MISSING
    database = catalog.database_id if catalog is not None else database_id(create=False)
    if index.database is None or index.database != database:
        if (path, index.mtime) not in _reported:
            _reported.add((path, index.mtime))
            logger.warning("Ignoring %s: built from database %s, this one is %s.", path, index.database, database)
        return None, OTHER_DATABASE
    return index, READY


def get_index(catalog=None) -> SemanticIndex | None:
    """This process's semantic index of this database, or None (:func:`index_state` says why)."""
    return index_state(catalog)[0]


_query_cache: dict[str, np.ndarray] = {}
_query_embedders: dict = {}


def query_embedder():
    """The model for queries, on one thread: a sentence is too short to share out, and the
    threads of a pool, spinning after each query, slow the search that follows on a busy machine."""
    from hrtrack.nlp import embeddings

    model_dir = Path(embeddings._embedder.model_dir if embeddings._embedder else embeddings.default_model_dir())
    embedder = _query_embedders.get(model_dir)
    if embedder is None:
        embedder = _query_embedders[model_dir] = embeddings.Embedder(model_dir, threads=1)
    return embedder


def embed_query(text: str) -> np.ndarray:
    """The query's unit vector (raises ModelError when no model is exported). Kept for repeats."""
    vector = _query_cache.get(text)
    if vector is None:
        vector = query_embedder().encode([text])[0]
        if len(_query_cache) > 2000:
            _query_cache.clear()
        _query_cache[text] = vector
    return vector

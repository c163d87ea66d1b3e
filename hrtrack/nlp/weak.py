"""Schemes without human-labelled training data (affected groups, SDG goals): weak labels, then
the theme machinery of :mod:`hrtrack.nlp.themes`.

A weak label says "this text is about this concept" because a person said something close
(the UPR Info issue of the row maps to the concept) or because the text names it (a
word-boundary regular expression of a lexicon, English and Spanish, matched on the folded
text). The union of both is what the model learns from; the model then generalizes beyond
the exact words (the words that go with "migrant workers" also go with "foreign workers").

Unlike themes, an item may concern no group and no goal: a concept is suggested only above its
own threshold, never forced.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import fold

from . import themes

#: Training from the database needs at least this many items with confirmed themes.
MIN_TAGGED_ITEMS = 20

BUILTIN_TAXONOMY = Path(__file__).resolve().parent.parent / "taxonomy" / "data"  # loader.BUILTIN_DIR


@dataclass
class WeakScheme:
    """A scheme learnt from weak labels: its concepts, how UPR Info issues map to them, and the
    lexicon of each concept. ``documents`` are extra training texts (descriptions) with their
    concepts."""

    slug: str
    kind: str
    issue_map: dict[str, list[str]]
    lexicons: dict[str, str]
    documents: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return sorted(self.lexicons)

    def __post_init__(self):
        self.patterns = {code: re.compile(rf"\b(?:{pattern})\b") for code, pattern in self.lexicons.items()}

    def named_in(self, text: str) -> set[str]:
        """The concepts whose lexicon matches the text."""
        folded = fold(text)
        return {code for code, pattern in self.patterns.items() if pattern.search(folded)}

    def from_issues(self, issues: list[str]) -> set[str]:
        return {code for issue in issues for code in self.issue_map.get(issue, [])}


def builtin_rows(slug: str) -> list[dict]:
    """The concepts the package ships for ``slug`` (hrtrack/taxonomy/data/SLUG.csv)."""
    from hrtrack.taxonomy.loader import read_scheme_file

    return read_scheme_file(BUILTIN_TAXONOMY / f"{slug}.csv")


def ensure_scheme(slug: str) -> None:
    """Load the package's scheme ``slug`` when the database does not have it yet."""
    from hrtrack.taxonomy.loader import load_scheme
    from hrtrack.taxonomy.models import Concept

    if not Concept.objects.in_scheme(slug).exists():
        load_scheme(slug, builtin_rows(slug))


def map_concepts(source_scheme: str, target_scheme: str, match) -> int:
    """Record the concepts of ``source_scheme`` met so far as mappings to ``target_scheme``:
    ``match(code)`` gives the target's code and the relation (a MappingRelation), or None.
    Returns how many mappings were added; existing ones are kept."""
    from hrtrack.taxonomy.models import Concept, ConceptMapping

    targets = dict(Concept.objects.in_scheme(target_scheme).values_list("code", "pk"))
    added = 0
    for concept_id, code in Concept.objects.in_scheme(source_scheme).values_list("pk", "code"):
        target, relation = match(code) or (None, None)
        if target in targets:
            _mapping, created = ConceptMapping.objects.get_or_create(source_id=concept_id, target_id=targets[target],
                                                                     relation=relation)
            added += created
    return added


def weak_targets(scheme: WeakScheme, texts: list[str], issue_rows: list[list[str]]) -> np.ndarray:
    """texts x concepts, 1 where the issues or the lexicon say so, 0 elsewhere."""
    index = {code: j for j, code in enumerate(scheme.labels)}
    targets = np.zeros((len(texts), len(index)), dtype=np.int8)
    for i, (text, issues) in enumerate(zip(texts, issue_rows, strict=True)):
        for code in scheme.named_in(text) | scheme.from_issues(issues):
            targets[i, index[code]] = 1
    return targets


def issues_of(data: themes.TrainingData) -> list[list[str]]:
    """The upr-issues codes of each row of theme training data (empty where unknown)."""
    return [[data.labels[j] for j in np.flatnonzero(row == 1)] for row in data.targets]


def read_weak_csv(scheme: WeakScheme, paths, sessions: set[int] | None = None,
                  issues: dict[str, str] | None = None, with_documents: bool = True) -> themes.TrainingData:
    """UPR Info CSV rows with weak labels for ``scheme``, plus the scheme's description documents
    (see :func:`weak_data`)."""
    rows = themes.read_upr_csv(paths, sessions, issues=issues)
    return weak_data(scheme, rows, with_documents=with_documents)


def read_weak_database(scheme: WeakScheme, sessions: set[int] | None = None) -> themes.TrainingData:
    """The items in the database with weak labels for ``scheme``, as :func:`read_weak_csv` reads
    files: each item's confirmed UPR Info issues (its ``upr-issues`` links) and the lexicon, plus the
    scheme's description documents. Where a person has decided, their word wins: a confirmed link
    to the scheme is a positive, a suggestion they rejected a negative."""
    from hrtrack.recommendations.models import Recommendation
    from hrtrack.taxonomy.models import Concept

    issue_labels = list(Concept.objects.in_scheme(themes.THEME_SCHEME).order_by("code").values_list("code", flat=True))
    issue_index = {code: j for j, code in enumerate(issue_labels)}
    issues: dict[int, list[int]] = {}
    for item_id, code in themes.confirmed_links(themes.THEME_SCHEME):
        issues.setdefault(item_id, []).append(issue_index[code])
    ids, texts, actions, session_numbers = [], [], [], []
    for pk, text, action, session in Recommendation.objects.order_by("pk").values_list(
            "pk", "text", "action_category", "session").iterator(chunk_size=5000):
        if not text.strip() or (sessions is not None and (session or 0) not in sessions):
            continue
        ids.append(pk)
        texts.append(text)
        actions.append(action or 0)
        session_numbers.append(session or 0)
    tagged = len(set(ids) & set(issues))
    if tagged < MIN_TAGGED_ITEMS:  # the scheme's descriptions alone would make a model, a poor one
        raise InvalidInput(_("Too few items with themes to learn %(scheme)s from: %(count)d.")
                           % {"scheme": scheme.slug, "count": tagged})
    targets = np.full((len(texts), len(issue_labels)), -1, dtype=np.int8)
    for i, pk in enumerate(ids):
        if pk in issues:
            targets[i] = 0
            targets[i, issues[pk]] = 1
    description = {"source": "database", "sessions": themes._ranges(sorted(set(session_numbers) - {0})),
                   "rows": len(texts), "rows_with_issues": tagged,
                   "rows_with_action": sum(1 for a in actions if a)}
    rows = themes.TrainingData(texts, issue_labels, targets, np.array(actions, dtype=np.int8),
                               np.array(session_numbers, dtype=np.int32), description)
    data = weak_data(scheme, rows)
    # The items come first in data, the description documents after them.
    row_of = {pk: i for i, pk in enumerate(ids)}
    index = {code: j for j, code in enumerate(scheme.labels)}
    decisions = [(item_id, code, 0) for item_id, code in themes.rejected_links(scheme.slug)]
    decisions += [(item_id, code, 1) for item_id, code in themes.confirmed_links(scheme.slug)]
    for item_id, code, value in decisions:
        if item_id in row_of and code in index:
            data.targets[row_of[item_id], index[code]] = value
    data.description["rejected_suggestions"] = sum(1 for *_d, value in decisions if value == 0)
    data.description["confirmed_links"] = len(decisions) - data.description["rejected_suggestions"]
    data.description["positives"] = {code: int(data.targets[:, j].sum()) for j, code in enumerate(scheme.labels)}
    return data


def weak_data(scheme: WeakScheme, rows: themes.TrainingData, with_documents: bool = True) -> themes.TrainingData:
    texts = list(rows.texts)
    targets = weak_targets(scheme, texts, issues_of(rows))
    sessions = rows.sessions.copy()
    documents = scheme.documents if with_documents else []
    if documents:
        index = {code: j for j, code in enumerate(scheme.labels)}
        extra = np.zeros((len(documents), len(index)), dtype=np.int8)
        for i, (_text, codes) in enumerate(documents):
            extra[i, [index[c] for c in codes]] = 1
        texts += [text for text, _codes in documents]
        targets = np.vstack([targets, extra])
        # Every other description of a concept gets the latest session, the rest the earliest: the
        # tuning fit (which holds out the latest sessions) then calibrates and sets a threshold for
        # concepts that the UPR rows hardly ever reach (energy, oceans, forests), on descriptions
        # it has not seen.
        known = sessions[sessions > 0]
        first, last = (int(known.min()), int(known.max())) if known.size else (0, 0)
        seen: dict[tuple[str, ...], int] = {}
        extra_sessions = []
        for text, codes in documents:
            order = seen.setdefault((text, *codes), sum(1 for key in seen if key[1:] == tuple(codes)))
            extra_sessions.append(last if order % 2 else first)
        sessions = np.concatenate([sessions, np.array(extra_sessions, dtype=np.int32)])
    description = {**rows.description, "scheme": scheme.slug, "weak_labels": "upr-issues mapping + lexicon",
                   "description_documents": len(documents), "rows": len(texts),
                   "positives": {code: int(targets[:, j].sum()) for j, code in enumerate(scheme.labels)}}
    actions = np.concatenate([rows.actions, np.zeros(len(documents), dtype=np.int8)])
    return themes.TrainingData(texts, scheme.labels, targets, actions, sessions, description)


@dataclass
class OptionalLabelsModel(themes.ThemeModel):
    """A theme model whose items may get no concept: only those over their threshold."""

    kind: str = "groups"

    def suggest(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        probs = self.probabilities(texts)
        result = []
        for row in probs:
            js = np.flatnonzero(row >= self.thresholds)
            js = js[np.argsort(-row[js])]
            result.append([(self.labels[j], float(row[j])) for j in js])
        return result


def train_weak(scheme: WeakScheme, data: themes.TrainingData, progress=None) -> OptionalLabelsModel:
    """The theme training (calibration and thresholds on out-of-fold scores, then a refit on
    everything), on weak labels."""
    model = themes.train_themes(data, progress=progress)
    model.meta["weak_scheme"] = scheme.slug
    return OptionalLabelsModel(model.labels, model.featurizer, model.coef, model.intercept, model.calibration,
                               model.thresholds, model.meta, kind=scheme.kind)


def set_f1(predicted: list[set[str]], gold: list[set[str]], labels: list[str]) -> dict:
    """Micro- and macro-F1 of label sets (macro over the labels present in ``gold``), per label."""
    per_label, f1s = [], []
    tp_all = fp_all = fn_all = 0
    for label in labels:
        tp = sum(1 for p, g in zip(predicted, gold, strict=True) if label in p and label in g)
        fp = sum(1 for p, g in zip(predicted, gold, strict=True) if label in p and label not in g)
        fn = sum(1 for p, g in zip(predicted, gold, strict=True) if label not in p and label in g)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        if tp + fn:
            f1s.append(f1)
        per_label.append({"label": label, "f1": round(f1, 4), "support": tp + fn, "predicted": tp + fp})
    micro = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all + fp_all + fn_all else 0.0
    return {"items": len(gold), "micro_f1": round(micro, 4), "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0,
            "labels_in_evaluation": len(f1s), "per_label": per_label}


def read_judged(path: Path, upr_csv: Path, issues: dict[str, str] | None = None):
    """A hand-judged set: rows (session, recipient, recommending_state, text_prefix, groups) found
    again in the UPR Info file. Returns (texts, issue codes per text, judged concepts per text)."""
    judged = list(csv.DictReader(Path(path).open(encoding="utf-8")))
    rows = themes.read_upr_csv([upr_csv], issues=issues)
    # read_upr_csv keeps text and session only: the recipient and state are read again here.
    from hrtrack.ingest.files import open_table

    table = open_table(upr_csv)
    keys = [(str(r.cells.get("Session") or "").strip(), r.cells.get("To") or "", r.cells.get("From") or "")
            for r in table if str(r.cells.get("Text") or "").strip()]
    row_issues = issues_of(rows)
    found = {}
    for i, (key, text) in enumerate(zip(keys, rows.texts, strict=True)):
        found.setdefault((*key, " ".join(text.split())[:60]), i)
    texts, issue_rows, gold, missing = [], [], [], []
    for row in judged:
        i = found.get((row["session"], row["recipient"], row["recommending_state"], row["text_prefix"]))
        if i is None:
            missing.append(row["text_prefix"])
            continue
        texts.append(rows.texts[i])
        issue_rows.append(row_issues[i])
        gold.append({code for code in row["groups"].split(";") if code})
    if missing:
        raise InvalidInput(_("%(count)d judged rows are not in %(file)s, e.g. %(text)r.")
                           % {"count": len(missing), "file": upr_csv, "text": missing[0]})
    return texts, issue_rows, gold

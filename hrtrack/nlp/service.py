"""What the CLI, the background job and the tests call: train, evaluate, classify a file."""

import csv
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput

from . import themes
from .models_io import load_model, save_model

SCORES_SHOWN = 0.05  # theme_scores lists the labels at least this likely
#: The columns `classify` adds, by model kind.
COLUMNS = {"themes": ("themes", "theme_scores"), "action": ("action", "action_scores"),
           "groups": ("groups", "group_scores"), "sdgs": ("sdgs", "sdg_scores")}


def weak_scheme(scheme: str):
    """The weakly supervised scheme called ``scheme`` (affected-groups, sdg-goals), or None."""
    from .groups import GROUPS
    from .sdg import SDGS

    return {GROUPS.slug: GROUPS, SDGS.slug: SDGS}.get(scheme)


def training_data(scheme: str, csv_files: list[Path] | None = None, sessions: str | None = None):
    """Training data from UPR Info CSV files when given, else from the database's confirmed links
    (for affected groups and SDG goals: weak labels from the items' confirmed themes, see
    :func:`hrtrack.nlp.weak.read_weak_database`)."""
    wanted = themes.parse_sessions(sessions)
    if csv_files and weak_scheme(scheme):
        from .weak import read_weak_csv

        return read_weak_csv(weak_scheme(scheme), csv_files, wanted)
    if weak_scheme(scheme):
        from .weak import read_weak_database

        return read_weak_database(weak_scheme(scheme), wanted)
    if csv_files:
        return themes.read_upr_csv(csv_files, wanted)
    data = themes.read_database(themes.THEME_SCHEME if scheme == "action" else scheme)
    if wanted is not None:
        data = data.subset([i for i, s in enumerate(data.sessions.tolist()) if s in wanted])
    return data


def train_model(scheme: str, out: Path, csv_files: list[Path] | None = None, sessions: str | None = None,
                progress=None):
    """Train a model for ``scheme`` ("upr-issues", "action", "affected-groups" or "sdg-goals") and
    save it in ``out``."""
    if weak_scheme(scheme):
        from .weak import train_weak

        data = training_data(scheme, csv_files, sessions)
        save_model(train_weak(weak_scheme(scheme), data, progress=progress), out, scheme=scheme)
        return load_model(out)
    if scheme not in (themes.THEME_SCHEME, "action"):
        raise InvalidInput(_("Unknown scheme %(scheme)s: use upr-issues, action, affected-groups or sdg-goals.")
                           % {"scheme": scheme})
    data = training_data(scheme, csv_files, sessions)
    model = themes.train(data, "action" if scheme == "action" else "themes", progress=progress)
    save_model(model, out, scheme=scheme)
    return load_model(out)


def evaluate_model(model_dir: Path, csv_files: list[Path], sessions: str | None = None) -> dict:
    model = load_model(model_dir)
    scheme = weak_scheme(model.meta.get("scheme", ""))
    if scheme:  # groups and goals: agreement with the weak labels of the rows (no descriptions)
        from .weak import read_weak_csv

        data = read_weak_csv(scheme, csv_files, themes.parse_sessions(sessions), with_documents=False)
    else:
        data = themes.read_upr_csv(csv_files, themes.parse_sessions(sessions))
    report = themes.evaluate(model, data)
    report["model"] = str(model_dir)
    report["data"] = data.description
    return report


def classify_file(model_dir: Path, source: Path, output: Path, text_column: str = "Text") -> int:
    """Copy ``source`` to ``output`` with the model's suggestions added; returns the rows written."""
    from hrtrack.ingest.files import open_table

    model = load_model(model_dir)
    table = open_table(source)
    table.require([text_column])
    rows = [row.cells for row in table]
    column, score_column = COLUMNS.get(model.kind, COLUMNS["themes"])
    texts = [str(cells.get(text_column) or "") for cells in rows]
    probs = model.probabilities(texts) if texts else None
    suggested = model.suggest(texts) if texts else []
    with output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*table.columns, column, score_column])
        writer.writeheader()
        for i, cells in enumerate(rows):
            order = probs[i].argsort()[::-1]
            scores = ";".join(f"{model.labels[j]}:{probs[i, j]:.3f}" for j in order if probs[i, j] >= SCORES_SHOWN)
            labels = ";".join(label for label, _conf in suggested[i]) if texts[i].strip() else ""
            writer.writerow({**{c: cells.get(c, "") for c in table.columns}, column: labels,
                             writer.fieldnames[-1]: scores if texts[i].strip() else ""})
    return len(rows)


def format_report(report: dict) -> str:
    """The evaluation as text: headline figures, per-label table, reliability table."""
    lines = [_("Model: %(model)s") % {"model": report.get("model", "")},
             _("Evaluated on %(rows)d items (sessions %(sessions)s)") % {
                 "rows": report["items"], "sessions": report.get("data", {}).get("sessions", "?")}]
    if report["kind"] == "action":
        lines.append(f"accuracy  {report['accuracy']:.4f}")
    else:
        lines.append(f"micro-F1  {report['micro_f1']:.4f}")
        lines.append(f"suggestions per item  {report['suggestions_per_item']:.2f}")
    lines.append(f"macro-F1  {report['macro_f1']:.4f}")
    p9 = report["precision_at_0_9"]
    lines.append(_("precision of suggestions with confidence >= 0.9: %(p)s (%(n)d suggestions)") % {
        "p": "-" if p9 is None else f"{p9:.4f}", "n": report["confident_suggestions"]})
    lines.append("")
    lines.append(f"{'label':<48} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
    for row in report["per_label"]:
        lines.append(f"{row['label']:<48} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>7.3f} "
                     f"{row['support']:>8d}")
    lines.append("")
    lines.append(_("reliability (confidence of suggestions vs how often they were right)"))
    lines.append(f"{'confidence':<10} {'count':>7} {'mean conf':>10} {'accuracy':>9}")
    for row in report["reliability"]:
        lines.append(f"{row['bin']:<10} {row['count']:>7d} {row['mean_confidence']:>10.3f} {row['accuracy']:>9.3f}")
    return "\n".join(lines)


def evaluate_benchmark_file(model_dir: Path, benchmark: Path) -> dict:
    """An SDG goal model on the SDG benchmark (see :func:`hrtrack.nlp.sdg.evaluate_benchmark`)."""
    from .sdg import evaluate_benchmark

    model = load_model(model_dir)
    if model.kind != "sdgs":
        raise InvalidInput(_("%(dir)s is not an SDG goal model.") % {"dir": model_dir})
    return {"model": str(model_dir), **evaluate_benchmark(model, benchmark)}


def evaluate_judged_file(model_dir: Path, judged: Path, upr_csv: Path) -> dict:
    """An affected-group model against hand-judged items, with the lexicon alone and the weak labels
    (issues and lexicon) judged the same way, for comparison."""
    from .groups import GROUPS
    from .weak import read_judged, set_f1

    model = load_model(model_dir)
    texts, issue_rows, gold = read_judged(judged, upr_csv)
    report = set_f1([{label for label, _conf in s} for s in model.suggest(texts)], gold, model.labels)
    lexicon = set_f1([GROUPS.named_in(t) for t in texts], gold, model.labels)
    weak = set_f1([GROUPS.named_in(t) | GROUPS.from_issues(i) for t, i in zip(texts, issue_rows, strict=True)],
                  gold, model.labels)
    return {"model": str(model_dir), "judged": str(judged), **report,
            "lexicon_only": {k: lexicon[k] for k in ("micro_f1", "macro_f1")},
            "weak_labels": {k: weak[k] for k in ("micro_f1", "macro_f1")}}


def format_benchmark(report: dict) -> str:
    low, high = report["published_range"]
    lines = [_("Model: %(model)s") % {"model": report["model"]},
             _("SDG benchmark: %(rows)d rows") % {"rows": report["rows"]},
             f"{'goal':>4} {'rows':>5} {'present':>8} {'said':>5} {'accuracy':>9} {'majority':>9}"]
    for row in report["per_goal"]:
        lines.append(f"{row['goal']:>4} {row['rows']:>5} {row['present']:>8} {row['said_present']:>5} "
                     f"{row['accuracy']:>9.3f} {row['majority_rate']:>9.3f}")
    lines.append(_("average over goals %(acc).3f (published systems %(low).3f-%(high).3f; always the majority "
                   "answer %(majority).3f)") % {"acc": report["average_accuracy"], "low": low, "high": high,
                                                 "majority": report["average_majority_rate"]})
    return "\n".join(lines)


def format_judged(report: dict) -> str:
    lines = [_("Model: %(model)s") % {"model": report["model"]},
             _("Judged items: %(items)d (%(file)s)") % {"items": report["items"], "file": report["judged"]},
             f"micro-F1  {report['micro_f1']:.4f}", f"macro-F1  {report['macro_f1']:.4f}",
             _("lexicon alone: micro-F1 %(micro).4f, macro-F1 %(macro).4f") % {
                 "micro": report["lexicon_only"]["micro_f1"], "macro": report["lexicon_only"]["macro_f1"]},
             _("weak labels (issues and lexicon): micro-F1 %(micro).4f, macro-F1 %(macro).4f") % {
                 "micro": report["weak_labels"]["micro_f1"], "macro": report["weak_labels"]["macro_f1"]},
             f"{'label':<32} {'F1':>6} {'support':>8} {'said':>5}"]
    for row in report["per_label"]:
        lines.append(f"{row['label']:<32} {row['f1']:>6.3f} {row['support']:>8d} {row['predicted']:>5d}")
    return "\n".join(lines)

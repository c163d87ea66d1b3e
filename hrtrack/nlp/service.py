"""What the CLI, the background job and the tests call: train, evaluate, classify a file."""

import csv
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput

from . import themes
from .models_io import load_model, save_model

SCORES_SHOWN = 0.05  # theme_scores lists the labels at least this likely


def training_data(scheme: str, csv_files: list[Path] | None = None, sessions: str | None = None):
    """Training data from UPR Info CSV files when given, else from the database's confirmed links."""
    wanted = themes.parse_sessions(sessions)
    if csv_files:
        return themes.read_upr_csv(csv_files, wanted)
    data = themes.read_database(themes.THEME_SCHEME if scheme == "action" else scheme)
    if wanted is not None:
        data = data.subset([i for i, s in enumerate(data.sessions.tolist()) if s in wanted])
    return data


def train_model(scheme: str, out: Path, csv_files: list[Path] | None = None, sessions: str | None = None,
                progress=None):
    """Train a model for ``scheme`` ("upr-issues" or "action") and save it in ``out``."""
    if scheme not in (themes.THEME_SCHEME, "action"):
        raise InvalidInput(_("Unknown scheme %(scheme)s: use upr-issues or action.") % {"scheme": scheme})
    data = training_data(scheme, csv_files, sessions)
    model = themes.train(data, "action" if scheme == "action" else "themes", progress=progress)
    save_model(model, out, scheme=scheme)
    return load_model(out)


def evaluate_model(model_dir: Path, csv_files: list[Path], sessions: str | None = None) -> dict:
    model = load_model(model_dir)
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
    column = "action" if model.kind == "action" else "themes"
    texts = [str(cells.get(text_column) or "") for cells in rows]
    probs = model.probabilities(texts) if texts else None
    suggested = model.suggest(texts) if texts else []
    with output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*table.columns, column, f"{column.rstrip('s')}_scores"
                                                if column == "action" else "theme_scores"])
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

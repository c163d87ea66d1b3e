"""The extractor over every dev statement in ../shared and every statement written for the project to
train it (hrtrack/ingest/tests/statements/train/), scored by the shared scorer. How fast it reads them
is measured by bench/extract.py, not here."""

import importlib.util
import json
from pathlib import Path

from hrtrack.ingest.extract import extract_statement


def load_scorer(shared_dir):
    spec = importlib.util.spec_from_file_location("score_statements", shared_dir / "tools" / "score_statements.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_dev_statements_score_at_least_0_90_with_no_leak(shared_dir, gold_records):
    scorer = load_scorer(shared_dir)
    rows = {}
    for name, gold in gold_records.items():
        stem = name[: -len(".gold.json")]
        record = extract_statement(shared_dir / "statements" / "dev" / f"{stem}.txt")
        # What the CLI prints must survive a JSON round trip unchanged.
        rows[stem] = scorer.score_one(json.loads(json.dumps(record, ensure_ascii=False)), gold)
    means = {key: sum(r[key] for r in rows.values()) / len(rows) for key in next(iter(rows.values()))}
    overall = sum(means.values()) / len(means)
    assert all(r["no_leak"] == 1.0 for r in rows.values()), {n: r["no_leak"] for n, r in rows.items()}
    assert overall >= 0.90, (overall, means)


TRAIN = Path(__file__).parent / "statements" / "train"


def score_folder(scorer, folder: Path) -> tuple[dict, dict]:
    """Per-file scores and per-field means of the extractor over every NAME.txt with a NAME.gold.json."""
    rows = {}
    for gold_path in sorted(folder.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        record = extract_statement(folder / f"{stem}.txt")
        rows[stem] = scorer.score_one(json.loads(json.dumps(record, ensure_ascii=False)), gold)
    means = {key: sum(r[key] for r in rows.values()) / len(rows) for key in next(iter(rows.values()))}
    return rows, means


def test_the_training_statements_written_for_the_project_score_at_least_0_95_with_no_leak(shared_dir):
    """Statements in four languages and many styles (prose, bullets, numbered lists, tables aligned with
    pipes or spaces, minutes, wire stories, EU, ministry and parliamentary texts): the floor sits below what
    the extractor measured on them (0.982 on 67)."""
    scorer = load_scorer(shared_dir)
    rows, means = score_folder(scorer, TRAIN)
    assert len(rows) >= 67 and {name[:2] for name in rows} == {"en", "es", "fr", "pt"}
    assert all(r["no_leak"] == 1.0 for r in rows.values()), {n: r["no_leak"] for n, r in rows.items()}
    overall = sum(means.values()) / len(means)
    assert overall >= 0.95, (overall, means)
    # No field is left behind: people, posts, bodies, roles and commitments each read well.
    weak = {key: value for key, value in means.items() if value < 0.8}
    assert not weak, weak


def test_every_training_statement_has_a_gold_record_of_the_shared_shape():
    keys = {"schema", "language", "title", "series", "edition", "date_start", "date_end", "venue_country",
            "venue_city", "host", "parties", "topics", "mechanisms", "participants", "commitments",
            "people_mentioned"}
    texts = sorted(TRAIN.glob("*.txt"))
    assert texts
    for text in texts:
        gold = json.loads(text.with_suffix(".gold.json").read_text(encoding="utf-8"))
        assert keys <= set(gold) and gold["schema"] == "statement/1", text.name
        assert gold["language"] == text.name[:2], text.name

"""The extractor over every dev statement in ../shared, scored by the shared scorer."""

import importlib.util
import json
import time

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


def test_each_dev_statement_takes_under_half_a_second(shared_dir, gold_records):
    paths = [shared_dir / "statements" / "dev" / f"{name[: -len('.gold.json')]}.txt" for name in gold_records]
    extract_statement(paths[0])  # load the vocabularies once
    for path in paths:
        start = time.perf_counter()
        extract_statement(path)
        assert time.perf_counter() - start < 0.5, path.name

"""Benchmark: train the theme and action models on every UPR Info session (the 33k corpus),
then classify the whole corpus. Prints training time, items per second and peak memory.

    .venv/bin/python bench/classify.py [--sessions 1-17]

Targets (issue 5): training < 60 s, classification >= 2,000 items/s, peak memory < 2 GB.
"""

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1-17")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from hrtrack.lib.text import fold
    from hrtrack.nlp import themes
    from hrtrack.nlp.models_io import load_model, save_model

    shared = Path(settings.SHARED_DIR)
    files = sorted((shared / "data" / "upr-info").glob("sessions_*.csv"))
    if not files:
        sys.exit(f"No UPR Info files in {shared / 'data' / 'upr-info'}")
    # The issue names straight from the taxonomy file: no database needed for a benchmark.
    issues = {}
    with (shared / "taxonomy" / "upr-issues.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name in (row["slug"], row["label_en"], row["label_es"]):
                if name:
                    issues[name] = issues[fold(name)] = row["slug"]
    start = time.perf_counter()
    data = themes.read_upr_csv(files, themes.parse_sessions(args.sessions), issues=issues)
    read_s = time.perf_counter() - start

    start = time.perf_counter()
    model = themes.train_themes(data)
    themes_s = time.perf_counter() - start
    start = time.perf_counter()
    themes.train_action(data)
    action_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        save_model(model, Path(tmp) / "upr-issues")
        start = time.perf_counter()
        loaded = load_model(Path(tmp) / "upr-issues")
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        loaded.suggest(data.texts)
        classify_s = time.perf_counter() - start
        size_mb = sum(p.stat().st_size for p in (Path(tmp) / "upr-issues").iterdir()) / 2**20
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "rows": len(data), "sessions": data.description["sessions"], "read_s": round(read_s, 1),
        "train_themes_s": round(themes_s, 1), "train_action_s": round(action_s, 1),
        "model_load_s": round(load_s, 2), "model_size_mb": round(size_mb, 1),
        "classify_items_per_s": round(len(data) / classify_s), "peak_memory_mb": round(peak_mb),
        "cpus": os.cpu_count(),
    }, indent=1))


if __name__ == "__main__":
    main()

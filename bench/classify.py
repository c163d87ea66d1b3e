"""Benchmark: train the theme and action models on every UPR Info session (the 33k corpus),
then classify the whole corpus. Prints training time (wall clock, and CPU time of the process
and its workers: on a shared machine the wall clock says more about the neighbours), items per
second and peak memory.

    .venv/bin/python bench/classify.py [--sessions 1-17]

Targets (issue 5): training < 60 s, classification >= 2,000 items/s, peak memory < 2 GB.
"""

import argparse
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


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (joblib's workers, once shut down):
    on a shared machine a fairer figure than the wall clock."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1-17")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from upr_data import read_sessions  # bench/, beside this script

    from hrtrack.nlp import themes
    from hrtrack.nlp.models_io import load_model, save_model

    shared = Path(settings.SHARED_DIR)
    start = time.perf_counter()
    data = read_sessions(args.sessions)
    read_s = time.perf_counter() - start

    start, cpu = time.perf_counter(), cpu_seconds()
    model = themes.train_themes(data)
    themes_s, themes_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    start = time.perf_counter()
    themes.train_action(data)
    action_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        save_model(model, Path(tmp) / "upr-issues")
        start = time.perf_counter()
        loaded = load_model(Path(tmp) / "upr-issues")
        load_s = time.perf_counter() - start
        start, cpu = time.perf_counter(), cpu_seconds()
        loaded.suggest(data.texts)
        classify_s, classify_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        size_mb = sum(p.stat().st_size for p in (Path(tmp) / "upr-issues").iterdir()) / 2**20
    # Affected groups and SDG goals: weak labels over the same rows, the same training.
    from hrtrack.nlp import groups, sdg, weak

    weak_figures = {}
    for scheme in (groups.GROUPS, sdg.SDGS):
        start = time.perf_counter()
        weak_model = weak.train_weak(scheme, weak.weak_data(scheme, data))
        trained_s = time.perf_counter() - start
        start = time.perf_counter()
        weak_model.suggest(data.texts)
        weak_figures[f"train_{scheme.kind}_s"] = round(trained_s, 1)
        weak_figures[f"classify_{scheme.kind}_items_per_s"] = round(len(data) / (time.perf_counter() - start))
        if scheme is sdg.SDGS:
            benchmark = shared / "data" / "sdg-benchmark" / "benchmark.csv"
            weak_figures["sdg_benchmark_average_accuracy"] = sdg.evaluate_benchmark(weak_model, benchmark)[
                "average_accuracy"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({**weak_figures,
        "rows": len(data), "sessions": data.description["sessions"], "read_s": round(read_s, 1),
        "train_themes_s": round(themes_s, 1), "train_themes_cpu_s": round(themes_cpu, 1),
        "train_action_s": round(action_s, 1),
        "model_load_s": round(load_s, 2), "model_size_mb": round(size_mb, 1),
        "classify_items_per_s": round(len(data) / classify_s),
        "classify_items_per_cpu_s": round(len(data) / classify_cpu), "peak_memory_mb": round(peak_mb),
        "cpus": os.cpu_count(),
    }, indent=1))


if __name__ == "__main__":
    main()

"""Benchmark: train the theme and action models on every UPR Info session (the 33k corpus),
then classify the whole corpus. Prints training time (wall clock, and CPU time of the process
and its workers: on a shared machine the wall clock says more about the neighbours), items per
second and peak memory.

    .venv/bin/python bench/classify.py [--sessions 1-17]
    .venv/bin/python bench/classify.py --rolling [--first 14]

Targets (issue 5): training < 60 s, classification >= 2,000 items/s, peak memory < 2 GB.

``--rolling``: confirmations teach. For k from the first test session (14) to the last (17), the
theme model is trained on sessions 1 to k-1, where session k-1's labels stand for the
confirmations a person left on its suggestions (one who confirms every right suggestion and
rejects every wrong one leaves exactly the human labels), and tags session k. Printed per k
beside the same model trained once on sessions 1 to first-1 (no confirmations: what the
platform did before) and a plain TF-IDF + linear SVM trained on the same rolling splits
(words and word pairs, C = 1, a label when its score is over 0, else the best one); then the
figures pooled over every tagged session.
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
    parser.add_argument("--rolling", action="store_true", help="the rolling curve (see above)")
    parser.add_argument("--first", type=int, default=14, help="first tagged session with --rolling")
    args = parser.parse_args()

    import django

    django.setup()
    if args.rolling:
        return rolling(args.first)
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


def _f1s(predicted, gold) -> tuple[float, float]:
    """Micro-F1 and macro-F1 (over the labels present in ``gold``) of boolean label matrices."""
    import numpy as np

    tp = (predicted & gold).sum(axis=0)
    fp = (predicted & ~gold).sum(axis=0)
    fn = (~predicted & gold).sum(axis=0)
    per_label = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    return float(2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())), float(per_label[gold.any(axis=0)].mean())


def _predicted(model, texts):
    import numpy as np

    predicted = np.zeros((len(texts), len(model.labels)), dtype=bool)
    index = {label: j for j, label in enumerate(model.labels)}
    for i, labels in enumerate(model.suggest(texts)):
        predicted[i, [index[label] for label, _c in labels]] = True
    return predicted


def plain_svm(train, texts):
    """The plain baseline: TF-IDF of words and word pairs, one linear SVM per label (C = 1),
    every label whose score is over 0 and always the best one."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32)
    X = vectorizer.fit_transform(train.texts)
    Z = vectorizer.transform(texts)
    scores = np.full((len(texts), len(train.labels)), -10.0, dtype=np.float32)
    for j in range(len(train.labels)):
        y = train.targets[:, j] == 1
        if y.any() and not y.all():
            scores[:, j] = LinearSVC(C=1.0).fit(X, y).decision_function(Z)
    predicted = scores > 0
    predicted[np.arange(len(texts)), scores.argmax(axis=1)] = True
    return predicted


def rolling(first: int) -> None:
    import numpy as np
    from upr_data import read_sessions

    from hrtrack.nlp import themes

    data = read_sessions()
    data = data.subset(np.flatnonzero((data.targets >= 0).any(axis=1)))
    last = int(data.sessions.max())
    start = time.perf_counter()
    static = themes.train_themes(data.subset(np.flatnonzero(data.sessions < first)))
    rows, pooled = [], {"static": [], "rolling": [], "plain": [], "gold": []}
    for k in range(first, last + 1):
        test = data.subset(np.flatnonzero(data.sessions == k))
        gold = test.targets == 1
        train = data.subset(np.flatnonzero(data.sessions < k))  # 1..k-2 as UPR Info, k-1 as confirmed
        model = static if k == first else themes.train_themes(train)
        figures = {"static": _predicted(static, test.texts), "rolling": _predicted(model, test.texts),
                   "plain": plain_svm(train, test.texts)}
        row = {"session": k, "items": len(test), "trained_on": f"1-{k - 1}"}
        for name, predicted in figures.items():
            pooled[name].append(predicted)
            row[f"{name}_micro"], row[f"{name}_macro"] = (round(x, 4) for x in _f1s(predicted, gold))
        pooled["gold"].append(gold)
        rows.append(row)
        print(json.dumps(row), flush=True)
    gold = np.vstack(pooled["gold"])
    total = {"session": f"{first}-{last}", "items": int(len(gold))}
    for name in ("static", "rolling", "plain"):
        total[f"{name}_micro"], total[f"{name}_macro"] = (round(x, 4) for x in _f1s(np.vstack(pooled[name]), gold))
    total["seconds"] = round(time.perf_counter() - start)
    print(json.dumps(total), flush=True)


if __name__ == "__main__":
    main()

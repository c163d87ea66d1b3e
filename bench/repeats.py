"""Benchmark: how well the repeated links find a recommendation made again, on pairs judged by reading.

hrtrack/nlp/tests/repeat_pairs.json holds 160 pairs of UPR recommendations to one State at two
review cycles, judged blind (is the later one the same request made again?), sampled in bands of
the old fused similarity with the number of such pairs the corpus holds in each band. This embeds
the pairs' texts with the exported model, scores each pair by the old rule (0.6 x cosine + 0.4 x
Jaccard of the word sets, at least 0.75) and by today's (hrtrack.nlp.similar.repeat_score), and
prints precision and recall, weighed by band, on the dev half (the odd pairs, which chose the
rule), the test half and all of them.

    .venv/bin/python bench/repeats.py

Needs only the embedding model (`hrtrack embeddings export`), no database.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "hrtrack" / "nlp" / "tests" / "repeat_pairs.json"


def weighed(rows, bands, predicate):
    """Precision and recall of ``predicate`` over ``rows`` (old score, new score, cosine, repeat),
    each row standing for its band's pairs in the corpus."""
    def band(score):
        # A score another export of the model puts just outside the bands counts in the nearest one.
        return next((i for i, (low, high, _count) in enumerate(bands) if low <= score < high),
                    0 if score < bands[0][0] else len(bands) - 1)

    sampled = [sum(1 for r in rows if band(r[0]) == i) for i in range(len(bands))]
    weight = [bands[i][2] / sampled[i] if sampled[i] else 0.0 for i in range(len(bands))]
    tp = sum(weight[band(r[0])] for r in rows if predicate(r) and r[3])
    fp = sum(weight[band(r[0])] for r in rows if predicate(r) and not r[3])
    fn = sum(weight[band(r[0])] for r in rows if not predicate(r) and r[3])
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    import django

    django.setup()
    import numpy as np

    from hrtrack.nlp import similar
    from hrtrack.nlp.embeddings import get_embedder

    data = json.loads(PAIRS.read_text(encoding="utf-8"))
    pairs, bands = data["pairs"], data["bands"]
    texts = [text for p in pairs for text in (p["earlier"]["text"], p["later"]["text"])]
    vectors = np.asarray(get_embedder().encode(texts), dtype=np.float32)
    rows = {"dev": [], "test": []}
    for n, pair in enumerate(pairs):
        cosine = float(vectors[2 * n] @ vectors[2 * n + 1])
        a, b = similar.word_set(pair["earlier"]["text"]), similar.word_set(pair["later"]["text"])
        old = similar.fused(cosine, similar.jaccard(a, b))
        rows[pair["half"]].append((min(old, 1.0), similar.repeat_score(cosine, a, b), cosine, pair["repeat"]))
    rows["all"] = rows["dev"] + rows["test"]
    print(f"{len(pairs)} pairs judged by reading, {sum(p['repeat'] for p in pairs)} of them repeats; "
          f"precision and recall weighed by the {sum(b[2] for b in bands):,} candidate pairs of the corpus")
    print(f"{'':10}{'old rule (Jaccard-fused >= 0.75)':>36}{'today (repeat_score >= 0.75)':>34}")
    threshold = similar.REPEATED_THRESHOLD
    for half in ("dev", "test", "all"):
        old = weighed(rows[half], bands, lambda r: r[0] >= threshold)
        new = weighed(rows[half], bands, lambda r: r[1] >= threshold)
        label = f"{half} ({len(rows[half])})"
        print(f"{label:10}{f'P {old[0]:.3f}  R {old[1]:.3f}':>36}{f'P {new[0]:.3f}  R {new[1]:.3f}':>34}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

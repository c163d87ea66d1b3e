"""Benchmark: how good the search's ranking is, as nDCG@10 over the project's relevance set.

Runs each query of hrtrack/search/tests/relevance.json (English and Spanish, judged by reading
the texts) through the search in the three modes (full-text alone, semantic alone, fused) over
the database of HRTRACK_VAR_DIR, which should hold the whole UPR Info corpus with its embeddings
(`hrtrack import upr-info ../shared/data/upr-info/*.csv`, then the search's reindex). Prints the
mean per language and overall, and, beside them, what a random order of the items that the
filters let through scores: the floor any real ranking must clear.

    HRTRACK_VAR_DIR=/path/to/var .venv/bin/python bench/search_relevance.py [--per-query]

Only reads the database.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-query", action="store_true", help="also print each query's figures")
    parser.add_argument("--modes", default="text,semantic,fused", help="comma-separated (default: all three)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    import django

    django.setup()
    from hrtrack.recommendations.models import Recommendation
    from hrtrack.search import relevance

    queries = relevance.load_set()
    missing = relevance.resolve(queries)
    total = Recommendation.objects.count()
    print(f"database: {total} items; relevance set: {len(queries)} queries, "
          f"{sum(len(q.judged) for q in queries)} judged items, {len(missing)} of them not in the database")
    if missing:
        print("  (items not found count as not retrieved; import the whole corpus for comparable figures)")
    evaluations = []
    for mode in args.modes.split(","):
        start = time.perf_counter()
        evaluations.append(relevance.evaluate(queries, mode))
        print(f"{mode}: {len(queries)} queries in {time.perf_counter() - start:.1f} s", flush=True)
    candidates = {query.id: relevance.filtered_ids(query) for query in queries}
    randoms = [relevance.evaluate(queries, "random", search=relevance.random_search(candidates, seed))
               for seed in range(5)]
    floor = randoms[0]
    floor.by_query = {key: sum(r.by_query[key] for r in randoms) / len(randoms) for key in floor.by_query}
    print()
    print(relevance.report([*evaluations, floor], queries if args.per_query else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())

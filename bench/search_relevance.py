"""Benchmark: how good the search's ranking is, as nDCG@10 over the project's relevance set.

Runs each query of hrtrack/search/tests/relevance.json (English and Spanish, judged by reading
the texts) through the search in the three modes (full-text alone, semantic alone, fused) over
the database of HRTRACK_VAR_DIR, which should hold the whole UPR Info corpus with its embeddings
(`hrtrack import upr-info ../shared/data/upr-info/*.csv`, then the search's reindex). Prints the
precision@10, nDCG@10 and the unjudged hits of each mode's top tens, overall, per language, per
class of query (keyword, question, paraphrase) and per class and language, and, beside them, what
a random order of the items that the filters let through scores: the floor any real ranking must
clear. The queries are searched as a coordinator sees the site (unpublished items too): the corpus
an import leaves is unpublished. ``--half test`` reports on the queries nothing was tuned on.

    HRTRACK_VAR_DIR=/path/to/var .venv/bin/python bench/search_relevance.py [--half dev|test] [--per-query]

Only reads the database (but for its identity row, which it creates when there is none).
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
    parser.add_argument("--half", choices=["dev", "test"], help="only the queries of this half of the set")
    parser.add_argument("--anonymous", action="store_true", help="search as a visitor (published items only)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    import django

    django.setup()
    from hrtrack.accounts.models import Role, User
    from hrtrack.recommendations.models import Recommendation
    from hrtrack.search import bridge, relevance

    user = None if args.anonymous else User(username="bench", role=Role.COORDINATOR)
    queries = [q for q in relevance.load_set() if args.half in (None, q.half)]
    missing = relevance.resolve(queries)
    total = Recommendation.objects.count()
    print(f"database: {total} items; relevance set: {len(queries)} queries, "
          f"{sum(len(q.judged) for q in queries)} judged items, {len(missing)} of them not in the database")
    if missing:
        print("  (items not found count as not retrieved; import the whole corpus for comparable figures)")
    from hrtrack.nlp.models import database_id

    carried = bridge.get_matrix(database_id()) is not None
    print(f"Spanish queries through the multilingual bridge: {'yes' if carried else 'no (none fitted here)'}")
    evaluations = []
    for mode in args.modes.split(","):
        start = time.perf_counter()
        evaluations.append(relevance.evaluate(queries, mode, user=user))
        print(f"{mode}: {len(queries)} queries in {time.perf_counter() - start:.1f} s", flush=True)
    candidates = {query.id: relevance.filtered_ids(query, user) for query in queries}
    randoms = [relevance.evaluate(queries, "random", search=relevance.random_search(candidates, seed))
               for seed in range(5)]
    floor = relevance.average(randoms, "random")
    print()
    print(relevance.group_report([*evaluations, floor], queries))
    if args.per_query:
        print()
        print(relevance.report([*evaluations, floor], queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())

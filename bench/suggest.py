"""Benchmark: the suggestion job over a whole corpus. Imports every UPR Info file of
../shared/data/upr-info/ into a fresh SQLite database (in a temporary folder), trains an
affected-group model from the files, then times ``suggest_themes`` for that scheme, where no item
has a confirmed group yet: every item gets its suggestions, each with its history row.

    .venv/bin/python bench/suggest.py [--scheme affected-groups|sdg-goals]

Prints the time of the job, of the model alone over the same texts, the suggestions and history
rows written, and how many times the search documents were rewritten (none: unconfirmed
suggestions are not in them).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scheme", default="affected-groups", choices=["affected-groups", "sdg-goals"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HRTRACK_VAR_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from upr_data import session_files  # bench/, beside this script

        from hrtrack.ingest.service import import_files
        from hrtrack.nlp import tasks
        from hrtrack.nlp.models_io import load_model
        from hrtrack.nlp.service import train_model
        from hrtrack.recommendations.models import ConceptLink, Recommendation
        from hrtrack.search import documents
        from hrtrack.taxonomy.loader import load_taxonomy_dir

        shared = Path(settings.SHARED_DIR)
        call_command("migrate", verbosity=0)
        load_taxonomy_dir(shared / "taxonomy")
        files = sorted((shared / "data" / "upr-info").glob("*.csv"))
        import_files("upr-info", files)
        model_dir = Path(tmp) / args.scheme
        train_model(args.scheme, model_dir, csv_files=session_files())

        rewrites = []
        original = documents.write_documents

        def counted(*a, **kw):
            rewrites.append(1)
            return original(*a, **kw)

        documents.write_documents = counted
        texts = list(Recommendation.objects.order_by("pk").values_list("text", flat=True))
        start = time.perf_counter()
        load_model(model_dir).suggest(texts)
        model_s = time.perf_counter() - start

        history = ConceptLink.history.model
        before = history.objects.count()
        start = time.perf_counter()
        result = tasks.suggest_other_scheme(args.scheme, model_dir)
        job_s = time.perf_counter() - start
        print(f"{args.scheme} suggestions for {result['items']:,} items (SQLite): {job_s:.1f} s "
              f"(the model alone over the same texts: {model_s:.1f} s)")
        print(f"suggestions added {result['links']:,}, history rows added {history.objects.count() - before:,}, "
              f"search document rewrites {len(rewrites)}")


if __name__ == "__main__":
    main()

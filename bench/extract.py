"""Benchmark: seconds per statement for `hrtrack extract` over the dev statements in ../shared.

Loads the vocabularies first (as a running server has them), then extracts every
statements/dev/*.txt --repeat times and prints the mean and the slowest seconds per statement.

    .venv/bin/python bench/extract.py [--repeat N]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.getenv("HRTRACK_SHARED_DIR", ROOT.parent / "shared"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    import django

    django.setup()
    from hrtrack.ingest.extract import extract_statement

    files = sorted((SHARED / "statements" / "dev").glob("*.txt"))
    if not files:
        sys.exit(f"no statements in {SHARED / 'statements' / 'dev'}")
    start = time.perf_counter()
    extract_statement(files[0])
    loading = time.perf_counter() - start
    times = []
    for _ in range(args.repeat):
        for path in files:
            start = time.perf_counter()
            extract_statement(path)
            times.append(time.perf_counter() - start)
    print(f"statements: {len(files)} x {args.repeat}; first call (loads vocabularies): {loading:.3f} s")
    print(f"slowest: {max(times):.4f} s per statement")
    print(f"seconds per statement: {sum(times) / len(times):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

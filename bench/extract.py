"""Benchmark: seconds per statement for `hrtrack extract` over the dev statements in ../shared.

Loads the vocabularies first (as a running server has them), then extracts every
statements/dev/*.txt (and, with --train, the statements written for the project in
hrtrack/ingest/tests/statements/train/) --repeat times and prints the mean and the slowest
seconds per statement. The extractor remembers the places and dates of texts it has read; those
memories are emptied before each statement, so that a repeat costs what a new statement costs.

    .venv/bin/python bench/extract.py [--repeat N] [--train]
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
    parser.add_argument("--train", action="store_true", help="also the project's own training statements")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    import django

    django.setup()
    from hrtrack.ingest.extract import dates, extract_statement, places

    def forget() -> None:
        places._find_places.cache_clear()
        dates._find_dates.cache_clear()

    files = sorted((SHARED / "statements" / "dev").glob("*.txt"))
    if not files:
        sys.exit(f"no statements in {SHARED / 'statements' / 'dev'}")
    if args.train:
        files += sorted((ROOT / "hrtrack" / "ingest" / "tests" / "statements" / "train").glob("*.txt"))
    start = time.perf_counter()
    extract_statement(files[0])
    loading = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(args.repeat):
        for path in files:
            forget()
            start, start_cpu = time.perf_counter(), time.process_time()
            extract_statement(path)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    print(f"statements: {len(files)} x {args.repeat}; first call (loads vocabularies): {loading:.3f} s")
    print(f"slowest: {max(times):.4f} s per statement")
    # Processor time says what the extractor costs when others share the machine's cores.
    print(f"processor seconds per statement: {sum(cpu) / len(cpu):.4f}")
    print(f"seconds per statement: {sum(times) / len(times):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: import every UPR Info file in ../shared/data/upr-info/ into a fresh database.

Prints rows per second (by wall-clock time, and by the process's CPU time, which other work
on a busy machine disturbs less) and peak memory for hrtrack on SQLite and on PostgreSQL, and, in
the same run, the baseline a user might reach for: `sqlite-utils insert --csv` of the same
files into a fresh SQLite database (a plain load: no validation, no countries, no issues).

After the first import, the same database takes two more: the same files again (every item
unchanged: read, compared, nothing written) and the files with every text changed (the first
word in capitals, which keeps each item's key: every item updated, with its history record,
its countries and issue links compared, and its change recorded for the search).

    .venv/bin/python bench/import_upr.py [--no-postgres] [--repeat N]

PostgreSQL is reached at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/),
where a database hrtrack_bench is created and dropped.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.getenv("HRTRACK_SHARED_DIR", ROOT.parent / "shared"))
FILES = sorted((SHARED / "data" / "upr-info").glob("*.csv"))

CHILD = """
import json, resource, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hrtrack.taxonomy.loader import load_taxonomy_dir
load_taxonomy_dir(sys.argv[1])
from hrtrack.ingest.service import import_files
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
files = sys.argv[3:]
changed = sorted(str(p) for p in __import__("pathlib").Path(sys.argv[2]).glob("*.csv"))
figures = {}
for name, paths in (("create", files), ("unchanged", files), ("update", changed)):
    start, start_cpu = time.perf_counter(), cpu()
    report = import_files("upr-info", paths)
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
    figures[name] = {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": report.rows_read,
                     "items": {"create": report.created, "unchanged": report.unchanged,
                               "update": report.updated}[name],
                     "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
print(json.dumps(figures))
"""


def write_changed(folder: Path) -> None:
    """The files with every text's first word in capitals: the same items (their key folds case),
    every one of them changed."""
    import csv

    for path in FILES:
        with path.open(encoding="utf-8", newline="") as fh, (folder / path.name).open("w", encoding="utf-8",
                                                                                    newline="") as out:
            reader, writer = csv.DictReader(fh), None
            for row in reader:
                if writer is None:
                    writer = csv.DictWriter(out, reader.fieldnames)
                    writer.writeheader()
                first, _space, rest = row["Text"].partition(" ")
                row["Text"] = f"{first.upper()} {rest}" if rest else first.upper()
                writer.writerow(row)


def run_hrtrack(env: dict) -> dict:
    with tempfile.TemporaryDirectory() as changed:
        write_changed(Path(changed))
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(SHARED / "taxonomy"), changed, *map(str, FILES)],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "hrtrack.settings", **env},
            capture_output=True, text=True, cwd=ROOT,
        )
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def sqlite_run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {"HRTRACK_VAR_DIR": tmp}
        os.environ.pop("DATABASE_URL", None)
        return run_hrtrack(env)


def postgres_run(url: str) -> dict:
    import psycopg

    admin = url.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS hrtrack_bench")
        conn.execute("CREATE DATABASE hrtrack_bench")
    try:
        return run_hrtrack({"DATABASE_URL": url.rstrip("/") + "/hrtrack_bench"})
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS hrtrack_bench")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sqlite_utils_run() -> dict:
    tool = Path(sys.executable).parent / "sqlite-utils"
    with tempfile.TemporaryDirectory() as tmp:
        start, start_cpu = time.perf_counter(), children_cpu()
        for path in FILES:
            subprocess.run([str(tool), "insert", f"{tmp}/base.db", "recommendations", str(path), "--csv"],
                           check=True, capture_output=True)
        seconds, cpu_seconds = time.perf_counter() - start, children_cpu() - start_cpu
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": count_rows()}


def count_rows() -> int:
    import csv

    total = 0
    for path in FILES:
        with path.open(encoding="utf-8", newline="") as fh:
            total += sum(1 for _ in csv.reader(fh)) - 1
    return total


def line(name: str, figures: dict) -> str:
    rate = figures["rows"] / figures["seconds"]
    text = f"{name:<34} {figures['rows']:>6} rows in {figures['seconds']:6.2f} s = {rate:>8,.0f} rows/s"
    text += f" (CPU {figures['cpu_seconds']:.2f} s = {figures['rows'] / figures['cpu_seconds']:,.0f} rows/s)"
    if "peak_mb" in figures:
        text += f", peak memory {figures['peak_mb']:.0f} MB, {figures['items']} items"
    return text


STEPS = {"create": "", "unchanged": ", again unchanged", "update": ", every text changed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, best kept (default 1)")
    args = parser.parse_args()
    if len(FILES) != 5:
        sys.exit(f"expected the 5 UPR Info files in {SHARED / 'data' / 'upr-info'}")
    runs = {"SQLite": sqlite_run}
    if not args.no_postgres:
        url = os.getenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
        runs["PostgreSQL"] = lambda: postgres_run(url)
    for database, run in runs.items():
        results = [run() for _ in range(args.repeat)]
        for step, suffix in STEPS.items():
            best = min((r[step] for r in results), key=lambda f: f["seconds"])
            print(line(f"hrtrack import upr-info, {database}{suffix}", best), flush=True)
    if not (Path(sys.executable).parent / "sqlite-utils").exists():
        print("baseline: sqlite-utils insert --csv: sqlite-utils is not installed", flush=True)
        return
    best = min((sqlite_utils_run() for _ in range(args.repeat)), key=lambda f: f["seconds"])
    print(line("baseline: sqlite-utils insert --csv", best), flush=True)


if __name__ == "__main__":
    main()

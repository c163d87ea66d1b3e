"""Benchmark: import every UPR Info file in ../shared/data/upr-info/ into a fresh database.

Prints rows per second (by wall-clock time, and by the process's CPU time, which other work
on a busy machine disturbs less) and peak memory for hrtrack on SQLite and on PostgreSQL, and, in
the same run, the baseline a user might reach for: `sqlite-utils insert --csv` of the same
files into a fresh SQLite database (a plain load: no validation, no countries, no issues).

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
start, start_cpu = time.perf_counter(), cpu()
report = import_files("upr-info", sys.argv[2:])
seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": report.rows_read,
                  "items": report.created, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_hrtrack(env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(SHARED / "taxonomy"), *map(str, FILES)],
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, best kept (default 1)")
    args = parser.parse_args()
    if len(FILES) != 5:
        sys.exit(f"expected the 5 UPR Info files in {SHARED / 'data' / 'upr-info'}")
    runs = {"hrtrack import upr-info, SQLite": sqlite_run}
    if not args.no_postgres:
        url = os.getenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
        runs["hrtrack import upr-info, PostgreSQL"] = lambda: postgres_run(url)
    runs["baseline: sqlite-utils insert --csv"] = sqlite_utils_run
    for name, run in runs.items():
        best = min((run() for _ in range(args.repeat)), key=lambda f: f["seconds"])
        print(line(name, best), flush=True)


if __name__ == "__main__":
    main()

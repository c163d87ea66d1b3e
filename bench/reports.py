"""Benchmark: the seconds each report takes to make over the demo data, asked as a person would.

The reports: the matrix for UN reports of every item in the database (``?scope=world``: the full
demo, about 34k items) as XLSX and as CSV, and of our state's second-cycle recommendations
(``?recipient=MX&cycle=2``); the progress report of the agency with the most assignments, and of
the theme with most of our state's items, as PDF and DOCX; the briefing for the next round of the
dialogue with the most commitments, as PDF and DOCX. Each is requested in-process through
Django's test Client (the whole middleware stack, no network; a streamed answer is read to its
end), as the demo's coordinator (the staff version: everything) and as an anonymous visitor (the
public version: what is published), ``--repeat`` times; the best and the median of the wall
seconds, the CPU seconds of the median run, and the size of the answer are printed.

It needs a database made by the demo:

    HRTRACK_VAR_DIR=/tmp/bench-var .venv/bin/hrtrack migrate --no-input
    HRTRACK_VAR_DIR=/tmp/bench-var .venv/bin/hrtrack demo --no-semantic --no-suggestions
    .venv/bin/python bench/reports.py --var-dir /tmp/bench-var [--repeat 3] [--only matrix]

or ``--make-demo``, which runs the first two when the folder has no database yet. It only reads.

Target (issue 14): each report in at most 5 s over the full demo data.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 5.0

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import setup  # noqa: E402  (the demo's settings for the test Client, as bench/pages.py times pages)


def reports() -> list[tuple[str, str]]:
    """(name, path) of each report timed, chosen from the data as --help says."""
    from django.db.models import Count

    from hrtrack.dialogues.models import Dialogue
    from hrtrack.directory.models import Organization, our_state
    from hrtrack.recommendations.models import THEME_SCHEMES, ConceptLink, Kind

    state = our_state()
    code = state.code if state else "MX"
    agency = Organization.objects.annotate(n=Count("assignments")).order_by("-n", "pk").first()
    theme = (ConceptLink.objects.filter(concept__scheme__slug__in=THEME_SCHEMES,
                                        recommendation__recipients__code=code)
             .values("concept__scheme__slug", "concept__code").annotate(n=Count("pk")).order_by("-n").first())
    dialogue = (Dialogue.objects.filter(commitments__kind=Kind.COMMITMENT).annotate(n=Count("commitments"))
                .order_by("-n", "-pk").first())
    found = [
        ("matrix.xlsx, every item", "/reports/matrix.xlsx?scope=world"),
        ("matrix.csv, every item", "/reports/matrix.csv?scope=world"),
        (f"matrix.xlsx, {code} cycle 2", f"/reports/matrix.xlsx?recipient={code}&cycle=2"),
    ]
    if agency is not None:
        found += [(f"progress.{fmt}, agency {agency.pk}", f"/reports/progress.{fmt}?agency={agency.pk}")
                  for fmt in ("pdf", "docx")]
    if theme is not None:
        key = f"{theme['concept__scheme__slug']}:{theme['concept__code']}"
        found += [(f"progress.{fmt}, theme", f"/reports/progress.{fmt}?theme={key}") for fmt in ("pdf", "docx")]
    if dialogue is not None:
        found += [(f"briefing.{fmt}, dialogue {dialogue.pk}", f"/dialogues/{dialogue.pk}/briefing.{fmt}")
                  for fmt in ("pdf", "docx")]
    return found


def fetch(client, path: str) -> tuple[int, int]:
    """Ask for ``path`` and read the answer to its end: (status, bytes)."""
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(body)


def time_report(client, path: str, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        status, size = fetch(client, path)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu, status, size))
    runs.sort()
    median = runs[len(runs) // 2]
    return {"best": runs[0][0], "median": statistics.median(r[0] for r in runs), "cpu": median[1],
            "status": median[2], "size": median[3]}


def make_demo(var_dir: Path) -> None:
    env = {**os.environ, "HRTRACK_VAR_DIR": str(var_dir)}
    hrtrack = [sys.executable, "-m", "hrtrack.cli"]
    for command in (["migrate", "--no-input"], ["demo", "--no-semantic", "--no-suggestions"]):
        print("making the demo:", "hrtrack", *command, flush=True)
        subprocess.run([*hrtrack, *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__[__doc__.index("It needs"):],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, default=os.getenv("HRTRACK_VAR_DIR"),
                        help="the var folder of a demo (HRTRACK_VAR_DIR); see below how to make one")
    parser.add_argument("--repeat", type=int, default=3, help="times each report is made (default 3)")
    parser.add_argument("--only", default="", help="time only the reports whose name holds this (matrix, briefing)")
    parser.add_argument("--public-only", action="store_true", help="time the public versions only")
    parser.add_argument("--make-demo", action="store_true",
                        help="make the demo in --var-dir first when it holds no database")
    args = parser.parse_args()
    if (args.make_demo and args.var_dir is not None and not os.getenv("DATABASE_URL")
            and not (args.var_dir / "hrtrack.sqlite3").is_file()):
        args.var_dir.mkdir(parents=True, exist_ok=True)
        make_demo(args.var_dir.resolve())
    if args.var_dir is None or (not (args.var_dir / "hrtrack.sqlite3").is_file() and not os.getenv("DATABASE_URL")):
        parser.error("--var-dir must name the var folder of a demo (see --help)")
    setup(args.var_dir.resolve())
    from django.db import connection
    from django.test import Client

    from hrtrack.accounts.models import Role, User
    from hrtrack.dialogues.models import Dialogue
    from hrtrack.followup.models import ProgressReport
    from hrtrack.recommendations.models import Recommendation

    coordinator = (User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
                   or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first())
    if coordinator is None:
        raise SystemExit("No coordinator or administrator in this database: is it a demo's? (see --help)")
    staff = Client()
    staff.force_login(coordinator)
    readers = [("public", Client())] if args.public_only else [("staff", staff), ("public", Client())]
    print(f"database: {connection.vendor}, {Recommendation.objects.count()} items "
          f"({Recommendation.objects.published().count()} published), {Dialogue.objects.count()} dialogues, "
          f"{ProgressReport.objects.validated().count()} validated reports; staff: {coordinator.username}; "
          f"{args.repeat} runs each; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    targets = [(name, path) for name, path in reports() if args.only in name]
    print(f"{'report':<30} {'reader':<7} {'best s':>7} {'median s':>8} {'cpu s':>6} {'size':>10}  status")
    missed = []
    for name, path in targets:
        for reader, client in readers:
            fetch(client, path)  # warm: the first request loads the templates and fonts
            result = time_report(client, path, args.repeat)
            verdict = "" if result["status"] == 200 else f"  answered {result['status']}"
            if result["median"] > TARGET_S:
                missed.append(f"{name} ({reader})")
                verdict += "  over the target"
            print(f"{name:<30} {reader:<7} {result['best']:>7.2f} {result['median']:>8.2f} {result['cpu']:>6.2f} "
                  f"{result['size']:>10,}{verdict}", flush=True)
    print(f"target: each report in at most {TARGET_S:g} s; "
          + (f"missed by {', '.join(missed)}" if missed else "every report met it"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: how long the charts take over the demo data (issue 14: well under a second; the
target here: a p50 under one second for every door, the world's 34,000 items included).

Times, in-process through Django's test Client (the whole middleware stack, no network), the
charts page (/charts/, every chart drawn with its table), its JSON twin and one chart's CSV,
for our state's items and for the world's (``?scope=world``: all 34,000 items of the demo),
anonymously and signed in as the demo's coordinator, and the public landing's charts
(``landing_charts``), ``--warmup`` times and then ``--requests`` times each; prints p50 and p95
(ms) by the clock, the least CPU time of the process (SQLite runs in it: steadier on a busy
machine) and the number of SQL queries of one request.

It needs a database made by the demo (see ``bench/pages.py --help``: ``--make-demo`` makes one
in ``--var-dir``). It writes to it, and says so, where the demo leaves what the charts count
thin: it publishes every item and validated report when nothing is published; stores repeat
groups as ``bench/pages.py`` does when there are none; and, when there are fewer than
``--reports`` validated reports, assigns items to the demo's agencies and adds validated reports
with dates over the last seven years (seeded, so every run makes the same).

    .venv/bin/python bench/charts.py --var-dir /tmp/bench-var [--requests 10]
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import ensure_repeat_groups, make_demo, percentile, setup  # noqa: E402

TARGET_MS = 1000


def ensure_published() -> int:
    from django.utils import timezone

    from hrtrack.followup.models import ProgressReport
    from hrtrack.recommendations.models import Recommendation

    if Recommendation.objects.published().exists():
        return 0
    now = timezone.now()
    ProgressReport.objects.validated().update(published_at=now)
    return Recommendation.objects.update(published_at=now)


def ensure_reports(wanted: int) -> int:
    from django.utils import timezone

    from hrtrack.directory.models import Organization, our_state
    from hrtrack.followup.models import Assignment, ImplementationStatus, ProgressReport
    from hrtrack.recommendations.models import Recommendation

    have = ProgressReport.objects.validated().count()
    if have >= wanted:
        return 0
    chance = random.Random(14)
    agencies = list(Organization.objects.agencies().values_list("pk", flat=True)) or list(
        Organization.objects.values_list("pk", flat=True))
    state = our_state()
    items = Recommendation.objects.addressed_to(state) if state else Recommendation.objects.all()
    taken = set(Assignment.objects.values_list("recommendation_id", "organization_id"))
    pool = list(items.values_list("pk", flat=True)) + list(Recommendation.objects.values_list("pk", flat=True))
    chance.shuffle(pool)
    statuses = [s.value for s in ImplementationStatus]
    now = timezone.now()
    assignments = []
    for item in pool[:wanted - have]:
        agency = chance.choice(agencies)
        if (item, agency) not in taken:
            taken.add((item, agency))
            assignments.append(Assignment(recommendation_id=item, organization_id=agency))
    assignments = Assignment.objects.bulk_create(assignments, batch_size=2000)
    published = now if Recommendation.objects.published().exists() else None
    reports = [ProgressReport(assignment=a, state=ProgressReport.State.VALIDATED, status=chance.choice(statuses),
                              validated_at=now - datetime.timedelta(days=chance.randint(0, 7 * 365)),
                              published_at=published) for a in assignments]
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    return len(reports)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, default=os.getenv("HRTRACK_VAR_DIR"),
                        help="the var folder of a demo (HRTRACK_VAR_DIR)")
    parser.add_argument("--make-demo", action="store_true", help="make the demo there first if it has no database")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--reports", type=int, default=3000,
                        help="validated reports to have at least (default 3000)")
    args = parser.parse_args()
    if args.var_dir is None:
        parser.error("--var-dir (or HRTRACK_VAR_DIR) names the demo's var folder")
    if args.make_demo and not (args.var_dir / "hrtrack.sqlite3").exists():
        make_demo(args.var_dir)
    setup(args.var_dir)

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from hrtrack.accounts.models import Role, User
    from hrtrack.portal.charts import landing_charts
    from hrtrack.recommendations.models import Recommendation

    for what, count in (("published every item and validated report", ensure_published()),
                        ("stored repeat groups for items", ensure_repeat_groups()),
                        ("added validated reports (with their assignments)", ensure_reports(args.reports))):
        if count:
            print(f"The demo's data was thin: {what}: {count}")
    print(f"{Recommendation.objects.count()} items, {Recommendation.objects.published().count()} published")

    anonymous = Client()
    staff = Client()
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    staff.force_login(coordinator)
    factory = RequestFactory()

    def landing(query):
        request = factory.get("/" + query)
        request.user = AnonymousUser()
        return lambda: landing_charts(request)

    targets = []
    for query in ("", "?scope=world"):
        for name, client in (("anonymous", anonymous), ("coordinator", staff)):
            for path in ("/charts/", "/charts.json", "/charts/themes.csv"):
                targets.append((f"{path}{query} ({name})", lambda c=client, u=path + query: c.get(u)))
        targets.append((f"landing_charts{query}", landing(query)))
    failed = False
    print(f"{'request':48} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8} {'queries':>8}")
    for label, call in targets:
        for _ in range(args.warmup):
            call()
        times, cpu = [], []
        for _ in range(args.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = call()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if hasattr(response, "status_code") and response.status_code != 200:
                print(f"{label}: {response.status_code}")
                return 1
        with CaptureQueriesContext(connection) as queries:
            call()
        p50 = percentile(times, 0.5)
        failed |= p50 > TARGET_MS
        print(f"{label:48} {p50:8.0f} {percentile(times, 0.95):8.0f} {min(cpu):8.0f} {len(queries):8d}")
    print(f"Target: p50 <= {TARGET_MS} ms: {'missed' if failed else 'met'} (the CPU time says how much of it was "
          "the work itself on a busy machine)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

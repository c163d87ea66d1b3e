"""Benchmark: p50 and p95 (ms) of the staff pages over the demo data, on an idle machine and
while long CPU-bound work runs beside the site at the background workers' priority.

The pages: home, the recommendations list with filters (our state's items on torture), the
grouped list (?repeats=together), an item page (the item with the most follow-up), a dialogue
page (the round with the most commitments), my work (a focal point's), the dashboard, the review
queue and the admin's recommendation list. Each is requested in-process through Django's test
Client (the whole middleware stack, no network), signed in as the demo's coordinator, focal point
or administrator, ``--warmup`` times and then ``--requests`` times, and timed one by one. The
number of SQL queries of one request of each page is printed beside its figures.

Then again under load, which is one of:

- ``--load burn`` (default): one CPU-burning process per core at the niceness ``hrtrack serve``
  gives its workers (portal.management.commands.serve.WORKER_NICENESS; ``--load-nice`` another,
  0 for the priority the workers had before): every core busy, as while the demo's embedding and
  training jobs run. Writes nothing.
- ``--load worker``: a real `hrtrack worker` on the background queue, started as `hrtrack serve`
  starts it, running the training and suggestion job queued for it (it writes suggestions into
  the database, as `hrtrack demo` without --no-suggestions does).

It needs a database made by the demo, with the training and suggestion job it queues run (so the
review queue holds suggestions):

    HRTRACK_VAR_DIR=/tmp/bench-var .venv/bin/hrtrack migrate --no-input
    HRTRACK_VAR_DIR=/tmp/bench-var .venv/bin/hrtrack demo --no-semantic
    HRTRACK_VAR_DIR=/tmp/bench-var .venv/bin/hrtrack worker --batch --no-startup-delay
    .venv/bin/python bench/pages.py --var-dir /tmp/bench-var [--requests 30] [--load burn|worker]

or ``--make-demo``, which runs these three commands first when the folder has no database yet
(`make bench` does so in var/bench-pages/; a few minutes).

A demo made with --no-semantic has no similar or repeated links, so no repeat groups, and its grouped
list would be the plain list. When the database holds no repeat group, the bench stores some first, as
the links rebuild would: 40% of each State's items in groups of 2 to 4 (seeded, so every run makes the
same). It says so when it does.

Signing in writes nothing (the sessions are signed cookies, the last sign-in date is not
recorded); the pages themselves only read.

Targets (issue 12): p95 <= 150 ms for each page on an idle machine, <= 300 ms under load.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDLE_TARGET_MS = 150
LOAD_TARGET_MS = 300

BURN = "while True: pass"


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def setup(var_dir: Path) -> None:
    os.environ["HRTRACK_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # The test Client's host, and sessions in a signed cookie: signing in writes no session row.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    import hrtrack.wsgi  # noqa: F401  (what a web worker does as it starts: load every view, freeze the heap)


def people() -> dict:
    """The demo's people by role: an administrator, a coordinator and the focal point with the most
    assignments (the administrator stands in for anyone the demo does not have)."""
    from django.db.models import Count

    from hrtrack.accounts.models import Membership, Role, User

    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        raise SystemExit("No administrator in this database: is it a demo's? (see --help)")
    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    focal = (Membership.objects.filter(role=Role.FOCAL_POINT, user__is_active=True)
             .annotate(work=Count("organization__assignments")).order_by("-work", "pk").first())
    return {"admin": admin, "coordinator": coordinator or admin, "focal_point": focal.user if focal else admin}


def pages(who: dict) -> list[tuple[str, str, object]]:
    """(name, path, person) of each page timed."""
    from django.db.models import Count, Q
    from django.urls import NoReverseMatch, reverse

    from hrtrack.dialogues.models import Dialogue
    from hrtrack.directory.models import our_state
    from hrtrack.recommendations.models import Kind, Recommendation
    from hrtrack.taxonomy.models import Concept

    state = our_state()
    code = state.code if state else "MX"
    # UPR Info's issue is coded torture-and-other-cid-treatment; a scheme of one's own may say torture.
    torture = (Concept.objects.filter(code__startswith="torture").order_by("code").values_list("code", flat=True)
               .first() or "torture")
    item = (Recommendation.objects.annotate(follow_up=Count("assignments", distinct=True))
            .order_by("-follow_up", "pk").first())
    dialogue = (Dialogue.objects.annotate(promised=Count("commitments", filter=Q(commitments__kind=Kind.COMMITMENT)))
                .order_by("-promised", "-date_start").first())
    wanted = [
        ("home", "portal:home", "", "coordinator"),
        ("list, filtered", "recommendations:recommendations", f"?recipient={code}&theme={torture}", "coordinator"),
        ("list, grouped", "recommendations:recommendations", "?repeats=together", "coordinator"),
        ("item", item and item.get_absolute_url(), "", "coordinator"),
        ("dialogue", dialogue and dialogue.get_absolute_url(), "", "coordinator"),
        ("my work", "followup:my_work", "", "focal_point"),
        ("dashboard", "followup:dashboard", "", "coordinator"),
        ("review queue", "nlp:review", "", "coordinator"),
        ("admin: recommendations", "admin:recommendations_recommendation_changelist", "", "admin"),
    ]
    found = []
    for name, target, query, person in wanted:
        if not target:
            print(f"  {name}: nothing in the database to open; left out")
            continue
        try:
            path = target if target.startswith("/") else reverse(target)
        except NoReverseMatch:
            print(f"  {name}: no page named {target} (yet); left out")
            continue
        found.append((name, path + query, who[person]))
    return found


def clients(who: dict) -> dict:
    from django.test import Client

    signed_in = {}
    for user in {u.pk: u for u in who.values()}.values():
        client = Client()
        client.force_login(user)
        signed_in[user.pk] = client
    return signed_in


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def time_pages(targets, signed_in, *, warmup: int, requests: int) -> dict[str, tuple[list[float], list[float]]]:
    """Each page's wall-clock and CPU times (ms) of ``requests`` requests: the CPU time is this
    process's own, the same whatever else runs on the machine; the wall-clock time is what a
    person waits, and grows when other processes take the cores."""
    timings = {}
    for name, path, user in targets:
        client = signed_in[user.pk]
        for _ in range(warmup):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{name} ({path}) answered {response.status_code} for {user}")
        wall, cpu = [], []
        for _ in range(requests):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        timings[name] = (wall, cpu)
    return timings


def start_load(kind: str, niceness: int) -> list[subprocess.Popen]:
    """The processes that keep the cores busy beside the pages, at ``niceness``."""

    def lower():
        os.nice(niceness)

    if kind == "burn":
        return [subprocess.Popen([sys.executable, "-c", BURN], preexec_fn=lower) for _ in range(os.cpu_count() or 1)]
    from hrtrack.nlp.tasks import train_and_suggest_job
    from hrtrack.portal.management.commands.serve import worker_commands

    train_and_suggest_job.enqueue()
    command = next(c for c in worker_commands() if c[-1] == "background")
    worker = subprocess.Popen([*command, "--no-startup-delay"], preexec_fn=lower, stdout=subprocess.DEVNULL)
    time.sleep(5)  # the worker's start and the job's first seconds (reading the items)
    return [worker]


def ensure_repeat_groups() -> int:
    """Repeat groups like the ones the links rebuild stores, when the database has none (see --help):
    the number of items put in a group, 0 when groups were already there."""
    import random

    from hrtrack.recommendations.models import Recommendation, RepeatGroupMember

    if RepeatGroupMember.objects.exists():
        return 0
    by_state: dict[int, list[int]] = {}
    for item, country in Recommendation.recipients.through.objects.order_by("id").values_list(
            "recommendation_id", "country_id"):
        by_state.setdefault(country, []).append(item)
    chance = random.Random(12)
    grouped: dict[int, int] = {}
    for items in by_state.values():
        items = [item for item in items if item not in grouped]
        chance.shuffle(items)
        start, end = 0, int(len(items) * 0.4)
        while start < end:
            group = sorted(items[start:start + chance.randint(2, 4)])
            start += len(group)
            if len(group) > 1:
                grouped.update((item, group[0]) for item in group)
    RepeatGroupMember.objects.bulk_create([RepeatGroupMember(item_id=item, group_key=key)
                                           for item, key in grouped.items()], batch_size=2000)
    return len(grouped)


def make_demo(var_dir: Path) -> None:
    """A demo in ``var_dir`` as --help says, by the project's own commands."""
    env = {**os.environ, "HRTRACK_VAR_DIR": str(var_dir)}
    hrtrack = [sys.executable, "-m", "hrtrack.cli"]
    for command in (["migrate", "--no-input"], ["demo", "--no-semantic"], ["worker", "--batch", "--no-startup-delay"]):
        print("making the demo:", "hrtrack", *command, flush=True)
        subprocess.run([*hrtrack, *command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__[__doc__.index("It needs"):],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, default=os.getenv("HRTRACK_VAR_DIR"),
                        help="the var folder of a demo (HRTRACK_VAR_DIR); see below how to make one")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="requests per page before timing (default 3)")
    parser.add_argument("--load", choices=["burn", "worker", "none"], default="burn",
                        help="what runs beside the pages in the second round (default: burn)")
    parser.add_argument("--load-nice", type=int, default=None,
                        help="the load's niceness (default: the workers' under `hrtrack serve`)")
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

    from hrtrack.portal.management.commands.serve import WORKER_NICENESS
    from hrtrack.recommendations.models import Recommendation

    niceness = WORKER_NICENESS if args.load_nice is None else args.load_nice
    if stored := ensure_repeat_groups():
        print(f"the database held no repeat groups: {stored} items stored in groups of 2 to 4 (see --help)")
    who = people()
    print(f"database: {connection.vendor}, {Recommendation.objects.count()} items; "
          f"{args.requests} requests per page after {args.warmup}; signed in as "
          + ", ".join(f"{role} {user.username}" for role, user in who.items()))
    targets = pages(who)
    signed_in = clients(who)
    queries = {name: count_queries(signed_in[user.pk], path) for name, path, user in targets}
    print(f"load average before the idle round: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")
    rounds = {"idle": time_pages(targets, signed_in, warmup=args.warmup, requests=args.requests)}
    if args.load != "none":
        load = start_load(args.load, niceness)
        try:
            rounds["load"] = time_pages(targets, signed_in, warmup=1, requests=args.requests)
            still_running = all(process.poll() is None for process in load)
        finally:
            for process in load:
                process.terminate()
            if args.load == "worker" and load[0].poll() is None:
                # The worker stops once its job is done (a job cut short would stay "running").
                print("waiting for the worker to finish its job...", flush=True)
            for process in load:
                process.wait(timeout=600)
        described = (f"{len(load)} CPU-burning processes" if args.load == "burn"
                     else "hrtrack worker running the training and suggestion job")
        print(f"load: {described} at nice {niceness}" + ("" if still_running else " (ended before the round did)"))

    header = f"{'page':<24} {'queries':>7}  {'idle p50':>8} {'p95':>6} {'cpu p95':>7}"
    if "load" in rounds:
        header += f"  {'load p50':>8} {'p95':>6} {'cpu p95':>7}"
    print(header)
    missed = []
    for name, path, _user in targets:
        line = f"{name:<24} {queries[name]:>7}"
        for round_name, target in (("idle", IDLE_TARGET_MS), ("load", LOAD_TARGET_MS)):
            if round_name not in rounds:
                continue
            wall, cpu = rounds[round_name][name]
            p95 = percentile(wall, 0.95)
            line += f"  {statistics.median(wall):>8.1f} {p95:>6.1f} {percentile(cpu, 0.95):>7.1f}"
            if p95 > target:
                missed.append(f"{name} ({path}) {round_name}: p95 {p95:.0f} ms > {target} ms")
        print(line)
    print("(ms; cpu: this process's CPU time, which other processes on the machine do not change)")
    print(f"targets: p95 <= {IDLE_TARGET_MS} ms idle, <= {LOAD_TARGET_MS} ms under load: "
          + ("met" if not missed else "missed by " + "; ".join(missed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the platform under load, on PostgreSQL behind gunicorn, beside Datasette serving the
same recommendations table as the read baseline.

The platform runs as in production: gunicorn with ``--workers`` web processes (default: two per
core) on its own PostgreSQL database (``--database``, default ``hrtrack_load``: never one that
others use), migrated and filled by ``hrtrack demo --no-semantic --no-suggestions`` the first time
(a few minutes; later runs reuse it). ``--clients`` concurrent clients (default 50), each a thread
with plain http.client, send requests without pause for ``--seconds`` (default 60), each request
drawn from this mix:

- pages (35%): the public landing, item list (filtered by state), item page, dialogues list and
  dialogue page as an anonymous visitor; the item list, an item and the dashboard signed in as the
  demo's coordinator;
- searches (20%): the search page and /api/v1/search, words drawn from the items' own texts;
- API reads (30%): every GET operation of /api/v1/openapi.json whose path parameters name an item
  or a dialogue (or take none), and the pages' JSON twins (/recommendations.json, an item's .json);
- report writes (15%): a focal point of the demo saving a progress report draft, half the clients
  through the page's JSON door (``/assignments/<id>/reports/new.json`` once, then
  ``/reports/<id>/edit.json`` with the version last seen) signed in with a session (password and TOTP
  code verified, as after signing in) and the CSRF token, as a browser does; the other half through
  the API with a personal token (``/api/v1/assignments/<id>/reports``, ``/api/v1/reports/<id>/edit``).
  The tokens are revoked when the bench ends.

gunicorn runs as behind one reverse proxy (HRTRACK_TRUSTED_PROXY=1): each signed-in client sends its
own address in X-Forwarded-For, and each anonymous request one drawn from a crowd of 5,000, so that
the per-address limits (searches, API) see people, not one address sending everything.

Then the same number of clients for the same time against Datasette (``datasette serve``, one
process) over a SQLite copy of the published recommendations (text, symbol, session, response,
recipients and recommending states; full-text search enabled with sqlite-utils): its table page and
JSON, filtered by session, its ``_search``, and a row's JSON.

Printed: requests per second, p50/p95/p99 (ms) overall and per kind of request, and the errors by
status (or by exception, for a refused or broken connection), for each server, side by side; and
the servers' CPU time per request (the web processes', and for the platform the PostgreSQL processes
serving its database, read from /proc), which does not depend on what else the machine runs, with
the requests per second it allows on this machine's cores when nothing else runs ("ceiling"). The
load average before and after says how busy the machine was.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--workers N] [--no-datasette]

PostgreSQL is reached at ``--postgres`` (default postgres://postgres@127.0.0.1:5432/, the
``DATABASE_URL`` of a database on the same server); the database is created when it is missing,
never dropped. The demo's folder (secret key, evidence files) is ``--var-dir`` (var/bench-load).

Target (issue 15): no errors, p95 <= 300 ms at 50 clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 300
MIX = {"page": 35, "search": 20, "api": 30, "write": 15}
READ_MIX = {"page": 35, "search": 35, "api": 30}  # Datasette's share: the same reads, no writes
TIMEOUT_S = 30
BENCH_NAME = "bench/load.py"
#: Anonymous requests come from a crowd of addresses (X-Forwarded-For behind one trusted proxy, as
#: deployed at scale): 50 clients without pause stand for many more people, each under the per-address limits.
CROWD = 5000


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The database -------------------------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"--postgres must be a postgres:// address, not {server!r}")
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def ensure_database(server: str, name: str) -> None:
    """Create the database ``name`` when the server does not have it (it is never dropped)."""
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"--database {name!r}: use lower-case letters, digits and _")
    try:
        with psycopg.connect(database_url(server, "postgres"), autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
                print(f"created the database {name}", flush=True)
    except psycopg.OperationalError as error:
        sys.exit(f"cannot reach PostgreSQL at {server}: {error}")


def environment(url: str, var_dir: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "HRTRACK_VAR_DIR": str(var_dir),
           "DJANGO_SETTINGS_MODULE": "hrtrack.settings", "DEBUG": "false", "HRTRACK_TRUSTED_PROXY": "1"}
    env.pop("HRTRACK_PAGE_SIZE", None)
    return env


def prepare(env: dict) -> None:
    """Migrate, and load the demo when the database holds no item yet."""
    hrtrack = [sys.executable, "-m", "hrtrack.cli"]
    subprocess.run([*hrtrack, "migrate", "--no-input"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    count = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from hrtrack.recommendations.models import "
         "Recommendation; print(Recommendation.objects.count())"], env=env, cwd=ROOT, check=True,
        capture_output=True, text=True).stdout.split()[-1]
    if int(count) == 0:
        print("loading the demo into the database (a few minutes, once): hrtrack demo --no-semantic "
              "--no-suggestions", flush=True)
        subprocess.run([*hrtrack, "demo", "--no-semantic", "--no-suggestions"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)


def setup_django(env: dict) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "HRTRACK_VAR_DIR", "DJANGO_SETTINGS_MODULE", "DEBUG",
                                           "HRTRACK_TRUSTED_PROXY")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- What the clients ask for -------------------------------------------------------------------


@dataclass
class Plan:
    """The requests' ingredients, read from the database before the clients start."""

    items: list[int]
    dialogues: list[int]
    words: list[str]
    state: str
    coordinator_cookie: str
    coordinator_token: str
    focal_points: list[tuple[str, str, list[int]]]  # (session cookie, API token, assignment ids they report on)
    paths: dict = field(default_factory=dict)


def session_cookie(user) -> str:
    """A signed-in session for ``user`` as signing in with the password and the TOTP code makes one
    (without the sign-in's lockout counting 50 sign-ins from one address): verified by a TOTP device
    of the bench's own."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name=BENCH_NAME, defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def api_token(user) -> str:
    """A personal API token of ``user`` (revoked when the bench ends: :func:`revoke_tokens`)."""
    from hrtrack.api.models import ApiToken

    return ApiToken.create_for(user, BENCH_NAME)[1]


def revoke_tokens() -> None:
    from django.utils import timezone

    from hrtrack.api.models import ApiToken

    ApiToken.objects.filter(name=BENCH_NAME, revoked_at__isnull=True).update(revoked_at=timezone.now())


def make_plan(clients: int) -> Plan:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count
    from django.urls import reverse

    from hrtrack.accounts.models import Membership, Role, User
    from hrtrack.directory.models import our_state
    from hrtrack.followup import rules
    from hrtrack.followup.models import Assignment
    from hrtrack.followup.publication import visible_dialogues, visible_items
    from hrtrack.recommendations.models import Recommendation

    revoke_tokens()  # any an earlier run left, stopped before it could revoke them
    anonymous = AnonymousUser()
    items = list(visible_items(anonymous).order_by("?").values_list("pk", flat=True)[:2000])
    dialogues = list(visible_dialogues(anonymous).values_list("pk", flat=True)[:500])
    if not items:
        sys.exit("the database holds no published item: is it a demo's? (see --help)")
    texts = Recommendation.objects.filter(pk__in=items[:500]).values_list("text", flat=True)
    words = sorted({w for text in texts for w in re.findall(r"[a-z]{6,}", text.lower())})
    state = our_state()
    coordinator = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    if coordinator is None:
        sys.exit("no coordinator in this database: is it a demo's? (see --help)")
    focal_points = []
    memberships = (Membership.objects.filter(role=Role.FOCAL_POINT, user__is_active=True)
                   .annotate(work=Count("organization__assignments")).filter(work__gt=0).order_by("-work", "pk"))
    users = list({m.user_id: m.user for m in memberships.select_related("user")}.values())
    for user in users:
        assignments = [a.pk for a in Assignment.objects.filter(organization__memberships__user=user)
                       .select_related("organization", "recommendation").distinct()[:50]
                       if rules.can_report_on(user, a)]
        if assignments:
            focal_points.append((session_cookie(user), api_token(user), assignments))
    if not focal_points:
        sys.exit("no focal point with an assignment in this database: is it a demo's? (see --help)")
    paths = {"dashboard": reverse("followup:dashboard"), "search": reverse("search:search"),
             "recommendations": reverse("recommendations:recommendations"),
             "recommendations_json": reverse("recommendations:recommendations_json"),
             "dialogues": reverse("dialogues:dialogues")}
    return Plan(items=items, dialogues=dialogues, words=words, state=state.code if state else "MX",
                coordinator_cookie=session_cookie(coordinator), coordinator_token=api_token(coordinator),
                focal_points=focal_points, paths=paths)


def api_operations(schema: dict) -> list[str]:
    """The GET paths of the API schema the clients can fill: none or only item and dialogue ids as
    path parameters, no required query parameter but ``q``."""
    found = []
    for route, operations in sorted((schema.get("paths") or {}).items()):
        get = operations.get("get")
        if not get or "openapi" in route or "docs" in route:
            continue
        parameters = [*operations.get("parameters", []), *get.get("parameters", [])]
        required_query = [p["name"] for p in parameters if p.get("in") == "query" and p.get("required")]
        if set(required_query) - {"q"}:
            continue
        holes = re.findall(r"{([^}]+)}", route)
        if len(holes) > 1:
            continue
        if holes and not re.search(r"recommendation|item|dialogue", route):
            continue
        found.append(route)
    return found


def fill(route: str, plan: Plan, rng: random.Random) -> str:
    kind = "dialogues" if "dialogue" in route else "items"
    path = re.sub(r"{[^}]+}", lambda _match: str(rng.choice(getattr(plan, kind) or plan.items)), route)
    return path + ("?" + urlencode({"q": rng.choice(plan.words)}) if "search" in route else "")


# --- The clients -----------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    status: int | str
    ms: float
    said: str = ""  # what an error answered (its start), to tell why


class HrtrackClient:
    """One client of the platform: its own random draws, and (for writes) its own focal point's session
    and draft."""

    def __init__(self, index: int, host: str, port: int, plan: Plan, api: list[str], mix: dict,
                 protected: set[str] = frozenset()):
        self.rng = random.Random(index)
        self.host, self.port, self.plan, self.api = host, port, plan, api
        self.kinds, self.weights = list(mix), list(mix.values())
        self.cookie, self.token, self.assignments = plan.focal_points[index % len(plan.focal_points)]
        self.through_api = index % 2 == 0  # half the writers use the API with a token, half the page's JSON door
        self.csrf = secrets.token_hex(16)  # a CSRF secret of our own, sent as cookie and header
        self.report: tuple[int, int] | None = None  # (report id, version)
        self.address = f"10.1.{index // 250}.{index % 250 + 1}"  # the signed-in person's own
        self.protected = protected  # API routes the public may not read: asked with the coordinator's token

    def request(self, method: str, path: str, *, cookie: str = "", body: dict | None = None, token: str = ""):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
        signed_in = bool(cookie or token)
        crowd = self.rng.randrange(CROWD)
        headers = {"Host": f"{self.host}:{self.port}",
                   "X-Forwarded-For": self.address if signed_in else f"10.2.{crowd // 250}.{crowd % 250 + 1}"}
        if cookie:
            headers["Cookie"] = cookie
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
            if cookie:
                headers.update({"X-CSRFToken": self.csrf, "Cookie": f"{cookie}; csrftoken={self.csrf}"})
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            return response.status, content
        finally:
            connection.close()

    def next_request(self):
        """(kind, method, path, cookie, body, token) of the next request."""
        rng, plan = self.rng, self.plan
        kind = rng.choices(self.kinds, self.weights)[0]
        if kind == "page":
            item, word = rng.choice(plan.items), rng.choice(plan.words)
            choices = [
                (plan.paths["recommendations"] + "?" + urlencode({"recipient": plan.state}), ""),
                (f"/recommendations/{item}/", ""), ("/", ""), (plan.paths["dialogues"], ""),
                (plan.paths["recommendations"] + "?" + urlencode({"q": word}), plan.coordinator_cookie),
                (f"/recommendations/{item}/", plan.coordinator_cookie),
                (plan.paths["dashboard"], plan.coordinator_cookie),
            ]
            if plan.dialogues:
                choices.append((f"/dialogues/{rng.choice(plan.dialogues)}/", ""))
            path, cookie = rng.choice(choices)
            return kind, "GET", path, cookie, None, ""
        if kind == "search":
            query = urlencode({"q": " ".join(rng.sample(plan.words, rng.choice([1, 1, 2])))})
            path = rng.choice([f"{plan.paths['search']}?{query}", f"/api/v1/search?{query}"])
            return kind, "GET", path, "", None, ""
        if kind == "api":
            routes = [*self.api, "JSON recommendations", "JSON item"]
            route = rng.choice(routes)
            if route == "JSON recommendations":
                path = plan.paths["recommendations_json"] + "?" + urlencode({"recipient": plan.state})
            elif route == "JSON item":
                path = f"/recommendations/{rng.choice(plan.items)}.json"
            else:
                path = fill(route, plan, rng)
            return kind, "GET", path, "", None, plan.coordinator_token if route in self.protected else ""
        narrative = f"Progress noted at {time.time():.3f}: " + " ".join(rng.sample(plan.words, 8))
        body = {"status": "in-progress", "narrative": narrative}
        if self.report is None:
            assignment = rng.choice(self.assignments)
            path = f"/api/v1/assignments/{assignment}/reports" if self.through_api else \
                f"/assignments/{assignment}/reports/new.json"
        else:
            report, version = self.report
            path = f"/api/v1/reports/{report}/edit" if self.through_api else f"/reports/{report}/edit.json"
            body["version"] = version
        if self.through_api:
            return kind, "POST", path, "", body, self.token
        return kind, "POST", path, self.cookie, body, ""

    def run(self, deadline: float, results: list[Result]) -> None:
        while time.perf_counter() < deadline:
            self.run_one(results)

    def run_one(self, results: list[Result]) -> None:
        """One request of the mix, its result appended to ``results``."""
        kind, method, path, cookie, body, token = self.next_request()
        start = time.perf_counter()
        try:
            status, content = self.request(method, path, cookie=cookie, body=body, token=token)
        except (OSError, http.client.HTTPException) as error:
            status, content = type(error).__name__, b""
        failed = not (isinstance(status, int) and status < 400)
        said = f"{method} {path.split('?')[0]}: {content[:300].decode(errors='replace')}" if failed else ""
        results.append(Result(kind, status, (time.perf_counter() - start) * 1000, said))
        if kind == "write" and status in (200, 201):
            answer = json.loads(content)
            self.report = (answer["id"], answer["version"])
        elif kind == "write" and status == 409:
            self.report = None  # someone else's change: start a new draft rather than guess


class DatasetteClient(HrtrackClient):
    """One client of Datasette over the same table: its table page and JSON, a filter, a search, a row."""

    def next_request(self):
        rng, plan = self.rng, self.plan
        kind = rng.choices(self.kinds, self.weights)[0]
        if kind == "page":
            path = rng.choice(["/load/recommendations?" + urlencode({"recipients__contains": plan.state}),
                               f"/load/recommendations/{rng.choice(plan.items)}", "/load"])
        elif kind == "search":
            query = " ".join(rng.sample(plan.words, rng.choice([1, 1, 2])))
            path = "/load/recommendations" + rng.choice(["", ".json"]) + "?" + urlencode({"_search": query})
        else:
            path = rng.choice([
                "/load/recommendations.json?" + urlencode({"recipients__contains": plan.state, "_size": 20}),
                f"/load/recommendations/{rng.choice(plan.items)}.json",
                "/load/recommendations.json?" + urlencode({"session": rng.randint(1, 40)})])
        return kind, "GET", path, "", None, ""


def cpu_by_kind(client: HrtrackClient, meter, kinds: list[str], requests: int) -> dict[str, float]:
    """The servers' CPU ms a request of each kind, one client sending ``requests`` of it in a row (the
    round's mix cannot be split by kind from /proc)."""
    costs = {}
    for kind in kinds:
        client.kinds, client.weights = [kind], [1]
        results: list[Result] = []
        with meter as cpu:
            for _ in range(requests):
                client.run_one(results)
        costs[kind] = cpu.seconds * 1000 / requests
    return costs


def hammer(make_client, clients: int, seconds: float) -> tuple[list[Result], float]:
    """``clients`` clients in threads for ``seconds``: every request's result, and the time it took."""
    per_client: list[list[Result]] = [[] for _ in range(clients)]
    start = time.perf_counter()
    deadline = start + seconds
    threads = [threading.Thread(target=make_client(i).run, args=(deadline, per_client[i]), daemon=True)
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S + seconds + 5)
    return [r for results in per_client for r in results], time.perf_counter() - start


# --- The servers -----------------------------------------------------------------------------------


def wait_for(port: int, path: str, process: subprocess.Popen, what: str, log: Path) -> None:
    for _ in range(240):
        if process.poll() is not None:
            sys.exit(f"{what} stopped as it started:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"{what} did not answer on port {port}:\n{log.read_text()[-3000:]}")


def start_gunicorn(env: dict, workers: int, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "hrtrack.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--backlog", "2048", "--timeout", "60", "--error-logfile", str(log)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_for(port, "/", process, "gunicorn", log)
    return process


def export_table(path: Path) -> int:
    """The published recommendations into a SQLite table ``recommendations`` (full-text on text); a copy
    made by an earlier run is kept while it holds as many rows as are published."""
    import sqlite_utils
    from django.contrib.auth.models import AnonymousUser

    from hrtrack.followup.publication import visible_items

    published = visible_items(AnonymousUser())
    if path.exists():
        if "recommendations" in sqlite_utils.Database(path).table_names() and \
                sqlite_utils.Database(path)["recommendations"].count == published.count():
            return published.count()
        path.unlink()
    rows = []
    published = (published.order_by("pk")
                 .prefetch_related("recipients", "recommending_states"))
    for item in published.iterator(chunk_size=2000):
        rows.append({"id": item.pk, "kind": item.kind, "text": item.text, "language": item.language,
                     "document_symbol": item.document_symbol, "paragraph": item.paragraph, "session": item.session,
                     "cycle": item.cycle, "issued_on": item.issued_on and item.issued_on.isoformat(),
                     "response": item.response, "action_category": item.action_category,
                     "recipients": " ".join(c.code for c in item.recipients.all()),
                     "recommending_states": " ".join(c.code for c in item.recommending_states.all())})
    database = sqlite_utils.Database(path)
    database["recommendations"].insert_all(rows, pk="id", batch_size=2000)
    database["recommendations"].enable_fts(["text"], fts_version="FTS5")
    for column in ("session", "recipients", "response"):
        database["recommendations"].create_index([column])
    return len(rows)


def start_datasette(database: Path, port: int, log: Path) -> subprocess.Popen:
    tool = Path(sys.executable).parent / "datasette"
    if not tool.exists():
        sys.exit("datasette is not installed: pip install -e '.[bench]' (or pass --no-datasette)")
    with log.open("w") as stream:
        process = subprocess.Popen([str(tool), "serve", str(database), "--port", str(port), "--host", "127.0.0.1",
                                    "--setting", "sql_time_limit_ms", "5000"], stdout=stream,
                                   stderr=subprocess.STDOUT)
    wait_for(port, "/load.json", process, "datasette", log)
    return process


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process under it (gunicorn's workers, Datasette's threads are its own)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(child) for child in children]
    return found


def postgres_backends(database: str) -> list[int]:
    """The server processes serving ``database`` (on this machine, as the bench runs it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                       [database])
        return [row[0] for row in cursor.fetchall()]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """Each process's CPU time so far (user and system); a process gone or not ours reads as absent."""
    tick = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    return times


class CpuMeter:
    """The CPU time the servers spent during a round: the web processes and, for the platform, the
    PostgreSQL processes serving its database. It does not depend on what else runs on the machine
    (the wall-clock figures do), so it says what a request costs: ``cpu_ms`` a request."""

    def __init__(self, server: subprocess.Popen, database: str | None = None):
        self.server, self.database = server, database

    def pids(self) -> list[int]:
        return process_tree(self.server.pid) + (postgres_backends(self.database) if self.database else [])

    def __enter__(self):
        self.before = cpu_seconds(self.pids())
        return self

    def __exit__(self, *exc):
        after = cpu_seconds(self.pids())
        self.seconds = sum(after[pid] - self.before.get(pid, 0.0) for pid in after)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- The figures ----------------------------------------------------------------------------------


def summary(results: list[Result], seconds: float, cpu: float) -> dict:
    """Requests per second and percentiles, overall and per kind; errors by status."""
    def figures(rows: list[Result]) -> dict:
        ms = [r.ms for r in rows]
        return {"requests": len(rows), "rps": len(rows) / seconds, "p50": percentile(ms, 0.5),
                "p95": percentile(ms, 0.95), "p99": percentile(ms, 0.99), "mean": statistics.fmean(ms)} if ms else {}

    by_kind = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result)
    failed = [r for r in results if r.said or not (isinstance(r.status, int) and r.status < 400)]
    errors = Counter(f"{r.kind} {r.status}" for r in failed)
    examples = {}
    for result in failed:
        examples.setdefault(f"{result.kind} {result.status}", result.said)
    return {"all": figures(results), "kinds": {k: figures(v) for k, v in sorted(by_kind.items())},
            "errors": dict(sorted(errors.items())), "examples": examples, "seconds": seconds,
            "cpu_ms": cpu * 1000 / max(len(results), 1)}


def table(columns: dict[str, dict]) -> str:
    names = list(columns)
    lines = [f"{'':<22}" + "".join(f"{name:>30}" for name in names)]
    rows = ["all", *sorted({k for c in columns.values() for k in c["kinds"]})]
    for row in rows:
        for label, key, fmt in (("requests/s", "rps", "{:.1f}"), ("p50 / p95 / p99 ms", None, None)):
            cells = []
            for name in names:
                figures = columns[name]["all"] if row == "all" else columns[name]["kinds"].get(row, {})
                if not figures:
                    cells.append(f"{'-':>30}")
                elif key:
                    cells.append(f"{fmt.format(figures[key]):>30}")
                else:
                    cells.append(f"{figures['p50']:>12.0f} /{figures['p95']:>6.0f} /{figures['p99']:>6.0f}")
            lines.append(f"{(row if key else '') + ' ' + label:<22}"[:22] + "".join(cells))
    cores = os.cpu_count() or 1
    lines.append(f"{'server CPU ms/request':<22}" + "".join(f"{columns[n]['cpu_ms']:>30.1f}" for n in names))
    for kind in sorted({k for c in columns.values() for k in c.get("cpu_kinds", {})}):
        lines.append(f"{'  ' + kind + ', alone':<22}" + "".join(
            f"{columns[n]['cpu_kinds'][kind]:>30.1f}" if kind in columns[n].get("cpu_kinds", {}) else f"{'-':>30}"
            for n in names))
    lines.append(f"{f'ceiling r/s, {cores} cores':<22}"
                 + "".join(f"{cores * 1000 / max(columns[n]['cpu_ms'], 0.01):>30.0f}" for n in names))
    for name in names:
        errors = columns[name]["errors"]
        lines.append(f"errors, {name}: " + (", ".join(f"{k}: {n}" for k, n in errors.items()) if errors else "none"))
        lines += [f"  for example, {key}: {said}" for key, said in columns[name]["examples"].items()]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__[__doc__.index("The platform runs"):],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of load on each server (default 60)")
    parser.add_argument("--warmup", type=float, default=5,
                        help="seconds of the same load before each round, not counted (default 5)")
    parser.add_argument("--per-kind", type=int, default=30,
                        help="requests of each kind sent one at a time after each round, for its CPU cost (default 30)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="gunicorn web processes (default: two per core)")
    parser.add_argument("--postgres", default=os.getenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"),
                        help="the PostgreSQL server (default: DATABASE_URL's, else postgres://postgres@127.0.0.1:5432/)")
    parser.add_argument("--database", default="hrtrack_load",
                        help="the benchmark's own database (default hrtrack_load)")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-load",
                        help="the demo's var folder (default var/bench-load)")
    parser.add_argument("--no-datasette", action="store_true", help="leave out the Datasette baseline")
    args = parser.parse_args()
    if args.database in ("postgres", "template0", "template1"):
        parser.error(f"--database {args.database}: name a database of the benchmark's own")

    ensure_database(args.postgres, args.database)
    url = database_url(args.postgres, args.database)
    args.var_dir.mkdir(parents=True, exist_ok=True)
    env = environment(url, args.var_dir.resolve())
    prepare(env)
    setup_django(env)
    plan = make_plan(args.clients)

    columns = {}
    with tempfile.TemporaryDirectory(prefix="hrtrack-bench-load-") as tmp:
        port = free_port()
        server = start_gunicorn(env, args.workers, port, Path(tmp) / "gunicorn.log")
        try:
            probe = HrtrackClient(0, "127.0.0.1", port, plan, [], MIX)
            status, content = probe.request("GET", "/api/v1/openapi.json")
            api = api_operations(json.loads(content)) if status == 200 else ["/api/v1/search"]
            # Routes the public may not read are read by the coordinator, with a token.
            protected = {route for route in api
                         if probe.request("GET", fill(route, plan, probe.rng))[0] in (401, 403)}
            print(f"PostgreSQL database {args.database}: {len(plan.items)} published items drawn, "
                  f"{len(plan.focal_points)} focal points writing; gunicorn with {args.workers} workers; "
                  f"API reads: {', '.join(api)}; {args.clients} clients for {args.seconds:.0f} s", flush=True)
            print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
            clients = [HrtrackClient(i, "127.0.0.1", port, plan, api, MIX, protected) for i in range(args.clients)]
            hammer(lambda i: clients[i], args.clients, args.warmup)  # each worker's first requests load its caches
            with CpuMeter(server, args.database) as cpu:
                results, took = hammer(lambda i: clients[i], args.clients, args.seconds)
            columns["hrtrack (gunicorn, PostgreSQL)"] = summary(results, took, cpu.seconds)
            print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)
            columns["hrtrack (gunicorn, PostgreSQL)"]["cpu_kinds"] = cpu_by_kind(
                clients[1], CpuMeter(server, args.database), list(MIX), args.per_kind)
        finally:
            stop(server)
            revoke_tokens()
        if not args.no_datasette:
            database = args.var_dir / "load.db"
            start = time.perf_counter()
            exported = export_table(database)
            print(f"Datasette: {exported} published recommendations in SQLite ({database}) "
                  f"in {time.perf_counter() - start:.0f} s", flush=True)
            port = free_port()
            server = start_datasette(database, port, Path(tmp) / "datasette.log")
            try:
                clients = [DatasetteClient(i, "127.0.0.1", port, plan, [], READ_MIX) for i in range(args.clients)]
                hammer(lambda i: clients[i], args.clients, args.warmup)
                with CpuMeter(server) as cpu:
                    results, took = hammer(lambda i: clients[i], args.clients, args.seconds)
                columns["Datasette (reads only)"] = summary(results, took, cpu.seconds)
                columns["Datasette (reads only)"]["cpu_kinds"] = cpu_by_kind(clients[1], CpuMeter(server),
                                                                             list(READ_MIX), args.per_kind)
            finally:
                stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(table(columns))
    ours = columns["hrtrack (gunicorn, PostgreSQL)"]
    verdict = "met" if ours["all"]["p95"] <= TARGET_P95_MS and not ours["errors"] else "NOT met"
    print(f"\ntarget (no errors, p95 <= {TARGET_P95_MS} ms at 50 clients): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: search latency (p50, p95) over the 33k corpus and over a million items, the index's
memory at a million, and Datasette's full-text search over the same corpus as the baseline.

200 varied queries, the same on every run (seeded): words and pairs of words from the corpus's
vocabulary, quoted phrases taken from its texts, Spanish queries, filters only; most with
filters (recipient, recommending state, session, theme, response, a date range), some sorted by
date. Each is timed through hrtrack.search.engine.search, facets included, as the pages call it,
for a coordinator, who finds every item (with --anonymous, for a visitor, who finds only the
published: none in a corpus just imported, so that nothing is ranked or counted).

The million: the corpus's search documents copied about 30 times with variations (a word
dropped or two swapped in each text, other sessions and recipients), written straight into the
index tables, with vectors made from the corpus's own plus a little noise: embedding a million
texts is out of reach here, and the search's cost does not depend on where the vectors came from.

Everything happens in a temporary var folder (HRTRACK_VAR_DIR): the user's database is never
touched. With --from it starts from a copy of a var folder that already holds the corpus and
its embeddings (saves the import and the embedding); otherwise it imports the UPR Info files.

On PostgreSQL (``--postgres URL``, or a ``DATABASE_URL`` that names a PostgreSQL server) the index
lives in a database of the bench's own, ``hrtrack_bench_search`` on that server, made afresh and
dropped at the end (kept with --keep); the million is written with COPY, the full-text indexes (GIN)
made again after it. The Datasette baseline stays on SQLite. With ``--modes text`` no embedding model
is needed (no semantic index is built).

The first searches after a fresh start of the site (issue 16): on SQLite, a copy of the 33k var
folder, its documents marked published (so that an anonymous visitor finds what a published
site's would), is served by ``hrtrack serve --no-worker`` (gunicorn, 2 workers, as the command
starts it); once each worker says it is ready (it loads the search as it starts:
``hrtrack.search.warmup``), the first text search, the first semantic one and a first Spanish one
are timed as pages (/search/), each a query not seen before, then a later one for comparison;
and the same with the warm-up turned off (``HRTRACK_SEARCH_WARM_UP=0``), as the site was before.
``--first-only`` times just that (with ``--from``, quickly).

    .venv/bin/python bench/search.py [--sizes 33k,1m] [--from VAR_DIR] [--modes fused,text,semantic]
    .venv/bin/python bench/search.py --postgres postgres://postgres@127.0.0.1:5432/ [--modes text]
    .venv/bin/python bench/search.py --first-only --from VAR_DIR

Targets (issue 6): p95 <= 50 ms at 33k, <= 150 ms at 1M; index memory at 1M under 2 GB.
Target (issue 16): the first search after the site starts in at most 300 ms.
"""

import argparse
import asyncio
import csv
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.getenv("HRTRACK_SHARED_DIR", ROOT.parent / "shared"))
FILES = sorted((SHARED / "data" / "upr-info").glob("*.csv"))
SIZES = {"33k": None, "1m": 1_000_000}
QUERY_COUNT = 200
PG_DATABASE = "hrtrack_bench_search"

SPANISH = [
    "protección de periodistas", "violencia contra las mujeres", "tortura en centros de detención",
    "pena de muerte", "trata de personas", "trabajo infantil", "pueblos indígenas", "defensores de derechos humanos",
    "libertad de expresión", "desapariciones forzadas", "registro de nacimientos", "matrimonio infantil",
    "personas con discapacidad", "orientación sexual", "castigo corporal", "condiciones penitenciarias",
    "institución nacional de derechos humanos", "solicitantes de asilo", "derecho a la educación",
    "acceso al agua potable", "¿qué nos recomendaron sobre la libertad de prensa?", "mutilación genital femenina",
    "violencia doméstica", "igualdad de género", "derechos del niño", "independencia judicial",
]
QUESTIONS = [
    "What have we been told about {w} since {y}?", "How can we improve {w}?", "recommendations on {w}",
    "what did states say about {w}",
]
STOPWORDS = set("""a about after all also an and any are as at be been before being but by can could did do does
for from had has have he her his how i if in into is it its me more most my no not of on or our out over she should
since so some such than that the their them then there these they this those to under up us was we were what when
where which who will with would you your its take continue ensure measures efforts further including""".split())


# --- Queries --------------------------------------------------------------------------------


def corpus_texts() -> list[str]:
    texts = []
    for path in FILES:
        with path.open(encoding="utf-8", newline="") as stream:
            texts += [row["Text"].strip() for row in csv.DictReader(stream) if row["Text"].strip()]
    return texts


def make_queries(texts: list[str], values: dict[str, list[str]], count: int = QUERY_COUNT, seed: int = 0) -> list[dict]:
    """``count`` varied search parameter sets, the same for the same corpus and seed."""
    rng = random.Random(seed)
    words = Counter(w for text in texts for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOPWORDS)
    vocabulary = sorted(w for w, n in words.items() if 20 <= n <= 3000)
    queries = []
    for index in range(count):
        kind = index % 10
        if kind in (0, 1, 2):
            q = rng.choice(vocabulary)
        elif kind in (3, 4):
            q = f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}"
        elif kind == 5:
            tokens = rng.choice(texts).split()
            start = rng.randrange(max(1, len(tokens) - 3))
            q = '"' + " ".join(re.sub(r"[^\w'-]", "", t) for t in tokens[start:start + 3]) + '"'
        elif kind in (6, 7):
            q = rng.choice(SPANISH)
        elif kind == 8:
            q = rng.choice(QUESTIONS).format(w=rng.choice(vocabulary), y=rng.choice(range(2008, 2014)))
        else:
            q = ""
        params = {"q": q}
        for name in rng.sample(["recipient", "recommending_state", "theme", "response", "session", "dates"],
                               k=rng.choice([0, 1, 1, 2, 2, 3] if q else [1, 2, 3])):
            if name == "dates":
                first = rng.randrange(2008, 2013)
                params["date_from"], params["date_to"] = f"{first}-01-01", f"{first + rng.choice([1, 2])}-12-31"
            elif name == "session":
                first = rng.randrange(1, 15)
                params["session"] = [str(s) for s in range(first, first + rng.choice([1, 3]))]
            else:
                params[name] = rng.choice(values[name])
        if rng.random() < 0.15:
            params["sort"] = "date"
        queries.append(params)
    return queries


# --- Timing in a fresh process ----------------------------------------------------------------


CHILD = r"""
import json, os, sys, time
import django
django.setup()
from hrtrack.search import engine, semantic
from hrtrack.accounts.models import Role, User
queries, modes = json.load(open(sys.argv[1])), sys.argv[2].split(",")
# A coordinator (unsaved: nothing is written) finds every item, published or not, as the staff
# site does; an anonymous visitor only the published ones (none, in a corpus just imported).
user = None if sys.argv[3] == "anonymous" else User(username="bench", role=Role.COORDINATOR)
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
before = rss()
start = time.perf_counter()
first = engine.search(engine.parse_request({"q": "torture", "mode": modes[0]}), user)
loading = time.perf_counter() - start
loaded = rss()
out = {"first_ms": loading * 1000, "rss_before": before, "rss_loaded": loaded,
       "modes": {mode: {"ms": [], "totals": []} for mode in modes}}
# Modes take turns query by query (no mode gets the warmest caches), and the query's embedding is
# computed afresh each time: people rarely type the same thing twice.
cache = getattr(semantic, "_query_cache", {})
for index, params in enumerate(queries):
    for mode in modes[index % len(modes):] + modes[:index % len(modes)]:
        request = engine.parse_request({**params, "mode": mode})
        cache.clear()
        start = time.perf_counter()
        result = engine.search(request, user)
        out["modes"][mode]["ms"].append((time.perf_counter() - start) * 1000)
        out["modes"][mode]["totals"].append(result.total)
out["rss_after"] = rss()
try:
    from hrtrack.search.catalog import get_catalog
    out["catalog_bytes"] = get_catalog().memory_bytes()
except Exception as error:  # the figure is a bonus; the timings stand without it
    out["catalog_bytes"] = None
print(json.dumps(out))
"""


def time_queries(var: Path, queries: list[dict], modes: list[str], env: dict, audience: str = "staff") -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(queries, fh)
    try:
        result = subprocess.run([sys.executable, "-c", CHILD, fh.name, ",".join(modes), audience], cwd=ROOT, env=env,
                                capture_output=True, text=True)
    finally:
        os.unlink(fh.name)
    if result.returncode:
        sys.exit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- The first searches after a fresh start ---------------------------------------------------

#: The first searches a fresh site is asked, in order: each a query it has not seen.
FIRST_SEARCHES = [
    ("text", {"q": "torture in places of detention", "mode": "text"}),
    ("semantic", {"q": "nobody should be locked up without seeing a judge", "mode": "semantic"}),
    ("Spanish, fused", {"q": "que nadie quede preso sin ver a un juez"}),
    ("a later text search", {"q": "freedom of the press and journalists", "mode": "text"}),
]
#: How long a fresh site may take to say it is ready.
START_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def published_copy(var: Path, into: Path) -> Path:
    """A copy of ``var``'s SQLite database, index files and embeddings, its documents marked published."""
    import sqlite3

    into.mkdir(parents=True)
    source = sqlite3.connect(var / "hrtrack.sqlite3")
    target = sqlite3.connect(into / "hrtrack.sqlite3")
    source.backup(target)  # whole, with what the WAL holds
    source.close()
    target.execute("UPDATE search_searchdocument SET published = 1")
    target.commit()
    target.close()
    for name in ("search", "embeddings", "models", "secret_key"):
        if (var / name).is_dir():
            shutil.copytree(var / name, into / name)
        elif (var / name).is_file():
            shutil.copy2(var / name, into / name)
    return into


def first_searches(var: Path, env: dict, warm: bool, workers: int = 2) -> dict:
    """Start the site on ``var`` as `hrtrack serve` does, wait until it is ready, and time its first searches."""
    port = free_port()
    child_env = {**env, "HRTRACK_VAR_DIR": str(var), "HRTRACK_SEARCH_WARM_UP": "1" if warm else "0"}
    log = tempfile.TemporaryFile(mode="w+")
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "hrtrack.cli", "serve", "--no-worker", "--port", str(port),
                               "--workers", str(workers)], cwd=ROOT, env=child_env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        ready_lines: list[str] = []
        while True:
            if server.poll() is not None or time.perf_counter() - started > START_TIMEOUT:
                log.seek(0)
                sys.exit(f"the site did not start:\n{log.read()[-3000:]}")
            log.seek(0)
            text = log.read()
            if warm:
                # Each worker says so once its search is loaded (or that it gave up waiting).
                ready_lines = [line for line in text.splitlines() if "hrtrack: search" in line]
                if len(ready_lines) >= workers:
                    break
            elif text.count("Booting worker") >= workers:
                try:  # the workers take requests: a page that is no search (and no first search)
                    urllib.request.urlopen(base + "/bench-ready", timeout=5)
                except urllib.error.HTTPError:
                    break
                except OSError:
                    pass
            time.sleep(0.05)
        ready = time.perf_counter() - started
        times = []
        for label, params in FIRST_SEARCHES:
            begin = time.perf_counter()
            with urllib.request.urlopen(f"{base}/search/?{urllib.parse.urlencode(params)}", timeout=60) as response:
                body = response.read()
                status = response.status
            times.append((label, (time.perf_counter() - begin) * 1000, status, body.count(b'<li class="hit">')))
        return {"ready_s": ready, "times": times, "ready_lines": ready_lines}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def first_search_lines(var: Path, env: dict) -> list[str]:
    """The first searches after a fresh start, with the warm-up and without, in words."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return ["first searches after a fresh start: timed on SQLite only (run with --first-only --from VAR_DIR)"]
    lines = []
    with tempfile.TemporaryDirectory(prefix="hrtrack-bench-first-") as tmp:
        for warm in (True, False):
            copy = published_copy(var, Path(tmp) / ("warm" if warm else "cold"))
            figures = first_searches(copy, env, warm)
            how = "loaded as each worker starts" if warm else "loaded by the first requests (HRTRACK_SEARCH_WARM_UP=0)"
            lines.append(f"first searches after a fresh start, search {how}: ready {figures['ready_s']:.1f} s "
                         f"after the command")
            for label, ms, status, hits in figures["times"]:
                target = "" if label.startswith("a later") else "   target <= 300 ms"
                lines.append(f"  {label:<22}{ms:>8.0f} ms  ({status}, {hits} results on the page){target}")
            for line in figures["ready_lines"]:
                lines.append("  " + line.split("hrtrack: ", 1)[-1])
    return lines


# --- The Datasette baseline -------------------------------------------------------------------


def datasette_baseline(folder: Path, queries: list[dict]) -> dict:
    """The corpus loaded with sqlite-utils (FTS enabled), searched through Datasette's JSON API."""
    from datasette.app import Datasette

    tool = Path(sys.executable).parent / "sqlite-utils"
    database = folder / "upr.db"
    start = time.perf_counter()
    for path in FILES:
        subprocess.run([str(tool), "insert", str(database), "items", str(path), "--csv"], check=True,
                       capture_output=True)
    subprocess.run([str(tool), "enable-fts", str(database), "items", "Text", "--fts5"], check=True,
                   capture_output=True)
    loading = time.perf_counter() - start
    datasette = Datasette([str(database)])
    texts = [re.sub(r"[^\w\s]", " ", params["q"]).strip() for params in queries if params["q"]]

    async def run() -> list[float]:
        await datasette.client.get("/upr/items.json?_search=torture&_size=20")  # warm-up
        times = []
        for text in texts:
            start = time.perf_counter()
            response = await datasette.client.get("/upr/items.json", params={"_search": text, "_size": "20"})
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"Datasette answered {response.status_code} to {text!r}: {response.text[:200]}")
        return times

    return {"ms": asyncio.run(run()), "load_s": loading, "queries": len(texts)}


# --- Main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="33k,1m", help="comma-separated: 33k, 1m (default both)")
    parser.add_argument("--from", dest="source", type=Path,
                        help="a var folder holding the corpus and its embeddings, copied to start from")
    parser.add_argument("--modes", default="fused,text,semantic", help="search modes to time (default all three)")
    parser.add_argument("--no-datasette", action="store_true", help="leave out the Datasette baseline")
    default_pg = os.getenv("DATABASE_URL", "") if os.getenv("DATABASE_URL", "").startswith("postgres") else None
    parser.add_argument("--postgres", metavar="URL", default=default_pg,
                        help=f"time on PostgreSQL: the server (its database {PG_DATABASE} is the bench's own); "
                             "default: DATABASE_URL's server when it is PostgreSQL, else SQLite")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep it; a DIR left by an earlier run is timed again as it is "
                             "(no import, no growing): for profiling")
    parser.add_argument("--first-only", action="store_true",
                        help="time only the first searches after a fresh start of the site (with --from: quick)")
    parser.add_argument("--anonymous", action="store_true",
                        help="search as an anonymous visitor, who finds only published items (none in the bench's "
                             "corpus: nothing is ranked or counted); default: as a coordinator, who finds them all")
    args = parser.parse_args()
    sizes = [size.strip().lower() for size in args.sizes.split(",")]
    if unknown := set(sizes) - set(SIZES):
        sys.exit(f"unknown size {sorted(unknown)[0]!r}: use 33k or 1m")
    if len(FILES) != 5:
        sys.exit(f"expected the 5 UPR Info files in {SHARED / 'data' / 'upr-info'}")
    modes = args.modes.split(",")
    semantic = modes != ["text"]
    if args.postgres and args.source:
        sys.exit("--from copies a SQLite database: it cannot start a PostgreSQL run")

    with tempfile.TemporaryDirectory(prefix="hrtrack-bench-search-") as tmp:
        if args.keep:
            tmp = args.keep.resolve()
        var = Path(tmp) / "var"
        reuse = var.is_dir()
        if reuse:
            env = json.loads((var / "bench-env.json").read_text())
        else:
            env = prepare_var(var, args.source, semantic=semantic,
                              database=fresh_postgres(args.postgres) if args.postgres else None)
            (var / "bench-env.json").write_text(json.dumps(env))
        os.environ.pop("DATABASE_URL", None)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        vendor = connection.vendor
        setup = f"reusing {var}" if reuse else build_corpus(var, args.source is not None, semantic=semantic)
        child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hrtrack.settings", **env}
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: "
              "figures on a busy machine are noisy", flush=True)
        print(setup, flush=True)
        first = first_search_lines(var, child_env) if args.first_only or "33k" in sizes else []
        if args.first_only:
            print()
            print("\n".join(first))
            return 0
        texts = corpus_texts()
        queries = make_queries(texts, filter_values())
        rows = []
        for size in sizes:
            held = document_count()
            if reuse and (SIZES[size] or 0) < held - 10_000:
                sys.exit(f"{var} already holds {held} documents: it cannot be timed at {size}")
            if SIZES[size] and held < SIZES[size]:
                print(grow_index(var, SIZES[size], semantic=semantic), flush=True)
            figures = time_queries(var, queries, modes, child_env, "anonymous" if args.anonymous else "staff")
            rows.append((size, figures, disk_size(var) + database_size()))
            print(f"{size}: timed", flush=True)
        baseline = None if args.no_datasette else datasette_baseline(Path(tmp), queries)
        if args.postgres and not args.keep:
            connection.close()
            drop_postgres(args.postgres)
    print()
    print(f"database: {vendor}")
    print(table(rows, baseline, modes))
    if first:
        print()
        print("\n".join(first))
    return 0


def _server(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def fresh_postgres(url: str) -> str:
    """The bench's own database on the server of ``url``, made afresh: its address."""
    import psycopg

    with psycopg.connect(_server(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    return _server(url, PG_DATABASE)


def drop_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(_server(url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def database_size() -> int:
    """The PostgreSQL database's size on disk (0 on SQLite: its file is in the var folder)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def prepare_var(var: Path, source: Path | None, *, semantic: bool = True, database: str | None = None) -> dict:
    """The temporary var folder's environment; a copy of ``source``'s database and embeddings. On
    ``database`` (a PostgreSQL address) when one is given, else SQLite in the folder."""
    var.mkdir(parents=True)
    env = {"HRTRACK_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "hrtrack.settings"}
    os.environ.pop("DATABASE_URL", None)  # SQLite in the temporary folder, whatever the shell says
    if database:
        env["DATABASE_URL"] = database
    if not semantic:
        return env
    # An unset variable must not read as Path("") (the current folder, which exists).
    models = Path(os.getenv("HRTRACK_EMBEDDINGS_DIR") or "/nonexistent")
    if source:
        shutil.copy2(source / "hrtrack.sqlite3", var / "hrtrack.sqlite3")
        if (source / "embeddings").is_dir():
            shutil.copytree(source / "embeddings", var / "embeddings")
        if not models.is_dir() and (source / "models").is_dir():
            models = next((source / "models").iterdir())
    if not models.is_dir():
        models = ROOT / "var" / "models" / "all-MiniLM-L6-v2"
    if not models.is_dir():
        sys.exit("no exported embedding model: run `hrtrack embeddings export`, or set HRTRACK_EMBEDDINGS_DIR")
    env["HRTRACK_EMBEDDINGS_DIR"] = str(models)
    return env


def build_corpus(var: Path, copied: bool, *, semantic: bool = True) -> str:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not copied:
        from hrtrack.ingest.service import import_files
        from hrtrack.taxonomy.loader import load_taxonomy_dir

        load_taxonomy_dir(SHARED / "taxonomy")
        import_files("upr-info", FILES)
    imported = time.perf_counter() - start
    from hrtrack.search.documents import reindex

    start = time.perf_counter()
    report = reindex(semantic=semantic)
    return (f"corpus {'copied' if copied else 'imported'} in {imported:.0f} s; reindex of {report.items} items "
            f"({report.vectors} vectors) in {time.perf_counter() - start:.0f} s")


def filter_values() -> dict[str, list[str]]:
    """Values the queries' filters draw from: those present in the index."""
    from hrtrack.search.models import SearchDocument

    values: dict[str, Counter] = {name: Counter() for name in ("recipient", "recommending_state", "theme", "response")}
    columns = {"recipient": "recipients", "recommending_state": "recommending_states", "theme": "themes"}
    for row in SearchDocument.objects.values("recipients", "recommending_states", "themes", "response"):
        for name, column in columns.items():
            values[name].update(row[column].split())
        if row["response"]:
            values["response"][row["response"]] += 1
    return {name: sorted(counter) for name, counter in values.items()}


def document_count() -> int:
    from hrtrack.search.models import SearchDocument

    return SearchDocument.objects.count()


def disk_size(var: Path) -> int:
    return sum(path.stat().st_size for path in var.rglob("*") if path.is_file() and "models" not in path.parts)


def grow_index(var: Path, target: int, *, semantic: bool = True) -> str:
    """Copy the corpus's search documents (and their vectors) until the index holds ``target`` rows."""
    from django.db import connection, transaction

    from hrtrack.lib.upr import session_cycle, session_date
    from hrtrack.search.models import SearchDocument

    start = time.perf_counter()
    fields = [f for f in SearchDocument._meta.concrete_fields if f.name != "id"]
    columns = [f.column for f in fields]
    originals = list(SearchDocument.objects.filter(live=True).exclude(kind="dialogue").values_list(*columns))
    at = {name: index for index, name in enumerate(columns)}
    recipients = sorted({code for row in originals for code in row[at["recipients"]].split()})
    copies = -(-(target - len(originals)) // len(originals))
    rng = random.Random(1)
    sql = (f"INSERT INTO search_searchdocument ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    written = 0
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            # Indexes made once after the rows are in, rather than kept up to date row by row.
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_searchdocument' "
                           "AND indexdef LIKE '%USING gin%'")
            gin = cursor.fetchall()
            for name, _definition in gin:
                cursor.execute(f"DROP INDEX {name}")
        for copy in range(1, copies + 1):
            rows = []
            for row in originals[:target - len(originals) - written]:
                row = list(row)
                row[at["object_id"]] += copy * 10_000_000
                row[at["text"]] = varied(row[at["text"]], rng)
                if row[at["session"]]:
                    session = (row[at["session"]] - 1 + copy) % 17 + 1
                    row[at["session"]], row[at["cycle"]] = session, session_cycle(session)
                    row[at["date"]] = session_date(session)
                if rng.random() < 0.5 and row[at["recipients"]]:
                    row[at["recipients"]] = recipients[(recipients.index(row[at["recipients"]].split()[0]) + copy)
                                                       % len(recipients)]
                rows.append(row)
            if postgres:
                with cursor.cursor.copy(f"COPY search_searchdocument ({', '.join(columns)}) FROM STDIN") as stream:
                    for row in rows:
                        stream.write_row(row)
            else:
                cursor.executemany(sql, rows)
            written += len(rows)
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
        else:
            for _name, definition in gin:
                cursor.execute(definition)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
    from hrtrack.search.catalog import write_snapshot

    write_snapshot()  # as the reindex does: the search process starts from the file
    documents = time.perf_counter() - start
    grown = f"index grown to {len(originals) + written} documents ({copies} varied copies) in {documents:.0f} s"
    if not semantic:
        return grown + " (no semantic index: text only)"
    start = time.perf_counter()
    vectors = grow_vectors(copies, target)
    return (f"{grown}; semantic index of {vectors} vectors (the corpus's plus noise, not embedded) in "
            f"{time.perf_counter() - start:.0f} s")


def varied(text: str, rng: random.Random) -> str:
    """The text with one word dropped and two neighbours swapped: a near-repeat, as the corpus has many."""
    words = text.split()
    if len(words) > 4:
        del words[rng.randrange(len(words))]
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def grow_vectors(copies: int, target: int) -> int:
    """The semantic index for the grown documents, written as hrtrack.search.semantic writes it."""
    import numpy as np

    from hrtrack.search import semantic

    path = semantic.index_path()
    with np.load(path, allow_pickle=False) as data:
        keys, codes, scale = data["keys"], data["codes"], data["scale"]
    base = codes.astype(np.float32) * scale
    base /= np.maximum(np.linalg.norm(base, axis=1, keepdims=True), 1e-9)
    kinds, object_ids = keys >> np.int64(40), keys & np.int64((1 << 40) - 1)
    rng = np.random.default_rng(0)
    all_keys, all_vectors = [keys], [base]
    total = len(keys)
    for copy in range(1, copies + 1):
        take = min(len(keys), target - total)
        if take <= 0:
            break
        noisy = base[:take] + rng.normal(0, 0.02, size=(take, base.shape[1])).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        all_keys.append((kinds[:take] << np.int64(40)) | (object_ids[:take] + copy * 10_000_000))
        all_vectors.append(noisy)
        total += take
    keys, vectors = np.concatenate(all_keys), np.concatenate(all_vectors)
    del all_vectors
    codes, scale = semantic.quantize(vectors)
    arrays = {"keys": keys, "codes": codes, "scale": scale, "built": np.array(time.time())}
    if len(keys) > semantic.EXACT_LIMIT:
        lists = int(np.sqrt(len(keys)))
        centroids = semantic.kmeans(vectors, lists)
        assign = semantic._assign(vectors, centroids)
        order = np.argsort(assign, kind="stable")
        arrays.update(keys=keys[order], codes=codes[order], centroids=centroids,
                      offsets=np.searchsorted(assign[order], np.arange(lists + 1)).astype(np.int64))
    np.savez(path, **arrays)
    return len(keys)


def table(rows, baseline, modes) -> str:
    mib = 1024 * 1024
    lines = [f"{'':<34}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   target p95",
             "-" * 82]
    targets = {"33k": "<= 50 ms", "1m": "<= 150 ms"}
    for size, figures, _disk in rows:
        for mode in modes:
            ms = figures["modes"][mode]["ms"]
            lines.append(f"{f'hrtrack {mode}, {size}':<34}{len(ms):>8}{percentile(ms, 0.5):>9.1f}"
                         f"{percentile(ms, 0.95):>9.1f}{max(ms):>9.1f}   {targets[size]}")
    if baseline:
        ms = baseline["ms"]
        lines.append(f"{'Datasette _search (FTS5), 33k':<34}{len(ms):>8}{percentile(ms, 0.5):>9.1f}"
                     f"{percentile(ms, 0.95):>9.1f}{max(ms):>9.1f}   (text part of each query; loaded with "
                     f"sqlite-utils in {baseline['load_s']:.0f} s)")
    lines.append("")
    for size, figures, disk in rows:
        catalog = figures.get("catalog_bytes")
        lines.append(f"{size}: first search (loads the in-memory index) {figures['first_ms']:.0f} ms; process memory "
                     f"{figures['rss_before'] / mib:.0f} MiB before, {figures['rss_loaded'] / mib:.0f} after loading, "
                     f"{figures['rss_after'] / mib:.0f} after the queries (index = "
                     f"{(figures['rss_after'] - figures['rss_before']) / mib:.0f} MiB; target under 2 GB at 1m)"
                     + (f"; filter catalog {catalog / mib:.0f} MiB" if catalog else "")
                     + f"; on disk {disk / mib:.0f} MiB")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

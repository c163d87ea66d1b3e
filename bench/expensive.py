"""Benchmark: do expensive anonymous requests starve the site? A cheap API search's p50 and p95
(ms), alone and while two anonymous clients loop on ``/search.csv?q=`` (every published item, capped
at 10,000 rows), against gunicorn over a demo's database; and the time of one 1,000-character query
of one-letter prefixes.

The site runs as ``hrtrack serve`` runs it: gunicorn with ``--workers`` web processes (default 2,
as the demo), here behind one pretend reverse proxy (HRTRACK_TRUSTED_PROXY=1), so that each client
has its own address in X-Forwarded-For: the cheap searches come from a crowd of 500 visitors, each
export loop from one address of its own. Each configuration starts a fresh gunicorn:

- ``limits off``: HRTRACK_EXPORTS_PER_MINUTE, HRTRACK_SEARCHES_PER_MINUTE and
  HRTRACK_EXPORTS_AT_ONCE at 0: the streamed export and the bounded query alone;
- ``limits on``: the limits of the environment, or the defaults (6 exports and 60 searches a minute
  per address, one anonymous export at a time); the cheap searchers stay under their own;
- ``before`` (with ``--before DIR``): the same, from another checkout of the code (``git archive
  COMMIT | tar -x -C DIR``), e.g. the commit before issue 15's work, 07e25b2; it runs on this
  checkout's virtual environment and over the same database.

For each: ``--seconds`` (default 20) of cheap searches alone (one client, one after the other, a
word from a short list, ``limit=5``), then as long again with the two export loops running; then the
1,000-character prefix query five times. Printed: p50 and p95 of the cheap search alone and under
the loops, the exports completed (and their mean time) and refused (429: past the minute's budget;
503: another export was being served), and the prefix query's median. The figures of issue 15
(before this work, on the same kind of machine): the cheap search went from 18 ms alone to
1,059 ms under the loops, and the prefix query took 6-8 s. docs/deploy.md has this bench's own.

It needs a database made by the demo (``hrtrack demo --no-semantic`` is enough), in ``--var-dir``
(default var/bench-pages, which `make bench` makes for bench/pages.py):

    HRTRACK_VAR_DIR=/tmp/bench-var .venv/bin/hrtrack migrate --no-input
    HRTRACK_VAR_DIR=/tmp/bench-var .venv/bin/hrtrack demo --no-semantic --no-suggestions
    .venv/bin/python bench/expensive.py --var-dir /tmp/bench-var [--seconds 20] [--before DIR]

The bench migrates the database first (nothing when it is up to date) and only reads from it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from pages import percentile  # noqa: E402

#: The cheap search: a few common words, five results.
CHEAP_WORDS = ["torture", "journalists", "water", "education", "police", "migrants", "elections", "prison"]
#: One 1,000-character query of one-letter prefixes: before its bounds, 6-8 s of a worker.
PREFIX_QUERY = " ".join(f"{letter}*" for letter in "abcdefghijklmnoprstuvw" * 16)[:1000]
CHEAP_ADDRESS = "198.51.100.10"
#: The cheap searches come from a crowd of visitors (each well under the search limit), as on a real site.
CROWD = [f"198.51.{block}.{host}" for block in (100, 101) for host in range(1, 251)]
LOOP_ADDRESSES = ["203.0.113.1", "203.0.113.2"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_site(source: Path, env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the code in ``source``, once its home page answers."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "hrtrack.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--timeout", "120"]
    environment = {**env, "PYTHONPATH": str(source)}
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=environment, cwd=source, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                sys.exit(f"gunicorn stopped (exit {process.returncode}): see {log}")
            try:
                status, _seconds, _size = get(port, "/", CHEAP_ADDRESS)
                if status == 200:
                    return process, port
            except OSError:
                pass
            time.sleep(0.5)
    except BaseException:
        process.terminate()
        raise
    process.terminate()
    sys.exit(f"gunicorn did not answer within 120 s: see {log}")


def get(port: int, path: str, address: str) -> tuple[int, float, int]:
    """GET ``path`` as a visitor from ``address``; (status, seconds until the whole body arrived, bytes)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", path, headers={"X-Forwarded-For": address, "Host": "127.0.0.1"})
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, time.perf_counter() - started, size
    finally:
        connection.close()


def cheap_searches(port: int, seconds: float) -> tuple[list[float], dict[int, int]]:
    """Cheap API searches one after the other for ``seconds``: their times (ms) and statuses."""
    times, statuses, index = [], {}, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        word = CHEAP_WORDS[index % len(CHEAP_WORDS)]
        index += 1
        status, elapsed, _size = get(port, "/api/v1/search?" + urlencode({"q": word, "limit": 5}),
                                     CROWD[index % len(CROWD)])
        statuses[status] = statuses.get(status, 0) + 1
        times.append(elapsed * 1000)
    return times, statuses


def warm_up(port: int, timeout: float = 180) -> None:
    """Two clients at once searching until each has seen three quick answers in a row: every
    worker has then loaded the search catalog and the labels (seconds, the first time)."""

    def client(offset: int) -> None:
        quick, deadline, index = 0, time.monotonic() + timeout, offset
        while quick < 3 and time.monotonic() < deadline:
            index += 1
            path = "/api/v1/search?" + urlencode({"q": CHEAP_WORDS[index % len(CHEAP_WORDS)], "limit": 5})
            status, elapsed, _size = get(port, path, CROWD[index % len(CROWD)])
            quick = quick + 1 if status == 200 and elapsed < 0.5 else 0

    threads = [threading.Thread(target=client, args=(offset,)) for offset in (0, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def export_loop(port: int, address: str, stop: threading.Event, done: list) -> None:
    """Fetch /search.csv?q= again and again until ``stop``, as one anonymous visitor; a refusal
    (429, 503) is retried at once, as a careless script would."""
    while not stop.is_set():
        try:
            status, elapsed, size = get(port, "/search.csv?q=", address)
        except OSError as error:
            done.append(("error", 0.0, 0, str(error)))
            time.sleep(0.1)
            continue
        done.append((status, elapsed, size, ""))


def run(label: str, source: Path, env: dict, args) -> dict:
    log = Path(tempfile.gettempdir()) / f"hrtrack-bench-expensive-{label.replace(' ', '-')}.log"
    process, port = start_site(source, env, args.workers, log)
    try:
        warm_up(port)
        alone, alone_statuses = cheap_searches(port, args.seconds)
        stop, done = threading.Event(), []
        loops = [threading.Thread(target=export_loop, args=(port, address, stop, done)) for address in LOOP_ADDRESSES]
        for loop in loops:
            loop.start()
        time.sleep(1)  # the loops' first exports are under way
        loaded, loaded_statuses = cheap_searches(port, args.seconds)
        stop.set()
        for loop in loops:
            loop.join()
        prefix = []
        for _ in range(5):
            status, elapsed, _size = get(port, "/api/v1/search?" + urlencode({"q": PREFIX_QUERY, "mode": "text"}),
                                         CHEAP_ADDRESS)
            prefix.append((status, elapsed * 1000))
    finally:
        process.terminate()
        process.wait(timeout=60)
    exports = [seconds for status, seconds, _size, _error in done if status == 200]
    return {
        "label": label, "alone": alone, "loaded": loaded,
        "cheap_statuses": {**alone_statuses, **{f"{k} (loaded)": v for k, v in loaded_statuses.items()}},
        "exports": len(exports), "export_mean_s": statistics.mean(exports) if exports else 0.0,
        "export_rows": max((size for status, _s, size, _e in done if status == 200), default=0),
        "refused": sum(1 for status, *_rest in done if status == 429),
        "busy": sum(1 for status, *_rest in done if status == 503),
        "other": sorted({str(status) for status, *_rest in done if status not in (200, 429, 503)}),
        "prefix_ms": statistics.median(ms for _status, ms in prefix),
        "prefix_statuses": sorted({status for status, _ms in prefix}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-pages",
                        help="the folder of a demo's database (default var/bench-pages)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of cheap searches in each phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's web processes (default 2)")
    parser.add_argument("--before", type=Path, help="another checkout of the code to measure first")
    parser.add_argument("--only", choices=["off", "on"], help="only this configuration of this checkout")
    args = parser.parse_args()
    var_dir = args.var_dir.resolve()
    if not (var_dir / "hrtrack.sqlite3").is_file():
        sys.exit(f"No demo database in {var_dir}: see --help for how to make one.")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({"HRTRACK_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "hrtrack.settings",
                "HRTRACK_TRUSTED_PROXY": "1", "ALLOWED_HOSTS": "127.0.0.1,localhost"})
    subprocess.run([sys.executable, "-m", "hrtrack.cli", "migrate", "--no-input"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    results = []
    if args.before:
        results.append(run("before", args.before.resolve(), env, args))
    if args.only in (None, "off"):
        results.append(run("limits off", ROOT, {**env, "HRTRACK_EXPORTS_PER_MINUTE": "0",
                                                "HRTRACK_SEARCHES_PER_MINUTE": "0", "HRTRACK_EXPORTS_AT_ONCE": "0"},
                           args))
    if args.only in (None, "on"):
        results.append(run("limits on", ROOT, env, args))

    print(f"\ncheap search: GET /api/v1/search?q=<word>&limit=5, one client; loops: 2 anonymous clients on "
          f"/search.csv?q= ({args.workers} gunicorn workers, {args.seconds:g} s a phase, {os.cpu_count()} cores)")
    print(f"{'':12} {'alone p50':>10} {'p95':>8} {'loaded p50':>11} {'p95':>8} {'exports':>8} {'mean s':>7} "
          f"{'429':>6} {'503':>6} {'prefix query':>13}")
    for r in results:
        print(f"{r['label']:12} {statistics.median(r['alone']):8.1f}ms {percentile(r['alone'], 0.95):6.1f}ms "
              f"{statistics.median(r['loaded']):9.1f}ms {percentile(r['loaded'], 0.95):6.1f}ms {r['exports']:8d} "
              f"{r['export_mean_s']:7.2f} {r['refused']:6d} {r['busy']:6d} {r['prefix_ms']:11.0f}ms")
    for r in results:
        print(f"{r['label']}: cheap search statuses {r['cheap_statuses']}, export size {r['export_rows']:,} bytes, "
              f"other export statuses {r['other'] or 'none'}, prefix query statuses {r['prefix_statuses']}")


if __name__ == "__main__":
    main()

"""The search loaded when a web process starts, not at its first request (issue 16).

A web process's first search used to read the catalog of filter values (0.6 s at 33k items),
the semantic index and the query embedding model (with its first run, seconds on a busy
machine). ``hrtrack.wsgi`` calls :func:`start` as each gunicorn worker loads the application,
before it takes a request: the search runs a few queries of its own (an English one and a
Spanish one, so that whichever model the search routes a language to is loaded and has run),
and the search page's templates are compiled.

It is safe: nothing it does is needed for the site to start. A missing model or index, or a
database not migrated yet, is logged and the worker starts anyway (the search then says what is
missing, as it always has). It is bounded: it runs in a thread that the worker waits for at most
:data:`WAIT_SECONDS`, well within gunicorn's worker timeout (30 s); past that, the worker starts
serving and the loading goes on beside it (the search's own locks make a request wait for what
is half loaded rather than load it twice). It never runs for management commands or tests (not in
``AppConfig.ready``). ``HRTRACK_SEARCH_WARM_UP=0`` turns it off.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

#: How long a starting worker waits for the warm-up before it takes requests anyway.
WAIT_SECONDS = 20.0
#: The searches run at start: English and Spanish, by words and by meaning (``fused``).
QUERIES = (
    {"q": "protection of human rights defenders", "mode": "fused"},
    {"q": "protección de periodistas y defensores", "mode": "fused"},
)
#: The templates of the search page, compiled at start (the cached loader keeps them).
TEMPLATES = ("search/search.html", "search/_facet_value.html", "portal/base.html")


@dataclass
class Report:
    seconds: float = 0.0
    documents: int = 0
    loaded: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    finished: bool = False

    def line(self) -> str:
        """The report in one line, for the server's log."""
        if not self.finished:
            return (f"search warm-up still running after {self.seconds:.1f} s: serving requests meanwhile "
                    f"(loaded so far: {', '.join(self.loaded) or 'nothing'})")
        text = f"search ready in {self.seconds:.1f} s ({self.documents} documents; {', '.join(self.loaded)})"
        if self.problems:
            text += "; not loaded: " + "; ".join(self.problems)
        return text


def enabled() -> bool:
    return os.getenv("HRTRACK_SEARCH_WARM_UP", "1").strip().lower() not in ("0", "false", "no", "off")


def warm_up(report: Report | None = None) -> Report:
    """Load the search now: the catalog, the semantic index(es) and query model(s) its searches
    use, the page's templates. Never raises: what fails is in ``report.problems`` (and logged)."""
    from django.db import connection

    report = report or Report()
    started = time.perf_counter()
    try:
        for name, step in (("catalog", _catalog), ("searches", _searches), ("templates", _templates)):
            try:
                step(report)
            except Exception as error:  # noqa: BLE001 (a warm-up must never stop the site from starting)
                report.problems.append(f"{name}: {error.__class__.__name__}: {error}")
                logger.warning("Search warm-up: the %s could not be loaded (the first request will try again).",
                               name, exc_info=True)
    finally:
        # The warm-up's own connection: requests open theirs.
        connection.close()
        report.seconds = time.perf_counter() - started
        report.finished = True
    return report


def _catalog(report: Report) -> None:
    from .catalog import get_catalog

    report.documents = get_catalog().live_count()
    report.loaded.append("catalog")


def _searches(report: Report) -> None:
    from . import engine, semantic

    for params in QUERIES:
        result = engine.search(engine.parse_request(params))
        for warning in result.warnings:
            if warning not in report.problems:
                report.problems.append(warning)
    if semantic.get_index() is not None:
        report.loaded.append("semantic index")
    if getattr(semantic, "_query_embedders", None):
        report.loaded.append("query model" + ("s" if len(semantic._query_embedders) > 1 else ""))
    from hrtrack.nlp import translate

    if translate.running():
        report.loaded.append("translator")
    # The warm-up's queries are no one's: the next identical query embeds afresh.
    getattr(semantic, "_query_cache", {}).clear()
    report.loaded.append("queries run")


def _templates(report: Report) -> None:
    from django.template.loader import get_template

    for name in TEMPLATES:
        get_template(name)
    report.loaded.append("templates")


def start(wait: float = WAIT_SECONDS) -> Report | None:
    """Warm up in a thread and wait for it at most ``wait`` seconds; the report (unfinished when
    it ran past), or None when turned off."""
    if not enabled():
        return None
    report = Report()
    thread = threading.Thread(target=warm_up, args=(report,), name="search-warm-up", daemon=True)
    began = time.perf_counter()
    thread.start()
    thread.join(wait)
    if thread.is_alive():
        report.seconds = time.perf_counter() - began
    return report

"""WSGI entry point: ``gunicorn hrtrack.wsgi``.

Each gunicorn worker imports this module as it starts (``hrtrack serve`` does not preload the
application: a database connection or a model's threads must not be shared across a fork). Before
the worker takes a request, the search is loaded (``hrtrack.search.warmup``: the catalog, the
semantic index, the query model(s), the search page's templates), so that the first search after
the site starts answers as fast as the next; it waits for that at most ``warmup.WAIT_SECONDS``
and never stops the worker from starting (what fails is logged). ``HRTRACK_SEARCH_WARM_UP=0``
turns it off.

Once the application and every view are loaded, the objects they made are frozen out of the
garbage collector (``gc.freeze``): they live as long as the process, and a full collection that
walked them all took 50-100 ms in the middle of a request now and then (``bench/pages.py``).
"""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports every view module now, not at the first request)


def _warm_up() -> None:
    try:
        from hrtrack.search import warmup

        report = warmup.start()
        if report is not None:
            # One line in the server's log, whatever the log level: when the worker is ready.
            print(f"[{os.getpid()}] hrtrack: {report.line()}", file=sys.stderr, flush=True)
    except Exception as error:  # noqa: BLE001 (the site starts without it)
        print(f"[{os.getpid()}] hrtrack: search warm-up failed: {error!r}", file=sys.stderr, flush=True)


_warm_up()
gc.freeze()

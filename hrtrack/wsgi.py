"""WSGI entry point: ``gunicorn hrtrack.wsgi``.

Once the application and every view are loaded, the objects they made are frozen out of the
garbage collector (``gc.freeze``): they live as long as the process, and a full collection that
walked them all took 50-100 ms in the middle of a request now and then (``bench/pages.py``).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtrack.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports every view module now, not at the first request)
gc.freeze()

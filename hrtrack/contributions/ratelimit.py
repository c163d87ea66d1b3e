"""How often one person, or one network address, may submit: a fixed window in Django's cache
(files in var/cache by default, shared by every worker; no library, no broker). A request over
the limit is refused before anything is saved, with 429.

The limits are settings (per hour): ``CONTRIBUTIONS_PER_HOUR_PER_USER`` (10),
``CONTRIBUTIONS_PER_HOUR_PER_ADDRESS`` (30), ``SIGN_UPS_PER_HOUR_PER_ADDRESS`` (5).
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 3600

DEFAULTS = {
    "CONTRIBUTIONS_PER_HOUR_PER_USER": 10,
    "CONTRIBUTIONS_PER_HOUR_PER_ADDRESS": 30,
    "SIGN_UPS_PER_HOUR_PER_ADDRESS": 5,
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def address(request) -> str:
    """The visitor's network address as the server saw it (a proxy in front must pass it on in
    REMOTE_ADDR, as gunicorn behind nginx does with the usual set-up)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _keys(request, scope: str) -> list[tuple[str, int]]:
    window = int(time.time() // WINDOW)
    keys = [(f"rate:{scope}:address:{address(request)}:{window}",
             limit("SIGN_UPS_PER_HOUR_PER_ADDRESS" if scope == "sign-up" else "CONTRIBUTIONS_PER_HOUR_PER_ADDRESS"))]
    if scope != "sign-up" and request.user.is_authenticated:
        keys.append((f"rate:{scope}:user:{request.user.pk}:{window}", limit("CONTRIBUTIONS_PER_HOUR_PER_USER")))
    return keys


def exceeded(request, scope: str) -> bool:
    """Whether this request's user or address has already submitted ``scope`` (``"contribution"``
    or ``"sign-up"``) as often as an hour allows."""
    return any((cache.get(key) or 0) >= most for key, most in _keys(request, scope))


def count(request, scope: str) -> None:
    """Count one submission (call it once it is saved)."""
    for key, _most in _keys(request, scope):
        if not cache.add(key, 1, WINDOW + 60):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW + 60)

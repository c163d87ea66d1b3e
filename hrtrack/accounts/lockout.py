"""Lockout of repeated sign-in failures, per account and per address (django-axes).

Axes counts failures against one limit; we keep two: ``HRTRACK_LOCKOUT_ACCOUNT_FAILURES`` for an
account (whatever address the guesses come from) and the higher ``HRTRACK_LOCKOUT_ADDRESS_FAILURES``
for an address (whatever accounts it tries, and offices share an address). Both lift after the
cool-off (``AXES_COOLOFF_TIME``), counted from the last failure before the lock.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from hrtrack.lib import web


def client_address(request: HttpRequest) -> str:
    """The address a request came from, as the per-address limits read it (REMOTE_ADDR, or behind
    ``HRTRACK_TRUSTED_PROXY`` proxies what the outermost wrote in X-Forwarded-For), and REMOTE_ADDR
    when that is no address: the attempts table stores addresses (PostgreSQL's inet refuses others)."""
    address = web.client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")


@dataclass
class Failures:
    """Recent failures (within the cool-off) of an account and of an address, and the last one's time."""

    account: int
    address: int
    last: object = None

    @property
    def account_locked(self) -> bool:
        return self.account >= settings.HRTRACK_LOCKOUT_ACCOUNT_FAILURES

    @property
    def address_locked(self) -> bool:
        return self.address >= settings.HRTRACK_LOCKOUT_ADDRESS_FAILURES


def recent_failures(request: HttpRequest, credentials: dict | None = None) -> Failures:
    """The failures counted against this request's account and address."""
    since = timezone.now() - (get_cool_off(request) or timedelta(0))
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    by_account = recent.filter(username=username).aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    by_address = recent.filter(ip_address=address).aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = Failures(account=(by_account["n"] or 0) if username else 0, address=by_address["n"] or 0)
    lasts = [row["last"] for row, locked in ((by_account, failures.account_locked),
                                              (by_address, failures.address_locked)) if locked and row["last"]]
    failures.last = max(lasts) if lasts else None
    return failures


def account_limit(request=None, credentials=None) -> int:
    """``AXES_FAILURE_LIMIT``: the account's limit, read when asked (a test may change it)."""
    return settings.HRTRACK_LOCKOUT_ACCOUNT_FAILURES


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the account and for the address."""

    def get_failures(self, request, credentials=None) -> int:
        """The failures on the account's scale (axes compares them with :func:`account_limit`): the
        account's own, or the limit itself once the address has used up its own."""
        failures = recent_failures(request, credentials)
        if failures.address_locked:
            return max(failures.account, account_limit())
        return failures.account


def minutes_left(request: HttpRequest, failures: Failures) -> int:
    """At most how many minutes the lockout still lasts (at least one)."""
    cool_off = get_cool_off(request) or timedelta(0)
    if failures.last is None:
        return max(1, math.ceil(cool_off.total_seconds() / 60))
    left = (failures.last + cool_off - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def wants_json(request: HttpRequest) -> bool:
    """A JSON door (the API, a ``.json`` twin) or a client that asks for JSON rather than a page."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return (web.is_json_door(request.path)
            or request.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest"
            or ("application/json" in accept and "text/html" not in accept))


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The answer to a locked sign-in (``AXES_LOCKOUT_CALLABLE``): 429 with a page, or JSON on a JSON
    door, saying whether the account or the address is locked and for how long."""
    failures = recent_failures(request, credentials)
    minutes = minutes_left(request, failures)
    if failures.account_locked:
        message = ngettext(
            "This account is locked after too many failed sign-ins. Try again in %(minutes)d minute.",
            "This account is locked after too many failed sign-ins. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = ngettext(
            "Sign-in from your address is locked after too many failed attempts. Try again in %(minutes)d minute.",
            "Sign-in from your address is locked after too many failed attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    status = settings.AXES_HTTP_RESPONSE_CODE
    if wants_json(request):
        response = JsonResponse({"error": message, "locked": "account" if failures.account_locked else "address",
                                 "retry_after_seconds": minutes * 60}, status=status)
    else:
        response = render(request, "accounts/locked_out.html", {
            "message": message, "minutes": minutes, "account_locked": failures.account_locked,
        }, status=status)
    response["Retry-After"] = str(minutes * 60)
    return response

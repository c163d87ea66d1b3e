"""What every page and JSON twin of the staff site shares: who may open it, errors, pages, URLs.

Pages send anonymous visitors to the sign-in page and answer 403 to the signed-in who may not
see them; JSON endpoints answer both with ``{"error": "..."}`` and a status code instead, since
a redirect to an HTML form helps no program. Every number a visitor sends is bounded: a value
past what the database holds is a 400 that says so, never an overflow and a 500.
"""

import fcntl
import math
import re
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from csp.middleware import CSPMiddleware
from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import NoReverseMatch, register_converter, reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import is_web_address  # noqa: F401  (the forms check addresses with it)

#: The largest primary key or counter a 64-bit signed column holds.
MAX_ID = 2**63 - 1


# Who may open a page ------------------------------------------------------------------------


def is_staff_member(user) -> bool:
    """Signed in, active, and not a civil-society contributor."""
    return bool(user.is_authenticated and user.is_active and user.is_staff_member)


def json_error(message: str, status: int, **extra) -> JsonResponse:
    """The one shape of every JSON error: ``{"error": "...", ...}`` with a real status code."""
    return JsonResponse({"error": str(message), **extra}, status=status)


def _refuse(request: HttpRequest, json: bool, message: str, status: int = 403) -> HttpResponse:
    if json:
        return json_error(message, status)
    if status == 401:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(message)


def _guard(check: Callable, view=None, *, json: bool = False):
    """A decorator that lets through the requests ``check`` passes: ``check(user)`` returns None
    to let them in, or the message of a refusal."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return _refuse(request, json, _("Sign in to see this."), 401)
            refusal = check(user)
            if refusal:
                return _refuse(request, json, refusal)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def _staff_check(user) -> str | None:
    return None if is_staff_member(user) else _("You do not have access to the staff site.")


def staff_required(view=None, *, json: bool = False):
    """Let only staff members through: anonymous visitors sign in first, contributors get 403.

    Use it bare (``@staff_required``) on pages and as ``@staff_required(json=True)`` on JSON
    endpoints, which answer 401 and 403 with ``{"error": "..."}`` rather than a redirect.
    """
    return _guard(_staff_check, view, json=json)


def coordinator_required(message: str, *, json: bool = False):
    """Let only coordinators and administrators through (the national mechanism's staff):
    anonymous visitors sign in first, everyone else gets 403 with ``message``, which says what
    the page is for ("Only coordinators and administrators import files.")."""

    def check(user) -> str | None:
        return _staff_check(user) or (None if user.is_coordinator else str(message))

    return _guard(check, json=json)


# Pages of a list ----------------------------------------------------------------------------


def paginate(request: HttpRequest, queryset) -> Page:
    """The page asked for; the first for a page that is not a number, the last past the end."""
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def page_json(request: HttpRequest, page: Page, results: list) -> JsonResponse:
    """A list's JSON twin: the count, this page's results and absolute links to its neighbours."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return JsonResponse({
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": results,
    })


def absolute(request: HttpRequest) -> Callable[[str], str]:
    """A function that makes a path absolute for this request: what the models' ``as_json`` take.

    The same address as ``request.build_absolute_uri(path)``, which checks the host against
    ALLOWED_HOSTS and splits the path at every call (a JSON list of 50 items with their countries
    calls it hundreds of times): for a plain path ("/recommendations/12/", no "//", "/./" nor
    "/../", where Django adds the scheme and host to it as it is) the scheme and host are read
    once; anything else goes to Django."""
    prefix = None

    def to_absolute(location) -> str:
        nonlocal prefix
        location = str(location)
        if not location.startswith("/") or location.startswith("//") or "/./" in location or "/../" in location:
            return request.build_absolute_uri(location)
        if prefix is None:
            prefix = request.build_absolute_uri("/")[:-1]
        return prefix + iri_to_uri(location)

    return to_absolute


# Values a visitor sends ---------------------------------------------------------------------


OUT_OF_RANGE = gettext_lazy("%(value)s is too large.")


def ensure_fits(number: int, text) -> int:
    """``number`` if a 64-bit column holds it; else a ValidationError with the code ``out_of_range``
    (which :func:`has_out_of_range` reads), naming the value as the visitor wrote it."""
    if abs(number) > MAX_ID:
        raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range", params={"value": text})
    return number


class BoundedIntegerField(forms.IntegerField):
    """An integer field that refuses a number no 64-bit column holds (:func:`ensure_fits`): a form
    never hands the database a value it overflows on, and :func:`has_out_of_range` tells the view
    to answer 400."""

    def to_python(self, value):
        number = super().to_python(value)
        return None if number is None else ensure_fits(number, value)


class IdListField(forms.TypedMultipleChoiceField):
    """Primary keys (the checkboxes of a bulk decision), any that exist or not: the view keeps the
    ones it may act on. A key no 64-bit column holds is refused (:func:`ensure_fits`)."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, choices=[], **kwargs)

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for text in value:
            if not str(text).isdigit():
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": text})
            ensure_fits(int(text), text)


def has_out_of_range(form: forms.Form) -> bool:
    """Whether a bound form refused a number because no database column holds it: that is
    answered 400, whereas a value that is merely unknown or out of its field's own bounds (a
    session of -4, a theme nobody has) is ignored and named beside its field."""
    form.is_valid()
    return any(error.code == "out_of_range" for errors in form.errors.as_data().values() for error in errors)


def invalid_filters(form: forms.Form) -> JsonResponse:
    """A JSON twin's answer to filters it cannot apply: 400, with each field's problems."""
    return json_error(_("Invalid filters."), 400, fields=form.errors)


WEB_ADDRESS_ERROR = gettext_lazy("Enter an address that starts with http:// or https://.")


# URLs ---------------------------------------------------------------------------------------


class IdConverter:
    """A primary key: digits, few enough to fit a 64-bit integer (longer ones are a plain 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


def is_json_door(path: str) -> bool:
    """Whether a request's path is a JSON door (the API, a page's ``.json`` twin), answered in JSON
    even when it is refused."""
    return path.endswith(".json") or path.startswith("/api/")


def refuse_nul_characters(get_response):
    """Middleware: a request whose address or form data holds a NUL character is answered 400 (as
    JSON on a ``.json`` door) before any view runs. No database column takes one, and PostgreSQL
    refuses it with an error that would otherwise reach the reader as a 500."""

    def middleware(request: HttpRequest):
        data = [request.path, *request.GET.keys(), *(v for values in request.GET.lists() for v in values[1])]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            # (A multipart body is left to its form: reading it here would consume an upload's stream.)
            data += [*request.POST.keys(), *(v for values in request.POST.lists() for v in values[1])]
        if any("\x00" in value for value in data):
            message = _("The request holds a NUL character, which no field takes.")
            if is_json_door(request.path):
                return json_error(message, 400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


# Headers every answer carries ---------------------------------------------------------------


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware with one exception: the admin's pages may use ``style=""``
    attributes (django-simple-history's history page has one, and Django's widgets may), never
    inline scripts. Every other page keeps ``settings.CONTENT_SECURITY_POLICY`` as it is."""

    def get_policy_parts(self, request: HttpRequest, response, report_only: bool = False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(admin_prefix()):
            parts.update = {**(parts.update or {}), "style-src-attr": ["'unsafe-inline'"]}
        return parts


def admin_prefix() -> str:
    """Where the Django admin lives (``/admin/``)."""
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "/admin/"


def permissions_policy(get_response):
    """Middleware: every answer says which browser features its page may use (none of camera,
    microphone, geolocation, payment, USB...: ``settings.PERMISSIONS_POLICY``)."""

    def middleware(request: HttpRequest):
        response = get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


# Expensive requests -------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or behind ``settings.HRTRACK_TRUSTED_PROXY`` proxies the
    entry of X-Forwarded-For that the outermost of them wrote (those left of it a client may forge)."""
    proxies = getattr(settings, "HRTRACK_TRUSTED_PROXY", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else (forwarded[0] if forwarded else remote)


#: What an anonymous visitor may ask for only so often, and the setting that says how often a minute:
#: the exports (every .csv door, the reports' files), then the searches (the page and the API's).
EXPENSIVE_DOORS = [
    ("export", re.compile(r"\.(csv|xlsx|pdf|docx)$"), "HRTRACK_EXPORTS_PER_MINUTE",
     gettext_lazy("Too many downloads from your address: try again in %(seconds)d seconds, or sign in.")),
    ("search", re.compile(r"^/(search/$|search\.json$|api/v1/search/?$)"), "HRTRACK_SEARCHES_PER_MINUTE",
     gettext_lazy("Too many searches from your address: try again in %(seconds)d seconds, or sign in.")),
]
#: Paths never limited: files the site serves as they are (static files, media).
UNLIMITED_PREFIXES = ("/static/", "/media/")
RATE_WINDOW_SECONDS = 60


def take_turn(bucket: str, address: str, per_minute: int, now: float | None = None) -> int:
    """Count one request of ``bucket`` from ``address`` in this minute's window (the "limits" cache:
    files shared by every process of the site; two processes counting at the same instant may
    count one request less); the seconds to wait when it is one too many, else 0."""
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"hrtrack:rate:{bucket}:{address}:{window}"
    counters = caches["limits" if "limits" in settings.CACHES else "default"]
    count = 1
    if not counters.add(key, 1, timeout=RATE_WINDOW_SECONDS + 5):  # one write a request, not two
        try:
            count = counters.incr(key)
        except ValueError:  # expired between the two calls: this request opens the window again
            counters.set(key, 1, timeout=RATE_WINDOW_SECONDS + 5)
    if count <= per_minute:
        return 0
    return max(1, math.ceil((window + 1) * RATE_WINDOW_SECONDS - now))


def export_slot(slots: int):
    """One of ``slots`` places for an export being served on this machine (an open, locked file in
    ``VAR_DIR/locks/``: every web process sees it, and the lock goes when the file is closed, or the
    process dies), or None when they are all taken."""
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(slots):
        handle = open(folder / f"export-{number}.lock", "a+b")  # closed by the caller, which the lock lasts
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        return handle
    return None


#: How long a visitor is told to wait when every export slot is taken.
BUSY_RETRY_SECONDS = 10
EXPORTS_BUSY = gettext_lazy("Other downloads are being prepared: try again in %(seconds)d seconds, or sign in.")


def _refusal(path: str, text: str, status: int, wait: int) -> HttpResponse:
    if is_json_door(path):
        response = json_error(text, status, retry_after=wait)
    else:
        response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def limit_expensive_requests(get_response):
    """Middleware: anonymous visitors' exports and searches, at most so many a minute from one
    address (``EXPENSIVE_DOORS``); one more is a 429 with Retry-After (JSON on a JSON door). And at
    most ``HRTRACK_EXPORTS_AT_ONCE`` anonymous exports are served at once on this machine (one more
    is a 503 with Retry-After), so that a few loops of 10,000-row exports, even from many addresses,
    leave the other web workers to everyone else. The signed-in, and API calls that carry their own
    credentials (the API limits those itself), are not counted."""

    def middleware(request: HttpRequest):
        path = request.path
        if request.method not in ("GET", "HEAD") or path.startswith(UNLIMITED_PREFIXES):
            return get_response(request)
        door = next((door for door in EXPENSIVE_DOORS if door[1].search(path)), None)
        if door is None or request.user.is_authenticated:
            return get_response(request)
        if path.startswith("/api/") and request.headers.get("Authorization"):
            return get_response(request)
        bucket, _pattern, setting, message = door
        slots = getattr(settings, "HRTRACK_EXPORTS_AT_ONCE", 0) if bucket == "export" else 0
        slot = export_slot(slots) if slots > 0 else None
        if slots > 0 and slot is None:
            # Not counted in the visitor's minute: they were asked to wait, not served.
            return _refusal(path, EXPORTS_BUSY % {"seconds": BUSY_RETRY_SECONDS}, 503, BUSY_RETRY_SECONDS)
        try:
            per_minute = getattr(settings, setting, 0)
            wait = take_turn(bucket, client_address(request), per_minute) if per_minute > 0 else 0
            if wait:
                if slot is not None:
                    slot.close()
                return _refusal(path, message % {"seconds": wait}, 429, wait)
            response = get_response(request)
        except BaseException:
            if slot is not None:
                slot.close()
            raise
        if slot is not None:
            if response.streaming:
                # Held until the last row is sent: the server closes the response then, and its closers run.
                response._resource_closers.append(slot.close)
            else:
                slot.close()
        return response

    return middleware

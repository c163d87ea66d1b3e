"""Until a staff member has given the second factor, no page but the sign-in steps opens."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from hrtrack.lib.web import json_error

from .lockout import wants_json
from .two_factor import has_authenticator, needs_second_factor

#: The pages a signed-in staff member still reaches before the code: the steps themselves, signing
#: out or in as someone else, and the language switch.
OPEN_BEFORE_THE_CODE = {"login", "logout", "set_language", "two-factor", "two-factor-setup"}


def second_step_url(user, next_url: str = "") -> str:
    """Where a staff member without the second factor goes: the setup page, or the code page."""
    url = reverse("two-factor" if has_authenticator(user) else "two-factor-setup")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _open_before_the_code(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 whoever asks
    return match.url_name in OPEN_BEFORE_THE_CODE


def require_two_factor(get_response):
    """After django-otp's middleware: a staff member signed in with a password only is sent to the
    code page (or the setup page) from every page, and JSON doors answer 401 in JSON. The whole site,
    not only the staff pages, because a staff member sees unpublished items on public pages too."""

    def middleware(request: HttpRequest):
        user = request.user
        if needs_second_factor(user) and not _open_before_the_code(request):
            if wants_json(request):
                return json_error(_("Two-factor sign-in required: enter the code from your authenticator app "
                                    "on the sign-in page first."), 401, verify_url=second_step_url(user))
            next_url = request.get_full_path() if request.method == "GET" else ""
            return HttpResponseRedirect(second_step_url(user, next_url))
        return get_response(request)

    return middleware

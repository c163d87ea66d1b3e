"""Rate limits of the API: per token for requests that send one, per address for all others
(anonymous or signed in by the session). The rates are settings (HRTRACK_API_RATE_TOKEN,
HRTRACK_API_RATE_ADDRESS; "off" for none), read on each request; the counts live in CACHES["default"]. A request
over its limit is a 429 with Retry-After."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from hrtrack.lib.web import client_address

from .models import ApiToken


class _SettingRate(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        rate = str(getattr(settings, self.setting) or "").strip()
        return None if rate.lower() in ("", "0", "off") else rate  # None: no limit

    def allow_request(self, request, view):
        # The rate is read again on each request: a changed setting (or a test's) applies at once.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TokenThrottle(_SettingRate):
    """Requests sent with a personal token, counted per token."""

    scope = "token"
    setting = "HRTRACK_API_RATE_TOKEN"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressThrottle(_SettingRate):
    """Requests without a token, counted per client address."""

    scope = "address"
    setting = "HRTRACK_API_RATE_ADDRESS"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request) -> str:
        # The address every per-address limit of the site reads (hrtrack.lib.web.client_address):
        # X-Forwarded-For only as far as HRTRACK_TRUSTED_PROXY proxies wrote it, never what a client forged.
        return client_address(request._request if hasattr(request, "_request") else request)

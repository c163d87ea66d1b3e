"""Signing an API request in with a personal token: ``Authorization: Token <key>`` (or ``Bearer <key>``).

A request with a token needs no CSRF token (it carries no cookie a browser would send on its own);
a request signed in by the session does, as Django REST framework asks of SessionAuthentication."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    """``request.user`` is the token's owner and ``request.auth`` the :class:`~.models.ApiToken`."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Token <key>”."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        token = ApiToken.for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid, or it was revoked."))
        token.mark_used()
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A 401 (not a 403) for a request without credentials, saying how to send them.
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token as the OpenAPI schema describes it (drf-spectacular finds this class by its target)."""

    target_class = "hrtrack.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "A personal token from /account/tokens/, sent as `Token <key>` (or `Bearer <key>`)."}

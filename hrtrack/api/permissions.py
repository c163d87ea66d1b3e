"""Who may call an API operation at all. Only whether someone is signed in is decided here: what
they may do (assign, report, validate, import, decide) is asked, by the views, of the same rules
the pages ask (hrtrack.followup.rules, hrtrack.followup.publication and the pages' own checks)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class SignedIn(BasePermission):
    """A token or a session of an active person; anonymous requests get a 401."""

    message = _("Sign in to do this: send a personal API token (Authorization: Token <key>).")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)

"""The authentication backend that keeps locked accounts and addresses out (django-axes)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in from a locked account or address before any password is checked, so that
    even the right password is turned away until the cool-off (docs/security.md, "Lockout").

    Every web door passes its request to ``authenticate()``; a call without one (the command line,
    a test client's ``login()``) is no door an attacker can reach, and is not counted."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

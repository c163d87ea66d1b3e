"""Who may open the staff site.

Everyone signed in may, except civil-society contributors: they add public input and see what
is published, nothing more. Pages send anonymous visitors to the sign-in page; JSON endpoints
answer them with ``{"error": ...}`` and a status code instead, since a redirect to an HTML form
helps no program.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _


def is_staff_member(user) -> bool:
    """Signed in, active, and not a civil-society contributor."""
    return bool(user.is_authenticated and user.is_active and user.is_staff_member)


def staff_required(view=None, *, json: bool = False):
    """Let only staff members through: anonymous visitors sign in first, contributors get 403.

    Use it bare (``@staff_required``) on pages and as ``@staff_required(json=True)`` on JSON
    endpoints, which answer 401 and 403 with ``{"error": "..."}`` rather than a redirect.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                if json:
                    return JsonResponse({"error": _("Sign in to see this.")}, status=401)
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(user):
                if json:
                    return JsonResponse({"error": _("You do not have access to the staff site.")}, status=403)
                raise PermissionDenied(_("You do not have access to the staff site."))
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator

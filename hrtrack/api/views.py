"""The REST API: JSON views with the pages' permissions; errors are ``{"error": ...}`` with a real status."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.web import json_error
from hrtrack.search.engine import parse_request, result_json, search


def _safe_methods_only(view):
    """405 as JSON (Django's own answer is an empty page)."""
    checked = require_safe(view)

    def wrapper(request: HttpRequest, *args, **kwargs):
        response = checked(request, *args, **kwargs)
        if response.status_code == 405 and not isinstance(response, JsonResponse):
            allowed = response.get("Allow", "GET, HEAD")
            response = json_error(_("Use GET."), 405)
            response["Allow"] = allowed
        return response

    return wrapper


@_safe_methods_only
def search_view(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/search?q=...``: the ranked results, facets and time taken; what ``request.user``
    may see (anonymous visitors: what is public). Parameters as in hrtrack.search.engine."""
    try:
        result = search(parse_request(request.GET), request.user)
    except InvalidInput as error:
        return json_error(str(error), 400)
    return JsonResponse(result_json(result), json_dumps_params={"ensure_ascii": False})

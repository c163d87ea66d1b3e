"""Every error under /api/v1/ is ``{"error": "..."}`` (with ``fields`` for a form's problems) and
its real status code: 400, 401, 403, 404, 405, 413, 429; never an HTML page. An unexpected failure
is logged and answered as a JSON 500 rather than Django's page."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.web import json_error

logger = logging.getLogger("hrtrack.api")


def validation_fields(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for e in errors for m in e.messages] for name, errors in error.error_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def _message(detail) -> str:
    """The first message of a DRF error detail (a string, a list or a dict of them)."""
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
        return _message(detail)
    return str(detail)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's own errors keep their headers (Retry-After, WWW-Authenticate,
    Allow) with the body rewritten to ``{"error": ...}``; Django's are given their status."""
    if isinstance(exc, RequestDataTooBig):
        return Response({"error": _("The request is too large.")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        return Response({"error": str(exc) or _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response({"error": str(exc) or _("You may not do this.")}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ValidationError):
        return Response({"error": _("Nothing was saved: see the fields."), "fields": validation_fields(exc)},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidInput | SuspiciousOperation):
        return Response({"error": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API request failed", exc_info=exc)
        return Response({"error": _("Something went wrong on our side; it was logged.")},
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    data = {"error": _message(response.data)}
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        data = {"error": _("Nothing was saved: see the fields."), "fields": response.data}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        data["retry_after"] = int(exc.wait) + (0 if float(exc.wait).is_integer() else 1)
    response.data = data
    return response


@csrf_exempt  # a POST to nowhere is a 404, not the CSRF failure page
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any address under /api/v1/ that names no operation."""
    return json_error(_("There is no API operation at %(path)s.") % {"path": request.path}, 404)


# Django's own error answers (handler400 ... handler500 in hrtrack/urls.py): an error raised before
# any API view runs (in a middleware: a body too large to read, a host the site does not serve) is
# JSON too under /api/; every other address keeps Django's pages (the portal's templates).


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception=None):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(_("The request is too large."), 413)
    return json_error(_("Bad request."), 400)


def permission_denied(request: HttpRequest, exception=None):
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return json_error(str(exception or "") or _("You may not do this."), 403)


def page_not_found(request: HttpRequest, exception=None):
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return not_found(request)


def server_error(request: HttpRequest):
    if not _is_api(request):
        return defaults.server_error(request)
    return json_error(_("Something went wrong on our side; it was logged."), 500)

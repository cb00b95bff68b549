"""One shape for every API error: {"errors": [{"field", "code", "message"}]}, never a bare 500:
DRF's exceptions, Django's 404/403, a body too large (413), a suspicious request (400) and anything
unexpected (500, logged) alike; carm.urls' handlers answer the same shape for /api/ paths."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger("carm.api")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def _flatten(detail, field=None):
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            # A list's own error (DRF's non_field_errors, a Django form's __all__): the list's field.
            yield from _flatten(value, field if key in ("non_field_errors", NON_FIELD_ERRORS) else name)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            nested = isinstance(value, (dict, list))
            yield from _flatten(value, f"{field}[{index}]" if nested and field else field)
    else:
        yield {"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}


def structured_exception_handler(exc, context):
    # Django's own 404/403 become DRF's, so they carry DRF's (translated) message and code.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(_("The request body is too large."))
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError()
    response = exception_handler(exc, context)
    if response is None:  # not an API error: a defect. Logged with its traceback, answered in shape.
        logger.exception("unhandled API error", exc_info=exc)
        set_rollback()
        return Response({"errors": [server_error_detail()]}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        errors = list(_flatten(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        errors = [{"field": None, "code": getattr(detail, "code", "error"), "message": str(detail)}]
    response.data = {"errors": errors}
    return response


def error_response(field, code, message, http_status=status.HTTP_400_BAD_REQUEST):
    """A structured error raised by a service (not a serializer), in the same shape."""
    return Response({"errors": [{"field": field, "code": code, "message": str(message)}]}, status=http_status)


def errors_schema(prefix: str):
    """The OpenAPI shape of that structured error, named `<prefix>Errors` / `<prefix>Error`."""
    error = {
        "field": serializers.CharField(allow_null=True),
        "code": serializers.CharField(),
        "message": serializers.CharField(),
    }
    return inline_serializer(f"{prefix}Errors", {"errors": inline_serializer(f"{prefix}Error", error, many=True)})


def server_error_detail() -> dict:
    return {"field": None, "code": "server_error", "message": _("Something went wrong on our side.")}


def json_error(status_code: int, code: str, message) -> JsonResponse:
    """The structured error outside DRF (Django's 404/400/403/500 handlers on /api/ paths)."""
    return JsonResponse({"errors": [{"field": None, "code": code, "message": str(message)}]}, status=status_code)

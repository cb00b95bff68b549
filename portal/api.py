"""One shape for every API error: {"errors": [{"field", "code", "message"}]}, never a bare 500."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _flatten(detail, field=None):
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            yield from _flatten(value, field if key == "non_field_errors" else name)  # a list's own error: the list
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
    response = exception_handler(exc, context)
    if response is None:
        return None
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

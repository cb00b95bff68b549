"""Every API error has the same structured shape, with a message a person can read."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers

from core.api import structured_exception_handler


def _errors(exc):
    return structured_exception_handler(exc, {}).data["errors"]


def test_django_not_found_and_permission_denied_get_drf_messages():
    assert _errors(Http404()) == [{"field": None, "code": "not_found", "message": "Not found."}]
    denied = _errors(PermissionDenied())
    assert denied[0]["code"] == "permission_denied" and denied[0]["message"]


def test_validation_errors_name_the_field_even_when_nested():
    exc = serializers.ValidationError({"lines": [{"origin": ["Unknown country."]}], "non_field_errors": ["Bad."]})
    assert _errors(exc) == [
        {"field": "lines[0].origin", "code": "invalid", "message": "Unknown country."},
        {"field": None, "code": "invalid", "message": "Bad."},
    ]


def test_other_api_exceptions_keep_their_code():
    assert _errors(exceptions.Throttled(wait=3))[0]["code"] == "throttled"

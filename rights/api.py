"""The base of every API view scoped by the rights kernel."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions

from .policy import SIGNED_IN


class AuthorizedAPIMixin:
    """Signed-in callers; objects come through rights.restrict, whose refusals (Django's Http404 and
    PermissionDenied) are answered as DRF's, so the structured error has a code and a message."""

    access_policy = SIGNED_IN

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            exc = exceptions.NotFound()
        elif isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied()
        return super().handle_exception(exc)

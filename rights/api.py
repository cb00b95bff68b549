"""The base of every API view scoped by the rights kernel."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions

from .kernel import Action, held, may
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


def own_rows(queryset, who):
    """A client-side list: the rows of the person's own grants and relationships (`rights.held`), never
    an officer's view of every client, which stops at the detail views and the officer API
    (/api/v1/cbsa/). A client's rows are already their own: unchanged (no second filter)."""
    return held(queryset, who) if may(who, Action.VIEW_CLIENTS) else queryset


class OwnRowsMixin:
    """`own_rows` for a list view whose scope (the mixin after it) gives the rows."""

    def get_queryset(self):
        return own_rows(super().get_queryset(), self.request)

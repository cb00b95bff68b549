"""API endpoints of the releases app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [path("releases/awaiting", api.Awaiting.as_view(), name="api-releases-awaiting")]

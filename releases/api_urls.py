"""API endpoints of the releases app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("releases", api.Record.as_view(), name="api-releases"),
    path("releases/awaiting", api.Awaiting.as_view(), name="api-releases-awaiting"),
    path("declarations/<str:transaction_number>/release", api.ReleaseCashCad.as_view(), name="api-declaration-release"),
]

"""API endpoints of the declarations app (mounted under /api/v1/)."""

from django.urls import path  # noqa: F401

urlpatterns = []

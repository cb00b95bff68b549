"""API endpoints of the assessment app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("estimates", api.EstimateView.as_view(), name="assessment-estimates"),
]

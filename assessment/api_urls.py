"""API endpoints of the assessment app (mounted under /api/v1/)."""

urlpatterns: list = []

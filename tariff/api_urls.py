"""API endpoints of the tariff app (mounted under /api/v1/)."""

urlpatterns: list = []

"""API endpoints of the access app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("access-requests", api.AccessRequestList.as_view(), name="api-access-requests"),
    path("access-requests/<int:pk>", api.AccessRequestDetail.as_view(), name="api-access-request"),
    path(
        "access-requests/<int:pk>/approve",
        api.AccessRequestDecision.as_view(approve=True),
        name="api-access-request-approve",
    ),
    path(
        "access-requests/<int:pk>/reject",
        api.AccessRequestDecision.as_view(approve=False),
        name="api-access-request-reject",
    ),
    path("access-requests/<int:pk>/withdraw", api.AccessRequestWithdraw.as_view(), name="api-access-request-withdraw"),
    path("role-grants", api.RoleGrantList.as_view(), name="api-role-grants"),
    path("role-grants/<int:pk>", api.RoleGrantDetail.as_view(), name="api-role-grant"),
]

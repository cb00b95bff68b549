"""API endpoints of the delegation app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("relationships", api.RelationshipList.as_view(), name="api-relationships"),
    path("relationships/<int:pk>", api.RelationshipDetail.as_view(), name="api-relationship"),
    path(
        "relationships/<int:pk>/approve",
        api.RelationshipAction.as_view(step="approve"),
        name="api-relationship-approve",
    ),
    path("relationships/<int:pk>/terms", api.RelationshipAction.as_view(step="change"), name="api-relationship-terms"),
    path("relationships/<int:pk>/reject", api.RelationshipEnd.as_view(step="reject"), name="api-relationship-reject"),
    path("relationships/<int:pk>/end", api.RelationshipEnd.as_view(step="end"), name="api-relationship-end"),
    path(
        "relationships/<int:pk>/assignments", api.RelationshipAssignment.as_view(), name="api-relationship-assignments"
    ),
    path("clients", api.ClientList.as_view(), name="api-clients"),
    path("client-groups", api.ClientGroupList.as_view(), name="api-client-groups"),
    path("client-groups/<int:pk>", api.ClientGroupDetail.as_view(), name="api-client-group"),
    path(
        "client-groups/<int:pk>/assignments", api.ClientGroupAssignment.as_view(), name="api-client-group-assignments"
    ),
]

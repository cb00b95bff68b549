"""API endpoints of the workbench (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cbsa/queues", api.QueueList.as_view(), name="api-cbsa-queues"),
    path("cbsa/queues/<str:key>", api.QueueItems.as_view(), name="api-cbsa-queue"),
    path("cbsa/queues/<str:key>/assign", api.QueueAssign.as_view(), name="api-cbsa-queue-assign"),
    path("cbsa/queues/<str:key>/decide", api.QueueDecide.as_view(), name="api-cbsa-queue-decide"),
    path("cbsa/runs", api.RunList.as_view(), name="api-cbsa-runs"),
    path("cbsa/runs/<int:pk>", api.RunDetail.as_view(), name="api-cbsa-run"),
    path("cbsa/dashboard", api.Dashboard.as_view(), name="api-cbsa-dashboard"),
]

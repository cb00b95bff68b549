"""API endpoints of the edi app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("edi/messages", api.MessageList.as_view(), name="api-edi-messages"),
    path("edi/messages/<uuid:correlation_id>", api.MessageDetail.as_view(), name="api-edi-message"),
    path("edi/messages/<uuid:correlation_id>/response", api.MessageResponse.as_view(), name="api-edi-response"),
    path("edi/queue", api.Queue.as_view(), name="api-edi-queue"),
    path("edi/deliveries", api.DeliveryList.as_view(), name="api-edi-deliveries"),
    path("edi/channel", api.ChannelView.as_view(), name="api-edi-channel"),
    path("edi/channel/rotate-secret", api.RotateSecret.as_view(), name="api-edi-rotate-secret"),
]

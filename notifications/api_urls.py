"""API endpoints of notifications (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("notifications", api.NotificationList.as_view(), name="api-notifications"),
    path("notifications/unread-count", api.UnreadCount.as_view(), name="api-notifications-unread"),
    path("notifications/kinds", api.KindList.as_view(), name="api-notification-kinds"),
    path("notifications/preferences", api.PreferenceList.as_view(), name="api-notification-preferences"),
    path("notifications/profile", api.ProfileDetail.as_view(), name="api-notification-profile"),
    path("notifications/watches", api.WatchList.as_view(), name="api-notification-watches"),
    path("notifications/watches/<int:pk>", api.WatchDetail.as_view(), name="api-notification-watch"),
    path(
        "notifications/business-defaults/<str:bn9>",
        api.BusinessDefaults.as_view(),
        name="api-notification-business-defaults",
    ),
    path("notifications/<int:pk>/read", api.NotificationAction.as_view(action="read"), name="api-notification-read"),
    path(
        "notifications/<int:pk>/unread", api.NotificationAction.as_view(action="unread"), name="api-notification-unread"
    ),
    path(
        "notifications/<int:pk>/archive",
        api.NotificationAction.as_view(action="archive"),
        name="api-notification-archive",
    ),
]

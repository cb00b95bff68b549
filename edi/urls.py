"""Pages of the edi app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "edi"
urlpatterns = [
    path("", views.channel, name="channel"),
    path("messages/", views.message_log, name="messages"),
    path("messages/<uuid:correlation_id>/", views.message_detail, name="message"),
    path("deliveries/", views.delivery_log, name="deliveries"),
]

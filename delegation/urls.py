"""Pages of the delegation app (mounted under the language prefix at /relationships/)."""

from django.urls import path

from . import views

app_name = "delegation"
urlpatterns = [
    path("acting-for/", views.switch_client, name="switch"),
    path("<str:bn9>/", views.manage, name="manage"),
    path("<str:bn9>/send/", views.send, name="send"),
    path("<str:bn9>/send/bulk/", views.send_bulk, name="send_bulk"),
    path("<str:bn9>/<int:pk>/", views.relationship, name="relationship"),
    path("<str:bn9>/<int:pk>/end/", views.end, name="end"),
    path("<str:bn9>/clients/", views.clients, name="clients"),
    path("<str:bn9>/clients/<int:pk>/", views.staff, name="staff"),
    path("<str:bn9>/client-groups/", views.client_groups, name="client_groups"),
    path("<str:bn9>/client-groups/<int:pk>/", views.client_group, name="client_group"),
    path("<str:bn9>/client-groups/<int:pk>/delete/", views.delete_client_group, name="delete_client_group"),
]

"""Pages of the access app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("request/", views.request_access, name="request"),
    path("request/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:bn9>/employees/", views.employees, name="employees"),
    path("<str:bn9>/requests/<int:pk>/", views.decide, name="decide"),
    path("<str:bn9>/members/<int:user_id>/", views.member, name="member"),
    path("<str:bn9>/members/<int:user_id>/remove/", views.remove_member, name="remove_member"),
    path("<str:bn9>/groups/new/", views.group, name="new_group"),
    path("<str:bn9>/groups/<int:pk>/", views.group, name="group"),
    path("<str:bn9>/groups/<int:pk>/delete/", views.delete_group, name="delete_group"),
]

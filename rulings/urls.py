"""Pages of the rulings app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "rulings"
urlpatterns = [
    path("", views.ruling_list, name="list"),
    path("new/", views.new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("register/", views.register, name="register"),
    path("register/<str:number>/", views.register_entry, name="register_entry"),
    path("<str:case_number>/", views.detail, name="detail"),
    path("<str:case_number>/context/", views.context, name="context"),
    path("<str:case_number>/details/", views.details, name="details"),
    path("<str:case_number>/attachments/<int:pk>/", views.attachment, name="attachment"),
]

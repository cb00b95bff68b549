"""The officers' s.59 re-determination pages, mounted under /<lang>/cbsa/redeterminations/ beside
the workbench (carm.urls)."""

from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.redeterminations, name="redeterminations"),
    path("<str:transaction_number>/", views.redetermine, name="redetermine"),
]

"""The border's release pages, mounted under /<lang>/cbsa/releases/ beside the workbench (carm.urls)."""

from django.urls import path

from . import views

app_name = "releases"
urlpatterns = [
    path("", views.releases, name="releases"),
    path("cash/<str:transaction_number>/release/", views.release_cash_cad, name="release_cash_cad"),
]

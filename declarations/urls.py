"""Pages of the declarations app (mounted under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "declarations"
urlpatterns = []

"""Pages of the assessment app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("estimate/", views.estimate, name="estimate"),
    path("exchange-rates/", views.exchange_rates, name="exchange_rates"),
]

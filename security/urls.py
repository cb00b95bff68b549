"""Pages of the security app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("", views.positions, name="positions"),
    path("positions.csv", views.positions_csv, name="positions_csv"),
    path("queue/", views.queue, name="queue"),
    path("queue/<str:kind>/<int:pk>/", views.decide, name="decide"),
    path("<str:number>/", views.account, name="account"),
    path("<str:number>/deposits/<int:pk>/pay/", views.pay_deposit, name="pay_deposit"),
]

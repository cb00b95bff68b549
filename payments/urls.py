"""Pages of the payments app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.payment_list, name="list"),
    path("pay/", views.pay, name="pay"),
    path("remittance/", views.remittance, name="remittance"),
    path("pad/<str:number>/", views.pad_agreements, name="pad"),
    path("pad/<str:number>/<int:pk>/cancel/", views.cancel_pad, name="cancel_pad"),
    path("<str:reference>/", views.receipt, name="receipt"),
    path("<str:reference>/authenticate/", views.authenticate, name="authenticate"),
]

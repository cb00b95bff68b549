"""API endpoints of the payments app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("payments", api.PaymentList.as_view(), name="api-payments"),
    path("payments/pad-agreements", api.PadAgreementList.as_view(), name="api-pad-agreements"),
    path("payments/pad-agreement-text", api.PadAgreementText.as_view(), name="api-pad-agreement-text"),
    path("payments/<str:reference>", api.PaymentDetail.as_view(), name="api-payment"),
]

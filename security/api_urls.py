"""API endpoints of the security app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("security/positions", api.Positions.as_view(), name="api-security-positions"),
    path("security/bonds", api.ProviderBonds.as_view(), name="api-security-bonds"),
    path("security/bonds/<int:pk>", api.ProviderBond.as_view(), name="api-security-bond"),
    path("security/bonds/<int:pk>/allocations", api.ProviderAllocation.as_view(), name="api-security-allocation"),
    path("security/bonds/<int:pk>/cancel", api.ProviderCancel.as_view(), name="api-security-cancel"),
    path("security/bonds/<int:pk>/confirm", api.ProviderConfirm.as_view(), name="api-security-confirm"),
    path("security/deposits", api.Deposits.as_view(), name="api-security-deposits"),
    path("security/deposits/<int:pk>/pay", api.DepositPayment.as_view(), name="api-security-deposit-pay"),
]

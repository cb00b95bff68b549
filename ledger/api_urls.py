"""API endpoints of the ledger app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("ledger/entries", api.EntryList.as_view(), name="api-ledger-entries"),
    path("ledger/balances", api.BalanceList.as_view(), name="api-ledger-balances"),
    path("ledger/statements", api.StatementList.as_view(), name="api-ledger-statements"),
    path("ledger/statements/<int:pk>", api.StatementDetail.as_view(), name="api-ledger-statement"),
]

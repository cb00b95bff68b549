"""API endpoints of the declarations app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("declarations", api.DeclarationList.as_view(), name="api-declarations"),
    path("declarations/batch", api.DeclarationBatch.as_view(), name="api-declarations-batch"),
    path("declarations/<str:transaction_number>", api.DeclarationDetail.as_view(), name="api-declaration"),
    path(
        "declarations/<str:transaction_number>/versions", api.VersionCreate.as_view(), name="api-declaration-versions"
    ),
    path("declarations/<str:transaction_number>/withdraw", api.Withdraw.as_view(), name="api-declaration-withdraw"),
]

"""API endpoints of the businesses app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("businesses", api.BusinessList.as_view(), name="api-businesses"),
    path("businesses/<str:bn9>", api.BusinessDetail.as_view(), name="api-business"),
    path("program-accounts", api.ProgramAccountList.as_view(), name="api-program-accounts"),
    path("program-accounts/<str:number>", api.ProgramAccountDetail.as_view(), name="api-program-account"),
]

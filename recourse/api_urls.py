"""API endpoints of the recourse app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("appeals", api.Overview.as_view(), name="api-appeals"),
    path("appeals/notices/<str:number>/appeal", api.NoticeAppeal.as_view(), name="api-appeal-notice"),
    path("appeals/statements/<str:number>/request", api.StatementRequest.as_view(), name="api-appeal-statement"),
    path("appeals/redeterminations", api.Redeterminations.as_view(), name="api-redeterminations"),
    path("appeals/redeterminations/preview", api.RedeterminationPreview.as_view(), name="api-redetermination-preview"),
    path("appeals/<str:number>", api.AppealDetail.as_view(), name="api-appeal"),
    path("appeals/<str:number>/documents", api.AppealDocuments.as_view(), name="api-appeal-documents"),
]

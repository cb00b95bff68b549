"""API endpoints of the rulings app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("rulings", api.RulingList.as_view(), name="api-rulings"),
    path("rulings/register", api.Register.as_view(), name="api-rulings-register"),
    path("rulings/queue", api.RulingQueue.as_view(), name="api-rulings-queue"),
    path("rulings/register/<str:number>", api.RegisterEntry.as_view(), name="api-rulings-register-entry"),
    path("rulings/<str:case_number>", api.RulingDetail.as_view(), name="api-ruling"),
    path("rulings/<str:case_number>/submit", api.RulingSubmit.as_view(), name="api-ruling-submit"),
    path("rulings/<str:case_number>/withdraw", api.RulingWithdraw.as_view(), name="api-ruling-withdraw"),
    path("rulings/<str:case_number>/attachments", api.RulingAttachments.as_view(), name="api-ruling-attachments"),
    path("rulings/<str:case_number>/messages", api.RulingMessages.as_view(), name="api-ruling-messages"),
    path("rulings/<str:case_number>/assign", api.RulingAssign.as_view(), name="api-ruling-assign"),
    path(
        "rulings/<str:case_number>/request-information",
        api.RulingRequestInformation.as_view(),
        name="api-ruling-request-information",
    ),
    path("rulings/<str:case_number>/decide", api.RulingDecide.as_view(), name="api-ruling-decide"),
    path("rulings/<str:case_number>/refuse", api.RulingRefuse.as_view(), name="api-ruling-refuse"),
    path("rulings/<str:case_number>/publish", api.RulingPublish.as_view(), name="api-ruling-publish"),
]

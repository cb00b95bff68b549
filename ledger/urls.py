"""Pages of the ledger app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("refunds/", views.refunds, name="refunds"),
    path("refunds/<int:pk>/decide/", views.decide_refund, name="decide_refund"),
    path("<str:number>/", views.account, name="account"),
    path("<str:number>/transactions/", views.history, name="history"),
    path("<str:number>/statements/", views.statement_list, name="statements"),
    path("<str:number>/statements/<int:pk>/", views.statement_detail, name="statement"),
    path("<str:number>/notices/", views.notices, name="notices"),
    path("<str:number>/notices/<str:day>/", views.notice, name="notice"),
]

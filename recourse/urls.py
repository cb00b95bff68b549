from django.urls import path

from . import views

app_name = "recourse"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("notices/<str:number>/appeal/", views.appeal_notice, name="appeal_notice"),
    path("statements/<str:number>/request/", views.request_statement, name="request_statement"),
    path("officer/", views.queue, name="queue"),
    path("officer/outages/new/", views.declare_outage, name="declare_outage"),
    path("officer/penalties/new/", views.assess_penalty, name="assess_penalty"),
    path("officer/<str:number>/", views.decide, name="decide"),
    path("<str:number>/", views.detail, name="detail"),
]

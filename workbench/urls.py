from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("cbsa/", views.home, name="home"),
    path("cbsa/officers/", views.appointments, name="appointments"),
    path("cbsa/officers/<int:pk>/end/", views.end_appointment, name="end_appointment"),
    path("cbsa/clients/", views.clients, name="clients"),
    path("cbsa/clients/<str:bn9>/", views.client, name="client"),
    path("cbsa/queues/<str:key>/", views.queue, name="queue"),
    path("cbsa/support/<int:pk>/", views.support, name="support"),
    path("cbsa/runs/", views.runs, name="runs"),
    path("cbsa/runs/<int:pk>/", views.run, name="run"),
    path("cbsa/dashboard/", views.dashboard, name="dashboard"),
    path("support/", views.ask, name="ask"),
]

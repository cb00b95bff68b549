from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("financials/", views.financials, name="financials"),
    path("worklist/", views.worklist, name="worklist"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
]

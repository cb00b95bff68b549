"""Pages of the tariff app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "tariff"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("sections/<int:number>/", views.section, name="section"),
    path("chapters/<str:number>/", views.chapter, name="chapter"),
    path("headings/<str:code>/", views.heading, name="heading"),
    path("classifications/<str:number>/", views.classification, name="classification"),
]

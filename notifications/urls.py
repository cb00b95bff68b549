"""Pages of notifications (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark, name="read"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("business/<str:bn9>/defaults/", views.business_defaults, name="business_defaults"),
    path("watches/", views.watches, name="watches"),
    path("watches/<int:pk>/remove/", views.remove_watch, name="remove_watch"),
]

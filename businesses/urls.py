"""Pages of the businesses app (mounted under the language prefix)."""

from django.urls import path

from . import flow, views

app_name = "businesses"
urlpatterns = [
    path("", views.my_businesses, name="list"),
    path("program-accounts/", views.program_accounts, name="program_accounts"),
    path("register/", flow.start, name="register"),
    path("register/identity/", flow.identity, name="register_identity"),
    path("register/affinity/", flow.affinity_questions, name="register_affinity"),
    path("register/terms/", flow.terms, name="register_terms"),
    path("register/review/", flow.review, name="register_review"),
    path("<str:bn9>/", views.profile, name="profile"),
]

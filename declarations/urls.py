"""Pages of the declarations app (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "declarations"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.new, name="new"),
    path("preview/", views.preview, name="preview"),
    path("classifications/", views.classifications, name="classifications"),
    path("lines-template.csv", views.lines_template, {"kind": "csv"}, name="lines_template"),
    path("lines-template.xlsx", views.lines_template, {"kind": "xlsx"}, name="lines_template_xlsx"),
    path("csv-format/", views.csv_format, name="csv_format"),
    path("adjustments/", views.adjustments, name="adjustments"),
    path("legacy-b3/", views.legacy, name="legacy"),
    path("adjustments/<int:pk>/", views.adjustment, name="adjustment"),
    path("<str:transaction_number>/", views.detail, name="detail"),
    path("<str:transaction_number>/change/", views.change, name="change"),
    path("<str:transaction_number>/withdraw/", views.withdraw, name="withdraw"),
]

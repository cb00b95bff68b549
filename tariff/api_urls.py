"""API endpoints of the tariff app (mounted under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("tariff/sections", api.SectionListView.as_view(), name="tariff-sections"),
    path("tariff/chapters/<str:number>", api.ChapterView.as_view(), name="tariff-chapter"),
    path("tariff/headings/<str:code>", api.HeadingView.as_view(), name="tariff-heading"),
    path("tariff/classifications/<str:number>", api.ClassificationView.as_view(), name="tariff-classification"),
    path("tariff/search", api.SearchView.as_view(), name="tariff-search"),
    path("tariff/changes", api.ChangesView.as_view(), name="tariff-changes"),
    path("tariff/versions", api.VersionListView.as_view(), name="tariff-versions"),
    path("tariff/export.csv", api.ExportView.as_view(export_format="csv"), name="tariff-export-csv"),
    path("tariff/export.json", api.ExportView.as_view(export_format="json"), name="tariff-export-json"),
]

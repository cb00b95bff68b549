"""Pages of the tariff app (mounted under the language prefix)."""

app_name = "tariff"
urlpatterns: list = []

"""Pages of the ledger app (mounted under the language prefix)."""

app_name = "ledger"
urlpatterns: list = []

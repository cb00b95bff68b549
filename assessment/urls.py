"""Pages of the assessment app (mounted under the language prefix)."""

app_name = "assessment"
urlpatterns: list = []

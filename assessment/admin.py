from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "date", "cad_per_unit"]
    list_filter = ["currency"]
    search_fields = ["currency"]
    date_hierarchy = "date"

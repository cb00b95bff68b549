from django.contrib import admin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "rule"]
    list_filter = ["name"]
    date_hierarchy = "date"

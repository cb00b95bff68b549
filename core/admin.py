"""The admin's one read-only shape: records kept by their services (ledger, audit, tariff loads,
payments) are read by officers here, never added, changed or deleted."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Officers read the trail; nobody adds, changes or deletes entries through the admin."""

    list_display = [
        "created_at",
        "actor_label",
        "action",
        "object_repr",
        "acting_for_business",
        "channel",
        "ip_address",
    ]
    list_filter = ["action", "channel"]
    search_fields = ["actor_label", "object_repr", "object_id", "acting_for_business", "actor_business"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

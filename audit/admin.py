from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
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

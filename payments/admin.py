"""Officers' admin for payments: payments, PAD agreements and remittance imports are evidence, read-only
(core.admin.ReadOnlyAdmin); PAD agreement texts are published here, one new version at a time (a
published version is never changed: agreements point at the version accepted)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import PadAgreement, PadAgreementText, Payment, RemittanceImport


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "method", "status", "amount", "created_at", "completed_at"]
    list_filter = ["method", "status"]
    search_fields = ["reference", "external_reference", "lines__program_account__number"]
    exclude = ["card_token", "fingerprint"]


@admin.register(PadAgreement)
class PadAgreementAdmin(ReadOnlyAdmin):
    list_display = ["program_account", "holder_name", "institution", "transit", "masked_account", "accepted_at"]
    exclude = ["account_number"]


@admin.register(RemittanceImport)
class RemittanceImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "imported_at", "posted", "skipped"]


@admin.register(PadAgreementText)
class PadAgreementTextAdmin(admin.ModelAdmin):
    list_display = ["version", "published_on"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

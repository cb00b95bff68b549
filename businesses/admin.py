from django.contrib import admin

from . import account_programs
from .models import AccountProgramRecord, Business, ProgramAccount, TermsAcceptance, TermsVersion


class ProgramAccountInline(admin.TabularInline):
    model = ProgramAccount
    extra = 0


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["bn9", "legal_name", "kind", "registered_at"]
    search_fields = ["bn9", "legal_name"]
    inlines = [ProgramAccountInline]


admin.site.register(TermsVersion)
admin.site.register(TermsAcceptance)


@admin.register(AccountProgramRecord)
class AccountProgramRecordAdmin(admin.ModelAdmin):
    """Officers add a change of accounting program (account_programs.record: audited); rows are the
    history and are never edited or deleted. RPP enrolment is security's (its officer pages)."""

    list_display = ["program_account", "effective_from", "accounting_program", "recorded_by"]
    list_filter = ["accounting_program"]
    search_fields = ["program_account__number"]
    fields = ["program_account", "effective_from", "accounting_program", "csa_period", "reason"]
    raw_id_fields = ["program_account"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = account_programs.record(
            request.user,
            obj.program_account,
            effective_from=obj.effective_from,
            accounting_program=obj.accounting_program,
            csa_period=obj.csa_period,
            reason=obj.reason,
            request=request,
        )
        obj.pk = saved.pk

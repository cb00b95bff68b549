"""Officers' admin for the ledger. Entries, allocations, statements and daily notices are evidence:
read-only here as in the audit trail (no add, change or delete). Holidays and interest rates are the
tables officers keep current. A demand is recorded from the ledger accounts (an action, audited)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin

from . import services
from .models import (
    Allocation,
    DailyNotice,
    Holiday,
    InterestRate,
    LedgerAccount,
    LedgerEntry,
    RefundRequest,
    Statement,
)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "rule"]
    list_filter = ["name"]
    date_hierarchy = "date"


@admin.register(InterestRate)
class InterestRateAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "effective_to", "prescribed_rate", "source"]
    date_hierarchy = "effective_from"


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["effective_date", "program_account", "entry_type", "amount", "due_date", "transaction_number"]
    list_filter = ["entry_type"]
    search_fields = ["program_account__number", "transaction_number", "reference", "source_key"]
    date_hierarchy = "effective_date"
    list_select_related = ["program_account"]
    show_full_result_count = False  # no COUNT(*) over millions of rows on each page


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["period_end", "version", "program_account", "closing_balance", "amount_due", "overdue"]
    search_fields = ["program_account__number"]
    date_hierarchy = "period_end"
    list_select_related = ["program_account"]
    show_full_result_count = False


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["cleared_on", "credit", "debit", "amount"]
    search_fields = ["credit__program_account__number"]
    list_select_related = ["credit", "debit"]
    show_full_result_count = False


@admin.register(DailyNotice)
class DailyNoticeAdmin(ReadOnlyAdmin):
    list_display = ["day", "program_account", "entry_count", "total"]
    search_fields = ["program_account__number"]
    date_hierarchy = "day"
    list_select_related = ["program_account"]


@admin.register(RefundRequest)
class RefundRequestAdmin(ReadOnlyAdmin):
    """Refunds are decided on the officers' refunds page, which posts the disbursement."""

    list_display = ["requested_at", "program_account", "amount", "status", "decided_by"]
    list_filter = ["status"]
    search_fields = ["program_account__number"]
    list_select_related = ["program_account", "decided_by"]


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    """The running state of each account; a demand is recorded with the action below."""

    list_display = ["program_account", "balance", "offsetting_preference", "demand_issued_on", "closed_through"]
    list_filter = ["offsetting_preference", ("demand_issued_on", admin.EmptyFieldListFilter)]
    search_fields = ["program_account__number"]
    list_select_related = ["program_account"]
    actions = ["record_demand"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Record a demand today (for collections: interest is already at the specified rate)"))
    def record_demand(self, request, queryset):
        done = 0
        for ledger in queryset.select_related("program_account"):
            try:
                services.set_demand(ledger.program_account, timezone.localdate(), officer=request.user, request=request)
            except ValidationError as error:
                self.message_user(request, f"{ledger.program_account}: {error.messages[0]}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "A demand was recorded for %(count)d account.",
                    "A demand was recorded for %(count)d accounts.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

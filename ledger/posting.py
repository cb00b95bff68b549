"""post_entry: the one way money enters the ledger. Declarations, payments, interest, penalties,
offsetting and refunds all call it."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import record

from . import billing_cycle
from .models import EntryType, LedgerAccount, LedgerEntry
from .services import holiday_calendar

CENT = Decimal("0.01")
# Debits fall due with the statement of their billing period; these are due the day they are posted.
DUE_AT_ONCE = {EntryType.INTEREST, EntryType.PENALTY, EntryType.REFUND}


def as_amount(value) -> Decimal:
    """A non-zero amount in whole cents. Floats are refused: they cannot hold cents exactly."""
    if isinstance(value, float):
        raise TypeError("pass money as Decimal or str, never float")
    amount = Decimal(value)
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError(_("The amount must be in whole cents."), code="not_cents")
    if amount == 0:
        raise ValidationError(_("The amount must not be zero."), code="zero")
    return amount.quantize(CENT)


def ledger_of(program_account, lock=False) -> LedgerAccount:
    ledger, _created = LedgerAccount.objects.get_or_create(program_account=program_account)
    return LedgerAccount.objects.select_for_update().get(pk=ledger.pk) if lock else ledger


def post_entry(
    program_account,
    entry_type: EntryType,
    amount,
    *,
    effective_date: dt.date,
    source_key: str,
    due_date: dt.date | None = None,
    transaction_number: str = "",
    document_version: str = "",
    reference: str = "",
    description: str = "",
    submitted_by_business=None,
    reverses: LedgerEntry | None = None,
    explanation: dict | None = None,
    posted_by=None,
    request=None,
) -> LedgerEntry:
    """Append one entry (debit positive, credit negative) and audit it. Posting a source key the
    account already has returns that entry unchanged. An entry dated inside a period already closed
    is dated the first day of the open period (its document date is kept in the explanation), so an
    issued statement never changes and corrections show on the coming one."""
    amount = as_amount(amount)
    if program_account is None or program_account.pk is None:
        raise ValidationError(_("Unknown program account."), code="unknown_account")
    if not program_account.is_active:
        raise ValidationError(
            _("Program account %(number)s is closed.") % {"number": program_account.number}, code="account_closed"
        )
    if not source_key:
        raise ValidationError(_("A source document is required."), code="no_source")
    explanation = dict(explanation or {})
    with transaction.atomic():
        ledger = ledger_of(program_account, lock=True)  # serializes posting and closing per account
        existing = LedgerEntry.objects.filter(program_account=program_account, source_key=source_key).first()
        if existing is not None:
            return existing
        if ledger.closed_through and effective_date <= ledger.closed_through:
            explanation["document_date"] = effective_date.isoformat()
            effective_date = ledger.closed_through + dt.timedelta(days=1)
        period_end = billing_cycle.billing_period(effective_date)[1]
        if due_date is None:
            due_date = (
                effective_date
                if entry_type in DUE_AT_ONCE or amount < 0
                else billing_cycle.payment_due_date(period_end, holiday_calendar())
            )
        entry = LedgerEntry.objects.create(
            program_account=program_account,
            entry_type=entry_type,
            amount=amount,
            effective_date=effective_date,
            due_date=due_date,
            billing_period_end=period_end,
            source_key=source_key,
            transaction_number=transaction_number,
            document_version=document_version,
            reference=reference,
            description=description,
            submitted_by_business=submitted_by_business,
            reverses=reverses,
            explanation=explanation,
            posted_by=posted_by,
        )
        ledger.balance += amount
        ledger.save(update_fields=["balance"])
        record(
            "ledger.posted",
            actor=posted_by,
            request=request,
            obj=entry,
            actor_business=submitted_by_business.bn9 if submitted_by_business else "",
            after={
                "account": program_account.number,
                "type": entry_type,
                "amount": str(amount),
                "source": source_key,
                "date": effective_date.isoformat(),
            },
        )
    return entry


def reverse_entry(entry: LedgerEntry, *, effective_date: dt.date, posted_by=None, request=None) -> LedgerEntry:
    """A correction: the opposite amount, linked to the entry it reverses (idempotent)."""
    return post_entry(
        entry.program_account,
        EntryType.REVERSAL,
        -entry.amount,
        effective_date=effective_date,
        source_key=f"REV:{entry.pk}",
        due_date=effective_date if entry.amount > 0 else entry.due_date,
        transaction_number=entry.transaction_number,
        document_version=entry.document_version,
        description=entry.description,
        submitted_by_business=entry.submitted_by_business,
        reverses=entry,
        posted_by=posted_by,
        request=request,
    )

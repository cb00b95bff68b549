"""Offsetting: credits clear debits (daily), and refunds of what is left once no debt remains.

Credits clear debits on the debit's due date; anything overdue is cleared first, oldest first.
Which other debits a credit may clear follows the account's preference (models.OffsettingPreference).
Sources disagree on the order: CBSA's CARM page "Commercial import accounting: Offsetting and
disbursements" (cbsa-asfc.gc.ca/prog/arl-glcc/refoff-remcom-eng.html) says "the oldest amount owing
will be deducted first" and "the oldest due debt clearing first"; the older "Standard account
processing timelines" (prog/arl-glcc/menu-eng.html, marked "Page content under review" for the
CARM transition) says "Newest debt is the first to be offset". We follow the CARM page, the current
one: oldest first. The statement page says so."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from rights import Action

from .balances import ZERO, cents
from .models import Allocation, EntryType, LedgerAccount, LedgerEntry, OffsettingPreference, RefundRequest
from .posting import as_amount, ledger_of, post_entry


def _open(entries, related: str, sign: int):
    """Entries of the sign asked for (1: debits, -1: credits) with something left to clear, annotated
    with `left` (positive): an entry of the other sign has a negative `left`."""
    cleared = Coalesce(Sum(f"{related}__amount"), Value(ZERO))
    return entries.annotate(left=sign * F("amount") - cleared).filter(left__gt=0)


def _save(allocations: list[Allocation], obj, day: dt.date) -> None:
    Allocation.objects.bulk_create(allocations)
    if allocations:
        record(
            "ledger.cleared",
            obj=obj,
            after={
                "day": day.isoformat(),
                "allocations": len(allocations),
                "amount": str(sum(a.amount for a in allocations)),
            },
        )


def clear_account(program_account, day: dt.date) -> list[Allocation]:
    """Apply the open credits of the account to its eligible open debits, oldest due first."""
    with transaction.atomic():
        ledger = ledger_of(program_account, lock=True)
        eligible = {
            OffsettingPreference.OLDEST_FIRST: Q(),
            OffsettingPreference.CURRENT_STATEMENT: Q(due_date__lte=day),
            OffsettingPreference.HOLD_FOR_REFUND: Q(due_date__lt=day),
        }[ledger.offsetting_preference]
        entries = LedgerEntry.objects.filter(program_account=program_account, effective_date__lte=day)
        credits = list(_open(entries, "allocations_from", -1).order_by("effective_date", "id"))
        for credit in credits:
            credit.left = cents(credit.left)
        credits = [credit for credit in credits if credit.left > 0]  # SQLite's float sums leave sub-cent rests
        if not credits:
            return []
        debits = open_debits(program_account, entries.filter(eligible))
        allocations = []
        for debit in debits:
            debit.left = cents(debit.left)
            while debit.left > 0 and credits:
                credit = credits[0]
                amount = min(debit.left, credit.left)
                allocations.append(Allocation(credit=credit, debit=debit, amount=amount, cleared_on=day))
                debit.left -= amount
                credit.left -= amount
                if credit.left == 0:
                    credits.pop(0)
        _save(allocations, ledger, day)
    return allocations


def open_debits(program_account, entries=None):
    """The account's debits with something left to clear (annotated `left`), oldest due first."""
    entries = LedgerEntry.objects.all() if entries is None else entries
    return _open(entries.filter(program_account=program_account), "allocations_to", 1).order_by(
        "due_date", "effective_date", "id"
    )


def allocate_credit(credit: LedgerEntry, day: dt.date, debits=None) -> list[Allocation]:
    """Apply one credit (a payment) at once: to the debits the payer chose (a queryset of entries), or
    else to every open debit of its account, oldest due first. What is left stays as a credit."""
    with transaction.atomic():
        ledger_of(credit.program_account, lock=True)
        left = -credit.amount - cents(credit.allocations_from.aggregate(total=Sum("amount"))["total"])
        allocations = []
        for debit in open_debits(credit.program_account, debits):
            if left <= 0:
                break
            amount = min(cents(debit.left), left)
            allocations.append(Allocation(credit=credit, debit=debit, amount=amount, cleared_on=day))
            left -= amount
        _save(allocations, credit, day)
    return allocations


def clear_all(day: dt.date, progress=None) -> int:
    """The daily clearing run: every account holding an open credit; `progress(done, total)` hears
    of each account. Returns the allocations made (none when run again the same day)."""
    accounts = (
        LedgerEntry.objects.filter(amount__lt=0, effective_date__lte=day)
        .values_list("program_account", flat=True)
        .distinct()
    )
    ledgers = LedgerAccount.objects.filter(program_account__in=accounts).select_related("program_account")
    ledgers = list(ledgers)
    cleared = 0
    for done, ledger in enumerate(ledgers, 1):
        cleared += len(clear_account(ledger.program_account, day))
        if progress:
            progress(done, len(ledgers))
    return cleared


def _credit_unheld(program_account) -> Decimal:
    """The credit no pending refund request holds; negative when a debt remains or the requests ask more."""
    balance = ledger_of(program_account).balance
    pending = RefundRequest.objects.filter(program_account=program_account, status=RefundRequest.Status.PENDING)
    held = pending.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
    return -balance - held


def refundable(program_account) -> Decimal:
    """The credit that may be paid back: only what is left once no debt remains at all."""
    return max(_credit_unheld(program_account), ZERO)


def request_refund(program_account, amount, *, user, request=None) -> RefundRequest:
    """Money leaves CBSA: only someone who may pay for the account may ask for it."""
    rights.require(request or user, Action.PAY, program_account, request)
    amount = as_amount(amount)  # whole cents, not zero
    if amount < 0:  # a negative refund would be a debit: no request asks for one
        raise ValidationError(_("The amount of a refund must be positive."), code="not_positive")
    with transaction.atomic():
        ledger_of(program_account, lock=True)
        if amount > refundable(program_account):
            raise ValidationError(
                _("A refund is only possible from a credit, once no debt remains."), code="debt_remains"
            )
        refund = RefundRequest.objects.create(program_account=program_account, amount=amount, requested_by=user)
        record(
            "ledger.refund_requested",
            actor=user,
            request=request,
            obj=refund,
            after={"account": program_account.number, "amount": str(amount)},
        )
    return refund


def decide_refund(refund: RefundRequest, *, approve: bool, officer, reason: str = "", request=None) -> RefundRequest:
    """An officer's decision. Approval posts the disbursement, checking again that no debt remains."""
    rights.require(request or officer, Action.DECIDE_REFUNDS, request=request)
    with transaction.atomic():
        ledger_of(refund.program_account, lock=True)
        refund = RefundRequest.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundRequest.Status.PENDING:
            raise ValidationError(_("This request was already decided."), code="decided")
        if approve:
            # The request holds its own amount: below zero, paying it would leave a debt (refundable's
            # floor at zero hid a debt smaller than the request).
            if _credit_unheld(refund.program_account) < 0:
                raise ValidationError(
                    _("A debt remains on the account: the refund cannot be paid."), code="debt_remains"
                )
            today = timezone.localdate()
            refund.entry = post_entry(
                refund.program_account,
                EntryType.REFUND,
                refund.amount,
                effective_date=today,
                source_key=f"REFUND:{refund.pk}",
                reference=f"R{refund.pk}",
                posted_by=officer,
                request=request,
                description="Disbursement",
            )
        refund.status = RefundRequest.Status.APPROVED if approve else RefundRequest.Status.REJECTED
        refund.decided_by, refund.decided_at, refund.reason = officer, timezone.now(), reason
        refund.save()
        record(
            "ledger.refund_decided",
            actor=officer,
            request=request,
            obj=refund,
            after={"status": refund.status, "reason": reason},
        )
    return refund


def set_preference(program_account, preference: str, *, user, request=None) -> None:
    """Where the account's credits go: decided by someone who may pay for the account."""
    rights.require(request or user, Action.PAY, program_account, request)
    with transaction.atomic():
        ledger = ledger_of(program_account, lock=True)
        before = ledger.offsetting_preference
        ledger.offsetting_preference = OffsettingPreference(preference)
        ledger.save(update_fields=["offsetting_preference"])
        record(
            "ledger.preference_changed",
            actor=user,
            request=request,
            obj=ledger,
            before={"offsetting_preference": before},
            after={"offsetting_preference": preference},
        )

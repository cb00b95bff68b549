"""Paying what program accounts owe: by card (through the gateway adapter) or by pre-authorized debit,
allocated to the ledger; reconciliation of what the gateway left unanswered.

Never twice, never lost:
- a payment is found by (person, idempotency key): the same key again returns the first payment and
  charges nothing; a payment row is committed before the gateway is called, keyed by its reference;
- the gateway is called outside any database transaction, with the payment reference as its own
  idempotency key; the ledger credits are posted only after the charge is captured, in one database
  transaction with the payment's move to COMPLETED (`complete`);
- whatever breaks in between (no answer, a crash, the database) leaves the payment INITIATED or
  PENDING, and `reconcile` asks the gateway what happened and finishes the job (posts, or records
  that nothing was charged, or refunds a charge that cannot be posted)."""

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

import rights
from audit.services import record
from businesses.models import ProgramAccount
from core import formats, transitions
from declarations.validation import acting
from ledger import billing_cycle, offsetting, statements
from ledger.balances import ZERO, cents
from ledger.models import EntryType, LedgerEntry, accounts_with_documents
from ledger.posting import as_amount, ledger_of, post_entry

from .gateways import CardToken, Charge, GatewayError, gateway
from .models import (
    PAYABLE_KINDS,
    POSTED,
    UNRESOLVED,
    Method,
    PadAgreement,
    PadAgreementText,
    Payment,
    PaymentLine,
    Status,
)

Kind = PaymentLine.Kind

# CARM Bulletin 5408 (CBSA, effective 28 Sep 2025): credit card payments are limited to $4,999.99 per
# billing cycle (18th to 17th) per program account, payments of debts and security deposits alike;
# debit card payments have no CBSA limit (the portal takes no debit card yet: the limit is the card's).
CARD_LIMIT = Decimal("4999.99")
CARD_LIMIT_SINCE = dt.date(2025, 9, 28)
# Card payments that were not charged do not use the limit.
NOT_CHARGED = [Status.DECLINED, Status.FAILED, Status.CANCELLED]


@dataclass
class CardLimit:
    left: Decimal
    cycle_start: dt.date
    cycle_end: dt.date


def card_limit(program_account, today: dt.date | None = None) -> CardLimit | None:
    """What is left of the account's credit card limit in today's billing cycle (None before the
    limit began). Every card payment line on the account counts, whatever it pays (a security
    deposit too), unless the card was not charged."""
    today = today or timezone.localdate()
    if today < CARD_LIMIT_SINCE:
        return None
    start, end = billing_cycle.billing_period(today)
    used = (
        PaymentLine.objects.filter(
            program_account=program_account,
            payment__method=Method.CARD,
            payment__created_at__date__gte=start,
            payment__created_at__date__lte=end,
        )
        .exclude(payment__status__in=NOT_CHARGED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return CardLimit(max(CARD_LIMIT - cents(used), ZERO), start, end)


def _check_card_limit(lines: "list[LineRequest]") -> None:
    """Refuse a card payment over what is left of an account's limit (CARM Bulletin 5408); called
    with the accounts' ledgers locked, so two payments at once cannot both use the same room."""
    for line in lines:
        limit = card_limit(line.program_account)
        if limit is not None and line.amount > limit.left:
            raise ValidationError(
                _(
                    "Credit card payments are limited to $4,999.99 per billing cycle on account %(number)s: "
                    "%(left)s is left until %(end)s. Pay the rest by pre-authorized debit, online banking or wire."
                )
                % {
                    "number": line.program_account.number,
                    "left": formats.money(limit.left),
                    "end": limit.cycle_end.isoformat(),
                },
                code="card_limit",
            )


@dataclass
class Owing:
    balance: Decimal  # positive: the client owes
    due: Decimal  # on an issued statement or past its due date, less every credit


def owing(program_account, today: dt.date | None = None) -> Owing:
    """The balance, and the amount due: debits on an issued statement or already due, less every credit
    (never below zero nor above the balance)."""
    today = today or timezone.localdate()
    ledger = ledger_of(program_account)
    entries = LedgerEntry.objects.filter(program_account=program_account)
    billed = Q(amount__lt=0) | Q(due_date__lte=today)
    if ledger.closed_through:
        billed |= Q(billing_period_end__lte=ledger.closed_through)
    due = cents(entries.filter(billed).aggregate(total=Sum("amount"))["total"])
    return Owing(ledger.balance, max(min(due, ledger.balance), ZERO))


MAX_ACCOUNTS = 25  # [DESIGN] program accounts in one payment (the pay page shows as many)
MAX_TRANSACTIONS = 500  # [DESIGN] chosen transactions on one account of a payment


@dataclass
class LineRequest:
    """What the payer asked to pay on one program account (fetched through the rights kernel)."""

    program_account: object
    kind: str
    amount: Decimal | None = None
    chosen: list = field(default_factory=list)  # LedgerEntry rows, fetched through records_visible_to
    totals_shown: bool = True  # the payer sees the account's balance (ledger.models.accounts_with_documents)
    purpose: str = ""  # a DEPOSIT line: what it pays (see register_purpose)


def payable_entries(who, program_account):
    """The open debits of an account `who` may pay, oldest due first."""
    visible = LedgerEntry.objects.visible_to(who, rights.Action.PAY)
    return offsetting.open_debits(program_account, visible)


@dataclass
class OpenRow:
    """A row of the pay page's open transactions: one debit, or a run of daily interest at one rate
    (ticked as one: its entries' ids), so a month overdue reads as one line, not thirty."""

    ids: list[int]
    due_from: dt.date
    due_to: dt.date
    left: Decimal
    entry: LedgerEntry | None = None  # None for an interest run
    run: statements.InterestRun | None = None
    ticked: bool = False  # the page's own: ticked on the form sent back


def open_rows(entries) -> list[OpenRow]:
    """The open debits (oldest due first, each with its `left`) as pay-page rows, the daily interest
    grouped by run of days at one rate, each group where its first day falls."""
    runs = {run.entries[0].pk: run for run in statements.interest_runs(entries)}
    rows = []
    for entry in entries:
        if entry.entry_type != EntryType.INTEREST:
            rows.append(OpenRow([entry.pk], entry.due_date, entry.due_date, cents(entry.left), entry=entry))
        elif entry.pk in runs:
            run = runs[entry.pk]
            ids, left = [e.pk for e in run.entries], sum((cents(e.left) for e in run.entries), ZERO)
            rows.append(OpenRow(ids, run.entries[0].due_date, run.entries[-1].due_date, left, run=run))
    return rows


def build_lines(who, rows) -> list[LineRequest]:
    """Lines from what a page or the API sent: rows of {program_account (BN15), kind, amount,
    transactions (entry ids)}. Accounts and entries are fetched through the rights kernel: an account
    `who` may not pay, or an entry not open on it, is refused (and the attempt audited)."""
    if len(rows) > MAX_ACCOUNTS or any(len(row.get("transactions") or []) > MAX_TRANSACTIONS for row in rows):
        raise ValidationError(
            _("A payment covers at most %(accounts)s program accounts and %(transactions)s transactions on each.")
            % {"accounts": MAX_ACCOUNTS, "transactions": MAX_TRANSACTIONS},
            code="too_many_lines",
        )
    payable = ProgramAccount.objects.visible_to(who, rights.Action.PAY)
    with_totals = set(accounts_with_documents(who).values_list("pk", flat=True))
    lines = []
    for row in rows:
        if row["kind"] not in dict(PAYABLE_KINDS):  # a deposit is paid through pay_for, never chosen
            raise ValidationError(_("Choose what to pay on each account."), code="bad_kind")
        account = payable.filter(number=row["program_account"]).first()
        if account is None:
            is_request = hasattr(who, "META")
            record(
                "access.denied",
                actor=None if is_request else who,
                request=who if is_request else None,
                after={"object": "businesses.ProgramAccount", "number": str(row["program_account"]), "action": "pay"},
            )
            raise ValidationError(
                _("You may not pay program account %(number)s.") % {"number": row["program_account"]},
                code="not_payable",
            )
        ids = set(row.get("transactions") or [])
        chosen = list(payable_entries(who, account).filter(pk__in=ids)) if ids else []
        if len(chosen) != len(ids):
            raise ValidationError(
                _("Some chosen transactions are not open debits of account %(number)s.") % {"number": account.number},
                code="bad_transactions",
            )
        totals_shown = account.pk in with_totals
        if not totals_shown and row["kind"] in (Kind.BALANCE, Kind.DUE):
            raise ValidationError(
                _(
                    "Your client's visibility rules do not show you the balance of account %(number)s: pay chosen "
                    "transactions or another amount."
                )
                % {"number": account.number},
                code="totals_hidden",
            )
        lines.append(LineRequest(account, row["kind"], row.get("amount"), chosen, totals_shown))
    if len({line.program_account.pk for line in lines}) != len(lines):
        raise ValidationError(_("Each program account may appear once in a payment."), code="duplicate_account")
    return price(lines)


def price(lines: list[LineRequest]) -> list[LineRequest]:
    """Settle each line's amount from its kind, and refuse what cannot be paid: nothing owing, an amount
    of zero or less, or more than owed plus the configured margin (settings.CARM_PAYMENT_MARGIN)."""
    if not lines:
        raise ValidationError(_("Choose at least one program account to pay."), code="no_lines")
    for line in lines:
        number = line.program_account.number
        owed = owing(line.program_account)
        if line.kind == Kind.BALANCE:
            line.amount = owed.balance
        elif line.kind == Kind.DUE:
            line.amount = owed.due
        elif line.kind == Kind.TRANSACTIONS:
            if not line.chosen:
                raise ValidationError(
                    _("Choose the transactions to pay on account %(number)s.") % {"number": number}, code="no_choice"
                )
            line.amount = sum((cents(entry.left) for entry in line.chosen), ZERO)
        if line.amount is None or line.amount <= 0:
            message = (
                _("The amount to pay on account %(number)s must be more than $0.00.")
                if line.kind == Kind.AMOUNT
                else _("Nothing is owing on account %(number)s.")
            )
            raise ValidationError(message % {"number": number}, code="not_positive")
        line.amount = as_amount(line.amount)
        limit = max(owed.balance, ZERO) + settings.CARM_PAYMENT_MARGIN
        if line.amount > limit and not line.totals_shown:  # the limit would tell the hidden balance
            raise ValidationError(
                _("This amount cannot be paid on account %(number)s.") % {"number": number}, code="over_limit"
            )
        if line.amount > limit:
            raise ValidationError(
                _("You may pay at most %(limit)s on account %(number)s (what is owed plus %(margin)s).")
                % {"limit": limit, "number": number, "margin": settings.CARM_PAYMENT_MARGIN},
                code="over_limit",
            )
    return lines


def _fingerprint(method, rows, extra="") -> str:
    """What was asked (not what it priced at): the same request again has the same fingerprint."""
    asked = [method, extra] + [
        [str(row["program_account"]), row["kind"], str(row.get("amount") or ""), sorted(row.get("transactions") or [])]
        + ([row["purpose"]] if row.get("purpose") else [])
        for row in rows
    ]
    return hashlib.sha256(json.dumps(asked).encode()).hexdigest()


def new_reference() -> str:
    return "P" + timezone.now().strftime("%y%m%d") + secrets.token_hex(4).upper()


def _audit(action, payment, request=None, actor=None, **after):
    line = payment.lines.select_related("program_account__business").first()
    who = request if request is not None else actor
    context = rights.audit_context(who, line.program_account.business) if who is not None and line else {}
    record(
        action,
        actor=actor,
        request=request,
        obj=payment,
        **context,
        after={"reference": payment.reference, "amount": str(payment.amount), "status": payment.status, **after},
    )


def _replay(user, key, fingerprint) -> Payment | None:
    """The payment already made with this key, if any; a key reused for something else is refused."""
    existing = Payment.objects.filter(requested_by=user, idempotency_key=key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise ValidationError(_("This idempotency key was already used for another payment."), code="key_reused")
    return existing


def request_payment(
    who,
    rows,
    *,
    key,
    card: CardToken | None = None,
    agreement=None,
    debit_date=None,
    request=None,
    channel="web",
    build=build_lines,
) -> tuple[Payment, bool]:
    """Pay the rows (see build_lines; `build` makes their LineRequests) by card, or by PAD with an
    agreement and a debit date. The same key again (a retry, a double click) returns the first
    payment: (payment, False)."""
    user = rights.actor_of(who).user
    if not key or len(key) > 100:
        raise ValidationError(_("A payment needs an idempotency key of 1 to 100 characters."), code="no_key")
    method = Method.CARD if card is not None else Method.PAD
    extra = card.last4 if card is not None else f"{getattr(agreement, 'pk', '')}:{debit_date}"
    fingerprint = _fingerprint(method, rows, extra)
    existing = _replay(user, key, fingerprint)
    if existing is not None:
        return existing, False
    try:
        lines = build(who, rows)
    except ValidationError:  # e.g. "nothing is owing": a twin with the same key may have just paid it
        existing = _replay(user, key, fingerprint)
        if existing is None:
            raise
        return existing, False
    if card is not None:
        fields = {
            "card_token": card.token,
            "card_brand": card.brand,
            "card_last4": card.last4,
            "card_expiry": card.expiry,
        }
    else:
        _check_pad(agreement, lines, debit_date)
        fields = {"status": Status.SCHEDULED, "pad_agreement": agreement, "scheduled_for": debit_date}
    try:
        with transaction.atomic():
            if card is not None:
                for line in sorted(lines, key=lambda line: line.program_account.pk):
                    ledger_of(line.program_account, lock=True)
                _check_card_limit(lines)
            payment = Payment.objects.create(
                reference=new_reference(),
                method=method,
                amount=sum(line.amount for line in lines),
                requested_by=user,
                submitted_by_business=acting(who, lines[0].program_account)[0],
                idempotency_key=key,
                fingerprint=fingerprint,
                channel=channel,
                **fields,
            )
            for line in lines:
                row = PaymentLine.objects.create(
                    payment=payment,
                    program_account=line.program_account,
                    kind=line.kind,
                    amount=line.amount,
                    purpose=line.purpose,
                )
                row.chosen.set(line.chosen)
            _audit("payments.requested", payment, request, user, method=method)
    except IntegrityError:  # the same key at the same moment (a double click): the first one stands
        existing = _replay(user, key, fingerprint)
        if existing is None:
            raise
        return existing, False
    if card is not None:
        _charge(payment, request)
        payment.refresh_from_db()
    return payment, True


# Payments into something of an app above payments: {prefix of the line's purpose: (paid, returned)}.
_PURPOSES = {}


def register_purpose(prefix: str, *, paid, returned) -> None:
    """An app above payments takes payments for something of its own (security: a cash deposit).
    `paid(line)` runs in the transaction that completes the payment (instead of a ledger credit),
    `returned(line)` in the one that records a PAD debit returned NSF."""
    _PURPOSES[prefix] = (paid, returned)


def _handlers(line):
    return _PURPOSES[line.purpose.split(":", 1)[0]]


def pay_for(who, account, amount, purpose: str, *, key, **how) -> tuple[Payment, bool]:
    """Pay `amount` on `account` for `purpose` (registered with register_purpose) by card or PAD
    (`how`: request_payment's card, agreement, debit_date, request, channel): the same idempotency,
    card limit and reconciliation as a payment of debts, but no ledger credit."""
    if purpose.split(":", 1)[0] not in _PURPOSES:
        raise ValueError(f"no app registered payments for {purpose!r}")
    rights.require(who, rights.Action.PAY, account, request=how.get("request"))
    row = {"program_account": account.number, "kind": Kind.DEPOSIT, "amount": str(amount), "purpose": purpose}

    def build(_who, _rows):
        return [LineRequest(account, Kind.DEPOSIT, as_amount(amount), purpose=purpose)]

    return request_payment(who, [row], key=key, build=build, **how)


def _charge(payment, request=None):
    gw = gateway()
    try:
        charge = gw.authorize(payment.card_token, payment.amount, key=payment.reference)
        if charge.status == "authorized":
            charge = gw.capture(charge.charge_id)
    except GatewayError as error:
        _fail_softly(payment, Status.PENDING, "gateway_timeout", str(error), request)
        return
    _apply(payment, charge, request)


def _apply(payment, charge: Charge, request=None):
    """Act on what the gateway says happened to the payment's charge."""
    if charge.status == "captured":
        try:
            complete(payment, charge.charge_id, request=request)
        except DatabaseError as error:  # charged, not posted: reconciliation posts it
            _fail_softly(payment, Status.PENDING, "posting_failed", str(error), request)
    elif charge.status == "requires_action":
        _set(payment, Status.REQUIRES_ACTION, request, gateway_charge=charge.charge_id)
    elif charge.status == "declined":
        _set(payment, Status.DECLINED, request, gateway_charge=charge.charge_id, failure_code=charge.decline_code)
    else:  # authorized but not captured yet, or unknown: left for reconciliation
        _fail_softly(payment, Status.PENDING, "not_captured", charge.status, request)


def _set(payment, status, request=None, **fields):
    """From the status `payment` was read in: Conflict if another writer moved it first."""
    transitions.move(payment, status, **fields)
    payment.refresh_from_db()
    _audit(f"payments.{status}", payment, request, code=payment.failure_code)


def _fail_softly(payment, status, code, message, request=None):
    """Record an unanswered or unfinished payment for reconciliation (if the database lets us)."""
    try:
        _set(payment, status, request, failure_code=code, failure_message=message[:200])
    except DatabaseError:
        pass  # still INITIATED: reconciliation finds it by age
    except transitions.Conflict:
        pass  # another writer (reconciliation, the payer's retry) already recorded its outcome


def complete(payment, charge_id: str = "", *, day: dt.date | None = None, request=None) -> Payment:
    """Post the payment's credits and allocate them, in one transaction with its move to COMPLETED.
    Runs once: a payment already posted is returned as it is."""
    day = day or timezone.localdate()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status in POSTED:
            return payment
        for line in payment.lines.select_related("program_account"):
            if line.purpose:
                _handlers(line)[0](line)
                continue
            line.entry = post_entry(
                line.program_account,
                EntryType.PAYMENT,
                -line.amount,
                effective_date=day,
                source_key=f"PAY:{payment.reference}",
                reference=payment.reference,
                description=f"{Method(payment.method).label} {payment.reference}"[:200],
                submitted_by_business=payment.submitted_by_business,
                posted_by=payment.requested_by,
                request=request,
            )
            line.save(update_fields=["entry"])
            chosen = line.chosen.all()
            offsetting.allocate_credit(line.entry, day, chosen if chosen.exists() else None)
        transitions.move(
            payment,
            Status.COMPLETED,
            gateway_charge=charge_id or payment.gateway_charge,
            completed_at=timezone.now(),
            failure_code="",
            failure_message="",
        )
        _audit("payments.completed", payment, request, payment.requested_by)
    return payment


def authenticate(payment, request=None) -> Payment:
    """The payer passed the 3-D Secure challenge: authorize, capture and post."""
    if payment.status != Status.REQUIRES_ACTION:
        return payment
    gw = gateway()
    try:
        charge = gw.authenticate(payment.gateway_charge)
        if charge.status == "authorized":
            charge = gw.capture(charge.charge_id)
    except GatewayError as error:
        _fail_softly(payment, Status.PENDING, "gateway_timeout", str(error), request)
    else:
        _apply(payment, charge, request)
    payment.refresh_from_db()
    return payment


def _due_for_reconciliation(payment, now) -> bool:
    """An unanswered payment once it cannot still be in flight (settings.CARM_PAYMENT_RECONCILE_AFTER
    seconds), or a 3-D Secure check the payer left unfinished (settings.CARM_PAYMENT_3DS_EXPIRY seconds)."""
    age = (now - payment.created_at).total_seconds()
    if payment.method != Method.CARD:
        return False
    if payment.status == Status.REQUIRES_ACTION:
        return age >= settings.CARM_PAYMENT_3DS_EXPIRY
    return payment.status in UNRESOLVED and age >= settings.CARM_PAYMENT_RECONCILE_AFTER


def reconcile(payment, now=None) -> Payment:
    """Resolve a card payment against what the gateway says happened to its charge."""
    if not _due_for_reconciliation(payment, now or timezone.now()):
        return payment
    gw = gateway()
    try:
        charge = gw.look_up(payment.reference)
        if charge is not None and charge.status == "authorized":
            charge = gw.capture(charge.charge_id)
    except GatewayError:
        return payment  # the next run asks again
    if charge is None:
        _set(payment, Status.FAILED, failure_code="not_charged", failure_message="The gateway has no charge.")
    elif charge.status == "captured":
        try:
            complete(payment, charge.charge_id)
        except ValidationError as error:  # the charge cannot be posted (account closed): give it back
            gw.refund(charge.charge_id)
            _set(payment, Status.FAILED, failure_code="refunded", failure_message=error.messages[0][:200])
    elif charge.status == "requires_action" and payment.status == Status.REQUIRES_ACTION:
        _set(payment, Status.FAILED, failure_code="authentication_expired", failure_message="3-D Secure not done.")
    else:
        _apply(payment, charge)
    payment.refresh_from_db()
    record("payments.reconciled", obj=payment, after={"reference": payment.reference, "status": payment.status})
    return payment


def reconcile_pending(now=None) -> int:
    """Every card payment waiting for an answer (the scheduled task and the command): how many changed."""
    waiting = Payment.objects.filter(method=Method.CARD, status__in=[*UNRESOLVED, Status.REQUIRES_ACTION])
    changed = 0
    for payment in waiting:
        before = payment.status
        changed += reconcile(payment, now).status != before
    return changed


# Pre-authorized debit ------------------------------------------------------------------------------


def current_agreement_text() -> PadAgreementText:
    return PadAgreementText.objects.order_by("-version").first()


def set_up_agreement(user, program_account, details: dict, *, request=None) -> PadAgreement:
    """A BAM or PAM (Action.MANAGE_BANKING, checked by the caller) accepts the current PAD agreement text.
    `details`: holder_name, institution, transit, account_number (validated by the model) and text_version,
    the version of the text the payer read and accepted."""
    text = current_agreement_text()
    if text is None or text.version != details["text_version"]:
        raise ValidationError(
            _("The PAD agreement changed: read the current version and accept it again."), code="stale_text"
        )
    agreement = PadAgreement(
        program_account=program_account,
        holder_name=details["holder_name"],
        institution=details["institution"],
        transit=details["transit"],
        account_number=details["account_number"],
        agreement_text=text,
        accepted_by=user,
    )
    agreement.full_clean()
    agreement.save()
    record(
        "payments.pad_agreement_created",
        actor=user,
        request=request,
        obj=agreement,
        **rights.audit_context(request or user, program_account.business),
        after={
            "account": program_account.number,
            "bank": f"{agreement.institution}-{agreement.transit}",
            "account_number": agreement.masked_account,
            "text_version": text.version,
        },
    )
    return agreement


def cancel_agreement(user, agreement, request=None) -> PadAgreement:
    with transaction.atomic():
        agreement = PadAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.cancelled_at is None:
            agreement.cancelled_at = timezone.now()
            agreement.save(update_fields=["cancelled_at"])
            agreement.payments.filter(status=Status.SCHEDULED).update(status=Status.CANCELLED)
            record("payments.pad_agreement_cancelled", actor=user, request=request, obj=agreement)
    return agreement


def _check_pad(agreement, lines, debit_date):
    """A PAD pays the account of an agreement in force, on a date from tomorrow to a year ahead."""
    today = timezone.localdate()
    if agreement is None or not agreement.is_active:
        raise ValidationError(_("Choose a PAD agreement in force."), code="no_agreement")
    if any(line.program_account != agreement.program_account for line in lines):
        raise ValidationError(
            _("A pre-authorized debit pays only the program account of its agreement."), code="other_account"
        )
    if debit_date is None or not today < debit_date <= today + dt.timedelta(days=365):
        raise ValidationError(_("Choose a debit date from tomorrow to one year ahead."), code="bad_date")


def submit_due_pads(day: dt.date) -> list[Payment]:
    """The debits of the day go to the bank: their credits are posted on their date."""
    due = Payment.objects.filter(method=Method.PAD, status=Status.SCHEDULED, scheduled_for__lte=day)
    return [complete(payment, day=payment.scheduled_for) for payment in due]


def settle_pad(payment, outcome: str, day: dt.date, request=None) -> Payment:
    """The bank's answer for a PAD debit: settled, or returned NSF, which reverses exactly the
    credits the payment created (and shows on the account as a returned payment)."""
    if outcome not in ("settled", "nsf"):
        raise ValidationError(_("The outcome must be settled or nsf."), code="bad_outcome")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.method != Method.PAD or payment.status != Status.COMPLETED:
            return payment
        if outcome == "nsf":
            for line in payment.lines.select_related("entry", "program_account"):
                if line.purpose:
                    _handlers(line)[1](line)
                    continue
                line.return_entry = post_entry(
                    line.program_account,
                    EntryType.REVERSAL,
                    -line.entry.amount,
                    effective_date=day,
                    due_date=day,
                    source_key=f"NSF:{payment.reference}",
                    reference=payment.reference,
                    description=f"Payment returned (NSF) {payment.reference}",
                    reverses=line.entry,
                    request=request,
                )
                line.save(update_fields=["return_entry"])
            transitions.move(payment, Status.RETURNED, failure_code="nsf")
        else:
            transitions.move(payment, Status.SETTLED)
        _audit("payments.pad_returned" if outcome == "nsf" else "payments.pad_settled", payment, request)
    return payment

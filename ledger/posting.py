"""post_entry / post_entries: the one way money enters the ledger. Declarations, payments, interest,
penalties, offsetting and refunds all call them: one entry, or a batch (the bulk mode the nightly
runs take), by the same rules, locks and audit."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import record_many
from core import bulk  # COPY on PostgreSQL

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
    cents = amount.quantize(CENT) if amount.is_finite() else None
    if cents is None or amount != cents:
        raise ValidationError(_("The amount must be in whole cents."), code="not_cents")
    if amount == 0:
        raise ValidationError(_("The amount must not be zero."), code="zero")
    return cents


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
    posting = {name: value for name, value in locals().items() if name != "request"}  # the arguments
    return post_entries([posting], request=request)[0]


def post_entries(
    postings: list[dict],
    *,
    request=None,
    batch: dict | None = None,
    locked=None,
    save=(),
    save_all=None,
    audit: list[dict] = (),
) -> list[LedgerEntry]:
    """Append many entries at once (a batch of CADs, a nightly run), each dict holding post_entry's
    arguments, by the same rules: amounts in cents, closed-period redating, due dates, idempotent by
    (account, source key). Each ledger account is locked once (`lock_ledgers`: in a fixed order, so
    concurrent batches cannot deadlock; a caller that already holds the locks passes them as
    `locked`; `save` names LedgerAccount fields it changed on them, `save_all` maps fields to the
    one value they all get, both written with the balances), the source keys already posted are
    read in one query, the entries inserted in one statement (core.bulk: COPY on PostgreSQL), the
    balances moved in one update and the audit trail written: one entry per ledger entry, or with
    `batch` ({"action": ..., **summary}) one entry for the whole batch listing the new entries' ids
    (the nightly runs). `audit`: more audit records (record_many's dicts) the caller would write in
    the same transaction, written after the entries' own in the same insert (a batch of CADs: their
    declarations.submitted). Returns the entries in the order of `postings` (for a source key already
    posted: that entry)."""
    postings = [_checked(**posting) for posting in postings]
    if not postings and not ((save or save_all) and locked):  # nothing to insert, no ledger row to write
        if audit:
            record_many(list(audit), request=request)
        return []
    accounts = {posting["program_account"].pk for posting in postings}
    # No savepoint (two round trips): an error inside leaves a caller's transaction unusable, never half done.
    with transaction.atomic(savepoint=False):
        ledgers = locked if locked is not None else lock_ledgers(accounts)
        keys = {(posting["program_account"].pk, posting["source_key"]) for posting in postings}
        entries = {(entry.program_account_id, entry.source_key): entry for entry in _posted(keys)} if keys else {}
        calendar, new, result = [], [], []
        for posting in postings:
            key = (posting["program_account"].pk, posting["source_key"])
            if key not in entries:
                entries[key] = _entry(posting, ledgers[key[0]], calendar)
                new.append(entries[key])
            result.append(entries[key])
        bulk.insert(LedgerEntry, new)
        added = defaultdict(Decimal)
        for entry in new:
            added[entry.program_account_id] += entry.amount
        _move_balances(
            [ledger for ledger in ledgers.values() if save or save_all or ledger.program_account_id in added],
            added,
            save,
            save_all or {},
        )
        if batch is None or new or audit:
            record_many([*_audit_records(new, batch), *audit], request=request)
        if any(entry.entry_type == EntryType.PAYMENT or entry.reverses_id for entry in new):
            from .interest import recalculate_for  # a payment dated earlier, or one dishonoured

            recalculate_for(new, request=request)
    return result


def lock_ledgers(account_ids, *conditions) -> dict[int, LedgerAccount]:
    """The ledger accounts of these program accounts (made on their first entry), locked in pk
    order (one query on PostgreSQL, core.bulk.among); with `conditions` only the rows matching them
    (none made)."""
    ids, ledgers = sorted(account_ids), {}
    for among in bulk.among("program_account", ids):
        rows = (
            LedgerAccount.objects.select_for_update(of=("self",))
            .filter(among, *conditions)
            .select_related("program_account")
        )
        ledgers.update((ledger.program_account_id, ledger) for ledger in rows.order_by("pk"))
    if not conditions:
        for account_id in sorted(set(ids) - set(ledgers)):
            ledger, _created = LedgerAccount.objects.get_or_create(program_account_id=account_id)
            ledgers[account_id] = LedgerAccount.objects.select_for_update().get(pk=ledger.pk)
    return ledgers


def _posted(keys: set[tuple[int, str]]) -> list[LedgerEntry]:
    """The entries already posted under these (program account id, source key) pairs (a nightly run
    asks for thousands of accounts: one query on PostgreSQL, core.bulk.among)."""
    accounts, sources = sorted({account for account, _key in keys}), sorted({key for _a, key in keys})
    found = []
    for among in bulk.among("program_account", accounts):
        rows = LedgerEntry.objects.filter(among, source_key__in=sources)
        found.extend(entry for entry in rows if (entry.program_account_id, entry.source_key) in keys)
    return found


def posted_keys(keys: set[tuple[int, str]]) -> set[tuple[int, str]]:
    return {(entry.program_account_id, entry.source_key) for entry in _posted(keys)}


def _move_balances(ledgers: list[LedgerAccount], added: dict[int, Decimal], save, save_all: dict) -> None:
    """Move the running balances by `added` (program account id → amount) and write the `save`
    fields of the ledger rows and the `save_all` values, in one update."""
    for ledger in ledgers:
        ledger.balance += added.get(ledger.program_account_id, 0)
        for field, value in save_all.items():
            setattr(ledger, field, value)
    bulk.update(
        LedgerAccount,
        [ledger.pk for ledger in ledgers],
        {
            "balance": [added.get(ledger.program_account_id, Decimal(0)) for ledger in ledgers],
            **{field: [getattr(ledger, field) for ledger in ledgers] for field in save},
        },
        add={"balance"},
        same=save_all,
    )


def _checked(program_account, entry_type, amount, *, source_key, explanation=None, **details) -> dict:
    amount = as_amount(amount)
    if program_account is None or program_account.pk is None:
        raise ValidationError(_("Unknown program account."), code="unknown_account")
    if not program_account.is_active:
        raise ValidationError(
            _("Program account %(number)s is closed.") % {"number": program_account.number}, code="account_closed"
        )
    if not source_key:
        raise ValidationError(_("A source document is required."), code="no_source")
    return {
        "program_account": program_account,
        "entry_type": entry_type,
        "amount": amount,
        "source_key": source_key,
        "explanation": {} if explanation is None else explanation,  # copied by _entry if it changes it
        **details,
    }


def _entry(posting: dict, ledger: LedgerAccount, calendar: list) -> LedgerEntry:
    """The entry to insert, dated into the open period; `calendar` holds the holiday calendar once
    a due date needed it (read once per batch). `posting` is _checked's own dict: changed in place."""
    effective_date = posting["effective_date"]
    if ledger.closed_through and effective_date <= ledger.closed_through:
        posting["explanation"] = {**posting["explanation"], "document_date": effective_date.isoformat()}
        effective_date = posting["effective_date"] = ledger.closed_through + dt.timedelta(days=1)
    period_end = billing_cycle.billing_period(effective_date)[1]
    if posting.get("due_date") is None:
        if posting["entry_type"] in DUE_AT_ONCE or posting["amount"] < 0:
            posting["due_date"] = effective_date
        else:
            if not calendar:
                calendar.append(holiday_calendar())
            posting["due_date"] = billing_cycle.payment_due_date(period_end, calendar[0])
    return LedgerEntry(billing_period_end=period_end, **posting)


def _audit_records(new: list[LedgerEntry], batch: dict | None) -> list[dict]:
    """One audit record per new entry, or with `batch` one for them all listing their ids."""
    if batch is None:
        return [_audited(entry) for entry in new]
    if not new:
        return []
    summary = dict(batch)
    return [{"action": summary.pop("action"), "after": {**summary, "entry_ids": [entry.pk for entry in new]}}]


def _audited(entry: LedgerEntry) -> dict:
    business = entry.submitted_by_business
    return {
        "action": "ledger.posted",
        "actor": entry.posted_by,
        "obj": entry,
        "actor_business": business.bn9 if business else "",
        "after": {
            "account": entry.program_account.number,
            "type": entry.entry_type,
            "amount": str(entry.amount),
            "source": entry.source_key,
            "date": entry.effective_date.isoformat(),
        },
    }


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

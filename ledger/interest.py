"""Interest on overdue amounts and the late-payment penalty, posted by the nightly run.

Interest: compounded daily at the prescribed rate (a dated table, InterestRate), or the specified
rate (prescribed + 6 %) after a demand. Each night posts one day of interest on what is overdue at
the end of that day; the interest entry is due at once, so it is itself overdue the next day:
that is the daily compounding. Fractions of a cent are carried to the next day, never lost.
Late payment (AMPS C336, settings.CARM_LATE_PAYMENT_PENALTY per instance): once per statement
whose amount due is still unpaid after its due date.

The nightly run takes the bulk path (`accrue_all`): one grouped query finds the overdue accounts and
their overdue principal, the rate is read once, the entries are built in memory and written with
bulk_create in one transaction that also moves each running balance, and the run is audited once
(accounts, entries, total). Each entry keeps its explanation. `accrue_interest` is the same rule for
one account, through post_entry. The penalties are posted the same way (`late_payment_penalties`):
one query for the statements due, one for what is still overdue, the entries written together."""

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import record

from . import balances, billing_cycle
from .models import EntryType, InterestRate, LedgerAccount, LedgerEntry, Statement
from .posting import CENT, as_amount, ledger_of, post_entry

SPECIFIED_RATE_PREMIUM = Decimal("6")
DAYS_IN_YEAR = 365


def prescribed_rate(day: dt.date) -> Decimal:
    rate = InterestRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rate is None:
        raise ImproperlyConfigured(f"no prescribed interest rate in effect on {day}")
    return rate.prescribed_rate


def source_key(day: dt.date) -> str:
    return f"INT:{day.isoformat()}"


def _one_day(ledger: LedgerAccount, day: dt.date, overdue: Decimal, prescribed: Decimal):
    """(amount to post, carry left, explanation) for one account's day of interest."""
    specified = ledger.demand_issued_on is not None and day > ledger.demand_issued_on
    rate = prescribed + SPECIFIED_RATE_PREMIUM if specified else prescribed
    exact = overdue * rate / 100 / DAYS_IN_YEAR + ledger.interest_carry
    posted = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    explanation = {
        "principal": str(overdue),
        "days": 1,
        "rate": str(rate),
        "rate_kind": "specified" if specified else "prescribed",
        "exact": str(exact),
        "carried_in": str(ledger.interest_carry),
    }
    return posted, (exact - posted).quantize(Decimal("1e-8")), explanation


def accrue_interest(program_account, day: dt.date, overdue: Decimal):
    """One day of interest on `overdue` for one account, through post_entry; idempotent (the
    account remembers the last day done)."""
    with transaction.atomic():
        ledger = ledger_of(program_account, lock=True)
        if ledger.interest_through and ledger.interest_through >= day:
            return None
        posted, carry, explanation = _one_day(ledger, day, overdue, prescribed_rate(day))
        entry = None
        if posted:
            entry = post_entry(
                program_account,
                EntryType.INTEREST,
                posted,
                effective_date=day,
                due_date=day,
                source_key=source_key(day),
                description="Interest",
                explanation=explanation,
            )
            ledger.refresh_from_db(fields=["balance"])
        ledger.interest_through, ledger.interest_carry = day, carry
        ledger.save(update_fields=["interest_through", "interest_carry"])
    return entry


CHUNK = 2000


def _save_ledgers(ledgers, added: dict[int, Decimal], day: dt.date | None = None):
    """Move the running balances by `added` (program account id → amount) and, for an interest run
    (`day`), write its progress. PostgreSQL: one UPDATE … FROM unnest of arrays; elsewhere one
    prepared UPDATE per row (bulk_update's CASE expressions cost more than the rest of the run)."""
    if not ledgers:
        return
    table = connection.ops.quote_name(LedgerAccount._meta.db_table)
    zero = Decimal("0.00")
    progress = day is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS l SET balance = l.balance + v.added"
                + (", interest_through = %s, interest_carry = v.carry" if progress else "")
                + " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS v(id, added, carry) WHERE l.id = v.id",
                [
                    *([day] if progress else []),
                    [ledger.pk for ledger in ledgers],
                    [added.get(ledger.program_account_id, zero) for ledger in ledgers],
                    [ledger.interest_carry for ledger in ledgers],
                ],
            )
            return
        rows = [(added.get(ledger.program_account_id, zero), ledger) for ledger in ledgers]
        if progress:
            cursor.executemany(
                f"UPDATE {table} SET balance = balance + %s, interest_through = %s, interest_carry = %s WHERE id = %s",
                [(amount, day, ledger.interest_carry, ledger.pk) for amount, ledger in rows],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET balance = balance + %s WHERE id = %s",
                [(amount, ledger.pk) for amount, ledger in rows],
            )


ENTRY_COLUMNS = [
    "program_account_id", "entry_type", "amount", "effective_date", "due_date", "billing_period_end",
    "source_key", "transaction_number", "document_version", "reference", "description", "explanation", "posted_at",
]  # fmt: skip


def _write_entries(entries: list[LedgerEntry]) -> None:
    """PostgreSQL: COPY (bulk_create's UNNEST arrays make psycopg quote every explanation: seconds for
    20,000). The entries are then not given their ids; nothing in the run needs them."""
    if connection.vendor != "postgresql" or len(entries) < 100:
        LedgerEntry.objects.bulk_create(entries, batch_size=CHUNK)
        return
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
            for e in entries:
                copy.write_row(
                    (
                        e.program_account_id, e.entry_type, e.amount, e.effective_date, e.due_date,
                        e.billing_period_end, e.source_key, e.transaction_number, e.document_version, e.reference,
                        e.description, json.dumps(e.explanation), e.posted_at,
                    )
                )  # fmt: skip


def _locked_ledgers(ids, *conditions):
    """The active accounts' ledger rows among `ids`, locked in id order (a concurrent post_entry on
    one of them waits for the run), a chunk at a time."""
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield from (
            LedgerAccount.objects.select_for_update()
            .filter(*conditions, program_account__in=ids[start : start + CHUNK], program_account__is_active=True)
            .select_related("program_account")
            .order_by("pk")
        )


def _holding(keys: dict[int, str]) -> set[tuple[int, str]]:
    """The (program account id, source key) pairs of `keys` already posted, a chunk at a time."""
    ids, held = sorted(keys), set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        held.update(
            LedgerEntry.objects.filter(program_account__in=chunk, source_key__in={keys[a] for a in chunk}).values_list(
                "program_account", "source_key"
            )
        )
    return held & set(keys.items())


def _entry(ledger: LedgerAccount, entry_type: EntryType, amount: Decimal, day: dt.date, **fields) -> LedgerEntry:
    """An entry of a bulk run for `day`, dated as post_entry would: the first day of the open period
    when `day` is closed (its own date kept in the explanation). Due the day it is dated unless told."""
    effective = day
    if ledger.closed_through and day <= ledger.closed_through:
        fields["explanation"]["document_date"] = day.isoformat()
        effective = ledger.closed_through + dt.timedelta(days=1)
    fields.setdefault("due_date", effective)
    return LedgerEntry(
        program_account_id=ledger.program_account_id,
        entry_type=entry_type,
        amount=amount,
        effective_date=effective,
        billing_period_end=billing_cycle.billing_period(effective)[1],
        **fields,
    )


def accrue_all(overdue: dict[int, Decimal], day: dt.date) -> list[LedgerEntry]:
    """One day of interest for every account in `overdue` (program account id → overdue principal),
    in one transaction: accounts already done for `day` (interest_through) or holding the day's
    source key are skipped, so running twice changes nothing. Closed accounts draw no entry."""
    if not overdue:
        return []
    prescribed = prescribed_rate(day)
    key = source_key(day)
    entries, changed = [], []
    with transaction.atomic():
        ledgers = list(_locked_ledgers(overdue, Q(interest_through__isnull=True) | Q(interest_through__lt=day)))
        done = {account for account, _key in _holding({ledger.program_account_id: key for ledger in ledgers})}
        for ledger in ledgers:
            account = ledger.program_account_id
            posted, carry, explanation = _one_day(ledger, day, overdue[account], prescribed)
            if posted and account not in done:
                entries.append(
                    _entry(
                        ledger,
                        EntryType.INTEREST,
                        posted,
                        day,
                        due_date=day,
                        source_key=key,
                        description="Interest",
                        explanation=explanation,
                    )
                )
                ledger.balance += posted
            elif account in done:
                carry = ledger.interest_carry  # posted already (one account at a time): keep its carry
            ledger.interest_through, ledger.interest_carry = day, carry
            changed.append(ledger)
        now = timezone.now()
        for entry in entries:
            entry.posted_at = now
        _write_entries(entries)
        _save_ledgers(changed, {e.program_account_id: e.amount for e in entries}, day)
        if changed:
            record(
                "ledger.interest_run",
                after={
                    "day": day.isoformat(),
                    "rate": str(prescribed),
                    "accounts": len(changed),
                    "entries": len(entries),
                    "total": str(sum((e.amount for e in entries), Decimal("0.00"))),
                    "source": key,
                },
            )
    return entries


def late_payment_penalties(day: dt.date) -> int:
    """C336 for each statement due the day before `day` whose account still has it overdue, in bulk:
    one query finds the statements, one the overdue amounts, the entries are written together and the
    run is audited once. Idempotent by source key (C336:<period end>); closed accounts draw none."""
    due = Statement.objects.filter(due_date=day - dt.timedelta(days=1), amount_due__gt=0, version=1)
    periods = dict(due.values_list("program_account", "period_end"))
    unpaid = balances.overdue(list(periods), day)
    owing = {account: period for account, period in periods.items() if unpaid[account] > 0}
    if not owing:
        return 0
    amount = as_amount(settings.CARM_LATE_PAYMENT_PENALTY)
    entries = []
    with transaction.atomic():
        ledgers = list(_locked_ledgers(owing))
        keys = {ledger.program_account_id: f"C336:{owing[ledger.program_account_id].isoformat()}" for ledger in ledgers}
        done = _holding(keys)
        now = timezone.now()
        for ledger in ledgers:
            account = ledger.program_account_id
            if (account, keys[account]) in done:
                continue
            explanation = {
                "contravention": "C336",
                "statement_due_date": (day - dt.timedelta(days=1)).isoformat(),
                "overdue": str(unpaid[account]),
            }
            entries.append(
                _entry(
                    ledger,
                    EntryType.PENALTY,
                    amount,
                    day,
                    source_key=keys[account],
                    reference="C336",
                    description="Late payment penalty (AMPS C336)",
                    explanation=explanation,
                    posted_at=now,
                )
            )
        _write_entries(entries)
        posted = {e.program_account_id: amount for e in entries}
        _save_ledgers([ledger for ledger in ledgers if ledger.program_account_id in posted], posted)
        if entries:
            record(
                "ledger.penalty_run",
                after={
                    "day": day.isoformat(),
                    "contravention": "C336",
                    "entries": len(entries),
                    "total": str(amount * len(entries)),
                    "accounts": sorted(e.program_account_id for e in entries),
                },
            )
    return len(entries)


def nightly_run(day: dt.date) -> int:
    """Interest for `day` on every overdue account, then the penalties. Returns the interest entries."""
    overdue = balances.overdue(LedgerAccount.objects.values("program_account"), day)
    posted = len(accrue_all(overdue, day))
    late_payment_penalties(day)
    return posted

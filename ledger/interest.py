"""Interest on overdue amounts and the C336 late-payment penalty (the nightly run, with catch-up),
and the one interest rule the rest of the portal uses (`interest_owed`).

The rule, checked at the source:
- Overdue amounts draw the *specified* rate, the prescribed rate + 6 percentage points, "from the day
  after the amount became payable until it is paid" (D11-6-5 para. 2) — not only after a demand, as
  this module once had it. Customs Act s.33.4(1)(a), in force 21 Oct 2024 (laws-lois.justice.gc.ca,
  eng/acts/C-52.6.xml): "calculated on the outstanding balance ... for the period beginning on the day
  after the prescribed day and ending on the day on which the amount has been paid in full"; a time
  "expressed to ... end ... on ... a specified day ... includes that day" (Interpretation Act s.27(3),
  eng/acts/I-21.xml). So the day of a payment draws interest on what was owed at its start: each
  day's interest is on what fell due before it and was still owed at the end of the day before (a
  payment counts from the next day), as `interest_owed` counts the day paid.
- The prescribed rate instead where the Minister applies it (D11-6-5 para. 3 and Appendix B): here,
  an adjustment the importer files of its own volition before CBSA acts (App. B item 1) — the
  interest on a CAD adjustment, `RateKind.PRESCRIBED`. Interest CBSA pays on refunds is at the
  prescribed rate too (D11-6-5 para. 1); the portal does not pay refund interest yet.
- Rates: a quarter's prescribed rate as published, to 4 decimals (models.InterestRate), or computed
  from the Treasury Bill auctions by SOR/86-1121 (`rate_from_auctions`); a day with no rate stops
  the run (ImproperlyConfigured) rather than guess.
- Compounded daily (D11-6-5; CBSA's interest calculator computes "Daily Specified" and "Daily
  Prescribed" interest) on a 365-day year. Rounding: CBSA publishes no rounding rule we could find;
  each day's interest is rounded half up to the cent and the fraction carried to the next day, so
  nothing is lost or invented. Each night posts one day; the entry is due at once, so it is itself
  overdue the next night: that is the daily compounding, and `interest_owed` steps the same way.

C336 (AMPS; its amount from `late_payment_amount`: the penalties catalogue through its hook, else
settings.CARM_LATE_PAYMENT_PENALTY): once per statement whose amount due was still unpaid at the end
of its due date, so a payment made the day after is late (cbsa-asfc.gc.ca/trade-commerce/amps/
contraventions-infractions/c336-eng.html, Guidelines 1.1: "fails to pay the B3 transactions on the
SOA, in full, by the date specified"; SOR/86-1062 s.10.1: pay "by the 10th weekday after the end of
that period"; Customs Act s.33(2)). Everything posts through ledger.posting (the nightly runs in its
bulk mode). A payment credited with an earlier payment date, or dishonoured (NSF), makes
`recalculate_for` post the difference for the days already run (new entries, never edits); the
night of its return, and of what a recalculation posted, counts them from the day's start (`owed_at_start`)."""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.services import record

from . import balances, posting
from .models import (
    NIGHT_ENTRIES,
    Allocation,
    EntryType,
    InterestRate,
    LedgerAccount,
    LedgerEntry,
    LedgerRun,
    Statement,
)

SPECIFIED_RATE_PREMIUM = Decimal("6")  # D11-6-5 para. 2: prescribed rate + 6 percentage points
DAYS_IN_YEAR = 365
CARRY = Decimal("1e-8")


class RateKind(models.TextChoices):
    SPECIFIED = "specified", _("specified rate")  # Customs Act s.33.4(1); D11-6-5 para. 2
    PRESCRIBED = "prescribed", _("prescribed rate")  # D11-6-5 para. 3, Appendix B


class Rates:
    """The published rates, read once: `annual(day, kind)` in % a year."""

    def __init__(self):
        self.rows = list(InterestRate.objects.order_by("-effective_from"))

    def annual(self, day: dt.date, kind: RateKind = RateKind.SPECIFIED) -> Decimal:
        row = next((row for row in self.rows if row.effective_from <= day), None)
        if row is None or (row.effective_to is not None and row.effective_to < day):
            raise ImproperlyConfigured(f"no published prescribed interest rate for {day}: add its quarter")
        premium = SPECIFIED_RATE_PREMIUM if kind == RateKind.SPECIFIED else 0
        return row.prescribed_rate + premium


def auction_month(first_day: dt.date) -> dt.date:
    """The first month of the quarter before the one starting `first_day`: its Treasury Bill
    auctions set the quarter's prescribed rate (SOR/86-1121; Q3 2018 from April 2018)."""
    index = first_day.year * 12 + first_day.month - 1 - 3
    return dt.date(index // 12, index % 12 + 1, 1)


def rate_from_auctions(yields: list[Decimal]) -> Decimal:
    """A quarter's prescribed rate from the average equivalent yields (% a year) of the Government of
    Canada Treasury Bills maturing about three months after issue sold at the auctions of its
    auction month: their simple arithmetic mean (Interest Rate for Customs Purposes Regulations,
    SOR/86-1121, as quoted by CBSA's brief and the regulation's summary), kept to the 4 decimals CBSA
    publishes, half up [DESIGN: the regulation's rounding for this rate was not read]."""
    if not yields or any(not y.is_finite() or y < 0 for y in yields):
        raise ValueError("give each auction's average yield, % a year, not negative")
    return (sum(yields) / len(yields)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def add_quarter(first_day: dt.date, rate: Decimal, source: str) -> InterestRate:
    """A quarter's prescribed rate as published: 4 decimals at most (CBSA message TCC18-049: "will be
    1.1583"), from 0 to 100 %, a quarter not already loaded. Audited."""
    if not rate.is_finite() or rate != rate.quantize(Decimal("0.0001")) or not 0 <= rate < 100:
        raise ValueError("a rate is % a year with at most 4 decimals")
    if not source.strip():
        raise ValueError("say where the rate was published")
    last_day = (first_day.replace(month=first_day.month + 2, day=28) + dt.timedelta(days=4)).replace(day=1)
    last_day -= dt.timedelta(days=1)
    with transaction.atomic():
        if InterestRate.objects.filter(effective_from__lte=last_day, effective_to__gte=first_day).exists():
            raise ValueError(f"the quarter starting {first_day} is already loaded")
        row = InterestRate.objects.create(
            effective_from=first_day, effective_to=last_day, prescribed_rate=rate, source=source.strip()[:300]
        )
        record("ledger.interest_rate_added", obj=row, after={"from": str(first_day), "rate": str(rate)})
    return row


# The AMPS catalogue lives above the ledger: penalties registers the C336 amount from its ready().
_late_payment_source = None


def register_late_payment_amount(source) -> None:
    """`source()` gives the C336 amount (a Decimal)."""
    global _late_payment_source
    _late_payment_source = source


def late_payment_amount() -> Decimal:
    return posting.as_amount(_late_payment_source() if _late_payment_source else settings.CARM_LATE_PAYMENT_PENALTY)


def one_day(principal: Decimal, rate: Decimal, carry: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(posted, carry out, exact) for a day of interest on `principal` at `rate` % a year."""
    exact = principal * rate / 100 / DAYS_IN_YEAR + carry
    posted = exact.quantize(posting.CENT, rounding=ROUND_HALF_UP)
    return posted, (exact - posted).quantize(CARRY), exact


def interest_owed(principal: Decimal, due: dt.date, paid: dt.date, kind: RateKind = RateKind.SPECIFIED) -> Decimal:
    """The interest on `principal` payable on `due` and paid on `paid`: each day from the day after
    `due` to `paid`, as the nightly run posts it (the day's interest joins the principal the next day)."""
    rates, total, carry = Rates(), Decimal("0.00"), Decimal(0)
    day = due + dt.timedelta(days=1)
    while day <= paid:
        posted, carry, _exact = one_day(principal + total, rates.annual(day, kind), carry)
        total += posted
        day += dt.timedelta(days=1)
    return total


def source_key(day: dt.date) -> str:
    return f"INT:{day.isoformat()}"


def _explained(principal, rate, exact, carry_in) -> dict:
    return {
        "principal": str(principal),
        "days": 1,
        "rate": str(rate),
        "rate_kind": RateKind.SPECIFIED.value,
        "exact": str(exact),
        "carried_in": str(carry_in),
        "rule": "Customs Act s.33.4(1); D11-6-5 para. 2",
    }


def accrue_all(overdue: dict[int, Decimal], day: dt.date) -> list[LedgerEntry]:
    """One day of interest for every account in `overdue` (program account id → overdue principal),
    in one transaction, through the posting API's bulk mode (audited once, with the entry ids).
    Accounts already done for `day` (interest_through) are skipped and the posting API posts a
    source key once, so running twice changes nothing. Closed accounts draw no entry."""
    if not overdue:
        return []
    rate = Rates().annual(day)
    key = source_key(day)
    with transaction.atomic(savepoint=False):  # inside nightly_run: a failure undoes the whole night
        not_done = Q(interest_through__isnull=True) | Q(interest_through__lt=day)
        ledgers = posting.lock_ledgers(overdue, not_done, Q(program_account__is_active=True))
        postings = []
        for account, ledger in ledgers.items():
            posted, carry, exact = one_day(overdue[account], rate, ledger.interest_carry)
            if posted:
                postings.append(
                    {
                        "program_account": ledger.program_account,
                        "entry_type": EntryType.INTEREST,
                        "amount": posted,
                        "effective_date": day,
                        "due_date": day,
                        "source_key": key,
                        "description": "Interest",
                        "explanation": _explained(overdue[account], rate, exact, ledger.interest_carry),
                    }
                )
            ledger.interest_carry = carry
        return posting.post_entries(
            postings,
            locked=ledgers,
            save=("interest_carry",),  # where each account's interest got to
            save_all={"interest_through": day},
            batch={
                "action": "ledger.interest_run",
                "day": day.isoformat(),
                "rate": str(rate),
                "rate_kind": RateKind.SPECIFIED.value,
                "accounts": len(ledgers),
                "entries": len(postings),
                "total": str(sum((p["amount"] for p in postings), Decimal("0.00"))),
                "source": key,
            },
        )


def owed_at_start(accounts, day: dt.date) -> dict[int, Decimal]:
    """Per program account id: what was overdue at the start of `day` (the nightly interest; C336 the
    day after a due date): what fell due before it and was still owed at the end of the day before, a
    payment counting from the day after it. What the entries dated `day` show only from the next day
    but was owed before it counts too, as `_recalculate` counts it: a payment dishonoured on `day` (its
    NSF return) never paid (Customs Act s.33.4(1): interest until "paid in full"; D11-6-5 para. 2), and
    what a recalculation posted on `day`, tonight's date (its interest, the C336 it charged or took back)."""
    before = day - dt.timedelta(days=1)
    owed = balances.overdue(accounts, day, paid_by=before)
    # NIGHT_ENTRIES, as the partial index ledger_entry_night holds them (no scan of the ledger a night);
    # of the reversals, those of a payment or a C336 count.
    tonight = LedgerEntry.objects.filter(
        NIGHT_ENTRIES, program_account__in=accounts, effective_date=day
    ).select_related("reverses")
    shown = defaultdict(Decimal)
    for entry in tonight:
        if entry.reverses_id and entry.reverses.entry_type == EntryType.PAYMENT:
            corrections = _dishonoured(entry.reverses, entry)
            shown[entry.program_account_id] += sum(c.amount for c in corrections if c.counts(day, before))
        elif entry.source_key.startswith("INTFIX:") or "C336" in (entry.reference, _reversed_reference(entry)):
            shown[entry.program_account_id] += entry.amount
    if shown:  # most nights none: no second reading of the sums
        # From the unclamped figure: a credit may offset part of what they add.
        raw = balances.overdue(list(shown), day, floor=None, paid_by=before)
        owed.update((account, max(raw[account] + amount, balances.ZERO)) for account, amount in shown.items())
    return owed


def _reversed_reference(entry) -> str:
    return entry.reverses.reference if entry.reverses_id else ""


def late_payment_penalties(day: dt.date) -> int:
    """C336 for each statement due the day before `day` whose account had something overdue at the
    end of that due date (paid the day after is late), in one batch of the posting API (audited
    once). Idempotent by source key (C336:<period end>); closed accounts draw none."""
    due_date = day - dt.timedelta(days=1)
    due = Statement.objects.filter(due_date=due_date, amount_due__gt=0, version=1)
    periods = dict(due.values_list("program_account", "period_end"))
    if not periods:  # most nights no statement fell due the day before: nothing to read
        return 0
    unpaid = owed_at_start(list(periods), day)
    owing = {account: period for account, period in periods.items() if unpaid[account] > 0}
    if not owing:
        return 0
    with transaction.atomic(savepoint=False):  # as accrue_all
        ledgers = posting.lock_ledgers(owing, Q(program_account__is_active=True))
        keys = {account: _penalty_key(owing[account]) for account in ledgers}
        done = posting.posted_keys(set(keys.items()))
        postings = [
            _penalty(ledger.program_account, day, unpaid[account], keys[account])
            for account, ledger in ledgers.items()
            if (account, keys[account]) not in done
        ]
        amount = late_payment_amount()
        posting.post_entries(
            postings,
            locked=ledgers,
            batch={
                "action": "ledger.penalty_run",
                "day": day.isoformat(),
                "contravention": "C336",
                "entries": len(postings),
                "total": str(amount * len(postings)),
                "accounts": sorted(p["program_account"].pk for p in postings),
            },
        )
    return len(postings)


def _penalty_key(period_end: dt.date) -> str:
    return f"C336:{period_end.isoformat()}"


def _penalty(program_account, day: dt.date, overdue: Decimal, key: str) -> dict:
    """post_entry's arguments for C336 charged on `day`, the day after the statement's due date."""
    return {
        "program_account": program_account,
        "entry_type": EntryType.PENALTY,
        "amount": late_payment_amount(),
        "effective_date": day,
        "source_key": key,
        "reference": "C336",
        "description": "Late payment penalty (AMPS C336)",
        "explanation": {
            "contravention": "C336",
            "statement_due_date": (day - dt.timedelta(days=1)).isoformat(),
            "overdue": str(overdue),
        },
    }


def nightly_run(day: dt.date) -> int:
    """Interest for `day` on every overdue account, then the penalties, then the day's run marker.
    Returns the interest entries."""
    with transaction.atomic():
        posted = len(accrue_all(owed_at_start(LedgerAccount.objects.values("program_account"), day), day))
        late_payment_penalties(day)
        # The day's marker unless it is there (one statement: ON CONFLICT DO NOTHING).
        LedgerRun.objects.bulk_create([LedgerRun(job=LedgerRun.Job.INTEREST, day=day)], ignore_conflicts=True)
    return posted


def last_run() -> dt.date | None:
    run = LedgerRun.objects.filter(job=LedgerRun.Job.INTEREST).order_by("-day").first()
    return run.day if run else None


def catch_up(through: dt.date, progress=None) -> int:
    """The nightly run for every day since the last one finished, up to `through` (just `through`
    the first time), each day with its run marker in one transaction: a missed night is caught up,
    and running again posts nothing twice. Returns the interest entries posted; `progress(done,
    total)` hears of each day (the workbench's progress bar)."""
    last = last_run()
    first = last + dt.timedelta(days=1) if last else through
    days = [first + dt.timedelta(days=n) for n in range((through - first).days + 1)]
    posted = 0
    for done, day in enumerate(days, 1):
        posted += nightly_run(day)
        if progress:
            progress(done, len(days))
    return posted


# --- payments dated when paid -----------------------------------------------------------------------


def recalculate_for(entries: list[LedgerEntry], request=None) -> None:
    """Called by the posting API for new payments and reversals. A payment whose payment date is a
    day before the last the nightly run did (a bank or EDI payment credited late, a remittance dated
    earlier) counts from the day after that date; a dishonoured payment (its NSF reversal) never
    counted. For each account touched, the interest and C336 of the days already run are recalculated
    as if the ledger had always stood so, and the difference posted as new entries (D11-6-5 para. 2:
    interest runs until the amount "is paid"; a dishonoured payment pays nothing)."""
    last = last_run()
    if last is None:
        return
    for entry in entries:
        if entry.entry_type == EntryType.PAYMENT:
            paid = _paid_on(entry)
        elif entry.reverses_id and entry.reverses.entry_type == EntryType.PAYMENT:
            paid = _paid_on(entry.reverses)
        else:
            continue
        if paid < last:  # a payment counts from the day after it: the days run up to `paid` stand
            ledger = LedgerAccount.objects.get(program_account_id=entry.program_account_id)
            corrections = _payment_corrections(ledger.program_account, paid)
            _recalculate(ledger, paid, last, corrections, entry, request)


def _paid_on(payment: LedgerEntry) -> dt.date:
    """The day a payment was made: its document date when it was credited into a closed period."""
    return dt.date.fromisoformat(payment.explanation.get("document_date", payment.effective_date.isoformat()))


def _payment_corrections(account, since: dt.date) -> list:
    """What the entries do not show of every payment on the account whose entry or return the window
    from `since` reaches, not only the one that triggered the recalculation (an earlier recalculation's
    days are replaced, so what it knew must be said again): a payment credited into a closed period
    counts from the day it was paid, not from its entry's date; a dishonoured payment (reversed) never
    counted, though the entries show it from its date until its reversal counts, with what it cleared
    of debits not yet due (balances.overdue's `cleared`). Each payment once: no day counts it twice."""
    payments = account.ledger_entries.filter(entry_type=EntryType.PAYMENT).filter(
        Q(effective_date__gte=since) | Q(reversals__effective_date__gte=since)
    )
    corrections = []
    for payment in payments.distinct().prefetch_related("reversals"):
        back = next(iter(payment.reversals.all()), None)  # reversed once: its NSF return
        if back is None:
            corrections.append(Correction(payment.amount, paid=(_paid_on(payment), payment.effective_date)))
        else:
            corrections += _dishonoured(payment, back)
    return corrections


def _dishonoured(payment: LedgerEntry, back: LedgerEntry) -> list:
    """What the entries show of a payment `back` reversed that they should not: the payment from its
    date (never before: paid into a closed period, it was not there) until its reversal, which counts
    from the day after its own date, with what it cleared of debits not yet due."""
    returned = back.effective_date
    return [
        Correction(-payment.amount, paid=(payment.effective_date, returned)),
        *(
            Correction(
                -a.amount,
                paid=(a.cleared_on, returned),
                days=(dt.date.min, a.debit.due_date + dt.timedelta(days=1)),
            )
            for a in Allocation.objects.filter(credit=payment).select_related("debit")
        ),
    ]


class Correction(NamedTuple):
    """An amount the entries do not show (`_recalculate`): counted on a day in `days` whose payments,
    counted up to a day in `paid`, do not show it (each range from..until−1). A day's interest counts
    the payments up to the day before, as C336 counts the due date's (`balances.overdue`'s `paid_by`)."""

    amount: Decimal
    paid: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max)
    days: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max)

    def counts(self, day: dt.date, paid_by: dt.date) -> bool:
        return self.paid[0] <= paid_by < self.paid[1] and self.days[0] <= day < self.days[1]


def _recalculate(ledger, since: dt.date, last: dt.date, corrections: list, trigger: LedgerEntry, request) -> None:
    """Interest and C336 from `since` to the last day run, from the entries as they now stand plus
    `corrections` (what the entries do not show). The nightly amounts and earlier recalculations of
    those days are replaced by the difference."""
    account = ledger.program_account
    posted_on = last + dt.timedelta(days=1)  # tonight's date: after every day recalculated
    nightly = {
        dt.date.fromisoformat(e.source_key[4:]): e
        for e in account.ledger_entries.filter(entry_type=EntryType.INTEREST, source_key__startswith="INT:")
    }
    nightly = {day: entry for day, entry in nightly.items() if since <= day <= last}
    # Earlier recalculations: their days in this window (replaced), and the sum of their days before it,
    # owed from the day after each though the entries show it only from the fix's own date.
    fixes = [
        (
            fix,
            {d: Decimal(v) for d, v in fix.explanation["days"].items() if dt.date.fromisoformat(d) >= since},
            sum(Decimal(v) for d, v in fix.explanation["days"].items() if dt.date.fromisoformat(d) < since),
        )
        for fix in account.ledger_entries.filter(source_key__startswith="INTFIX:")
    ]
    penalties = _penalties_due(account, since, last)
    rates = Rates()
    carry = Decimal(nightly[since].explanation["carried_in"]) if since in nightly else Decimal(0)
    recalculated, days, day = Decimal(0), {}, since

    def truth(day: dt.date, paid_by: dt.date) -> Decimal:
        """What is overdue on `day` counting the payments up to `paid_by`, had the ledger always stood so."""
        raw = balances.overdue([account.pk], day, floor=None, paid_by=paid_by).get(account.pk, balances.ZERO)
        # The window's interest the entries count on `day`, replaced by the amounts recalculated.
        counted = [deltas for fix, deltas, _before in fixes if _counted(fix, day, paid_by)]
        replaced = sum(entry.amount for entry in nightly.values() if _counted(entry, day, paid_by))
        replaced += sum(sum(deltas.values()) for deltas in counted)
        unseen = sum(before for fix, _deltas, before in fixes if not _counted(fix, day, paid_by))
        shown = sum(correction.amount for correction in corrections if correction.counts(day, paid_by))
        return raw - replaced + recalculated + unseen + shown

    while day <= last:
        overdue = truth(day, day - dt.timedelta(days=1))  # as the nightly run: owed at the day's start
        statement = penalties.get(day)
        if statement is not None:  # C336 on what was unpaid at the end of the due date, the day before
            corrections += _penalty_fix(account, statement, day, overdue, posted_on, trigger, request)
        new, carry, _exact = one_day(max(overdue, balances.ZERO), rates.annual(day), carry)
        latest = nightly[day].amount if day in nightly else 0
        latest += sum(deltas.get(day.isoformat(), 0) for _fix, deltas, _before in fixes)
        if new != latest:
            days[day.isoformat()] = str(new - latest)
        recalculated += new
        day += dt.timedelta(days=1)
    difference = sum((Decimal(v) for v in days.values()), Decimal("0.00"))
    if difference:
        posting.post_entry(
            account,
            EntryType.INTEREST if difference > 0 else EntryType.REVERSAL,
            difference,
            effective_date=posted_on,
            source_key=f"INTFIX:{trigger.source_key}",
            reference=trigger.reference,
            description="Interest recalculated: payment dated when paid"
            if trigger.entry_type == EntryType.PAYMENT
            else "Interest recalculated: payment dishonoured",
            explanation={
                "trigger": trigger.source_key,
                "from": since.isoformat(),
                "to": last.isoformat(),
                "days": days,
                "rule": "Customs Act s.33.4(1); D11-6-5 para. 2",
            },
            request=request,
        )
    LedgerAccount.objects.filter(pk=ledger.pk).update(interest_carry=carry)


def _counted(entry: LedgerEntry, day: dt.date, paid_by: dt.date) -> bool:
    """Whether balances.overdue(day, paid_by=paid_by) counts the entry: a debit after its due date, a
    credit from its date."""
    return entry.due_date < day if entry.amount > 0 else entry.effective_date <= paid_by


def _penalties_due(account, since: dt.date, last: dt.date) -> dict:
    """Day after the due date → the statement, for the statements whose C336 day was run and whose
    due date the window reaches (C336 looks at the end of the due date: a change from the day after
    cannot alter it)."""
    due = Statement.objects.filter(program_account=account, version=1, amount_due__gt=0, due_date__gte=since).filter(
        due_date__lt=last
    )
    return {statement.due_date + dt.timedelta(days=1): statement for statement in due}


def _penalty_fix(account, statement, day: dt.date, overdue: Decimal, posted_on: dt.date, trigger, request) -> list:
    """Charge or take back the statement's C336 as `overdue` (at the end of its due date) says; returns
    the corrections the change makes to the days after `day` (the penalty falls due on `day`)."""
    charges = account.ledger_entries.filter(entry_type=EntryType.PENALTY, reference="C336").filter(
        source_key__startswith=_penalty_key(statement.period_end)
    )
    charged = charges.filter(reversals__isnull=True).first()
    after = (day + dt.timedelta(days=1), dt.date.max)
    if charged:
        # The entries show it after its own due date: `day` for the nightly's, later for a charge
        # an earlier recalculation made, though owed from `day` all the same.
        shown = charged.due_date + dt.timedelta(days=1)
        if overdue > 0:
            return [Correction(charged.amount, days=(after[0], shown))]
        posting.reverse_entry(charged, effective_date=posted_on, request=request)  # paid on time after all
        return [Correction(-charged.amount, days=(shown, dt.date.max))]
    if overdue > 0:  # the payment that settled it was dishonoured
        key = _penalty_key(statement.period_end)
        if posting.posted_keys({(account.pk, key)}):
            key = f"{key}:{trigger.source_key}"
        fields = _penalty(account, day, overdue, key) | {"effective_date": posted_on}
        entry = posting.post_entry(**fields, request=request)
        # A charge taken back earlier still shows from its due date until its reversal: not owed twice there.
        shown = [
            Correction(
                -old.amount,
                paid=(dt.date.min, back.effective_date),
                days=(old.due_date + dt.timedelta(days=1), dt.date.max),
            )
            for old in charges.prefetch_related("reversals")
            for back in old.reversals.all()
        ]
        return [Correction(entry.amount, days=after), *shown]
    return []

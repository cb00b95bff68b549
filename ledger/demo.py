"""The ledger's part of the demo story of Maple Leaf Imports (RM0001, RM0002): the prescribed
interest rate (`seed`) and the ledger's days (`replay`). Every assessment comes from a real CAD: the
declarations demo replays its ten months through `replay`, submitting its CADs on their days before
the ledger's jobs of the day run: Maple's payment of each statement (on the 28th), the clearing, the
nightly interest and penalties, and the statements (on the 25th, for the period ending the 17th), so
statements close in date order. Maple pays the ninth month's RM0001 statement short and the tenth
month's statements are still to pay: an overdue amount with interest and the C336 penalty.

The story is written in 2025 (January to October, the dates below) and played `months` later
(`shifted`): seed_demo places it so that today is inside it or just after it (`months_later`), and
`manage.py catch_up` runs the ledger's nights from its last day played to today. Idempotent through source keys
and the ledger's own run markers; safe to run again."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from . import interest, offsetting, statements
from .balances import cents
from .models import EntryType, InterestRate, LedgerEntry, Statement
from .posting import post_entry

# Illustrative prescribed rate for the demo only; officers keep the real quarterly rates in the admin.
DEMO_RATE = (dt.date(2025, 1, 1), Decimal("7.000"))
PAYMENT_DAY, CLOSING_DAY = 28, 25
STORY_FIRST, STORY_LAST = dt.date(2025, 1, 1), dt.date(2025, 10, 31)  # the story as written
LAST_PAID_PERIOD = dt.date(2025, 9, 17)  # October's statements are due on the story's last day
SHORT_PAYMENTS = {("123456782RM0001", dt.date(2025, 9, 17)): Decimal("5000.00")}


def shifted(day: dt.date, months: int) -> dt.date:
    """A date of the story as written, `months` later: the same day of the month (the story's days
    are the 28th at most), or the last day of the month for the story's last day."""
    index = day.year * 12 + day.month - 1 + months
    first = dt.date(index // 12, index % 12 + 1, 1)
    if day == STORY_LAST:
        return (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=day.day)


def months_later(today: dt.date) -> int:
    """How much later than written the story plays when loaded on `today`: its last month is the
    current one once its statements have closed (the 25th has passed: they are due in days), else
    the month before (its statements closed, due at the start of this month)."""
    current = today.year * 12 + today.month - 1
    last = current if today.day > CLOSING_DAY else current - 1
    return last - (STORY_LAST.year * 12 + STORY_LAST.month - 1)


def seed(stdout=None):
    InterestRate.objects.get_or_create(effective_from=DEMO_RATE[0], defaults={"prescribed_rate": DEMO_RATE[1]})
    if stdout:
        stdout.write("  prescribed interest rate (the ledger's history comes with the declarations demo)")


def replay(
    accounts, first: dt.date, last: dt.date, events: Callable[[dt.date], None] = lambda day: None, months: int = 0
):
    """Each day from `first` to `last`: the day's `events` (documents posted that day), then the
    ledger's day for `accounts` (of the story played `months` later than written)."""
    day = first
    while day <= last:
        events(day)
        ledger_day(accounts, day, months)
        day += dt.timedelta(days=1)
    statements.daily_notices(timezone.localdate())  # some apps' demos post entries today


def ledger_day(accounts, day: dt.date, months: int = 0) -> None:
    for account in accounts:
        if day.day == PAYMENT_DAY:
            _pay_statement(account, day, months)
        offsetting.clear_account(account, day)
    interest.nightly_run(day)
    if day.day == CLOSING_DAY:
        statements.close_period(day.replace(day=17))


def _pay_statement(account, day: dt.date, months: int) -> None:
    """Maple pays, by online banking, the amount due of the statement issued this month and what fell
    due since (a penalty, interest: due at once), so nothing is left overdue."""
    period = day.replace(day=17)
    statement = Statement.objects.filter(program_account=account, period_end=period, version=1).first()
    if statement is None or statement.amount_due <= 0 or period > shifted(LAST_PAID_PERIOD, months):
        return
    since = LedgerEntry.objects.filter(
        program_account=account, effective_date__gt=period, amount__gt=0, due_date__lte=day
    ).aggregate(total=Sum("amount"))["total"]
    post_entry(
        account,
        EntryType.PAYMENT,
        -SHORT_PAYMENTS.get((account.number, shifted(period, -months)), statement.amount_due + cents(since)),
        effective_date=day,
        source_key=f"PAY:{account.number}:{day:%Y%m}",
        reference=f"EFT-{day:%Y%m}-{account.number[-4:]}",
        description="Online banking payment",
    )

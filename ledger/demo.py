"""A few months of plausible ledger history for Maple Leaf Imports (RM0001, RM0002): assessments,
payments, a correction, interest and statements. Idempotent through source keys; safe to run again."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from businesses.models import Business, ProgramAccount

from . import interest, offsetting, statements
from .models import EntryType, InterestRate
from .posting import post_entry, reverse_entry

# Illustrative prescribed rate for the demo only; officers keep the real quarterly rates in the admin.
DEMO_RATE = (dt.date(2025, 1, 1), Decimal("7.000"))
MONTHS = [(2025, 1), (2025, 2), (2025, 3), (2025, 4)]


def _history(account, broker, salt):
    for month_index, (year, month) in enumerate(MONTHS):
        for n, day in enumerate((3, 12, 21)):
            number = f"1{salt}{year % 100:02d}{month:02d}{day:02d}{n:05d}"[:14]
            amount = Decimal(1200 + 375 * n + 41 * month_index + 600 * salt) + Decimal("0.35") * (n + 1)
            yield dict(
                program_account=account,
                entry_type=EntryType.ASSESSMENT,
                amount=amount,
                effective_date=dt.date(year, month, day),
                source_key=f"CAD:{number}:00001",
                transaction_number=number,
                document_version="00001",
                submitted_by_business=broker,
                description="Commercial accounting declaration",
            )
        if (year, month) != MONTHS[-1]:
            yield dict(
                program_account=account,
                entry_type=EntryType.PAYMENT,
                amount=-(Decimal(4000 + 1800 * salt)),
                effective_date=dt.date(year, month, 28),
                source_key=f"PAY:{account.number}:{year}{month:02d}",
                reference=f"EFT-{year}{month:02d}-{salt}",
                description="Online banking payment",
            )


def seed(stdout=None):
    maple = Business.objects.filter(bn9="123456782").first()
    if maple is None:
        return
    broker = Business.objects.filter(bn9="123026635").first()
    InterestRate.objects.get_or_create(effective_from=DEMO_RATE[0], defaults={"prescribed_rate": DEMO_RATE[1]})
    accounts = list(ProgramAccount.objects.filter(number__in=["123456782RM0001", "123456782RM0002"]))
    for salt, account in enumerate(accounts, start=1):
        entries = [post_entry(**fields) for fields in _history(account, broker, salt)]
        reverse_entry(entries[1], effective_date=dt.date(2025, 1, 15))
    day = dt.date(2025, 1, 1)
    while day <= dt.date(2025, 4, 30):
        for account in accounts:
            offsetting.clear_account(account, day)
        interest.nightly_run(day)
        if day.day == 25:
            statements.close_period(dt.date(day.year, day.month, 17))
        day += dt.timedelta(days=1)
    statements.daily_notices(timezone.localdate())  # entries are posted today
    if stdout:
        stdout.write(f"  ledger history for {len(accounts)} program accounts")

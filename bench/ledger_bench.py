"""Ledger at scale: statement close of one period, a transaction-history page of the busiest
account, and the nightly interest run, each beside a bare SQL aggregate over the same rows.

Entries are bulk-inserted (not through post_entry) so the data set builds quickly; the timed
operations are the real services. The database is emptied of ledger rows it created (accounts
under BN9 9xxxxxxxx) at the start, and migrated first.

    python bench/ledger_bench.py [--accounts N] [--entries N] [--database-url URL]
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'ledger_bench.sqlite3'}")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    accounts, busiest = build(args.accounts, args.entries)
    from django.core.paginator import Paginator

    from ledger import interest, statements
    from ledger.models import InterestRate, LedgerEntry

    InterestRate.objects.get_or_create(effective_from=dt.date(2024, 1, 1), defaults={"prescribed_rate": Decimal("7")})
    end = dt.date(2025, 4, 17)
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(
            "SELECT program_account_id, SUM(amount), COUNT(*) FROM ledger_ledgerentry "
            "WHERE effective_date <= %s GROUP BY program_account_id",
            [end],
        )
        cursor.fetchall()
        bare = time.perf_counter() - start
    start = time.perf_counter()
    issued = statements.close_period(end, accounts=accounts)
    close = time.perf_counter() - start
    start = time.perf_counter()
    page = Paginator(
        LedgerEntry.objects.filter(program_account=busiest)
        .select_related("submitted_by_business")
        .order_by("-effective_date", "-id"),
        50,
    ).get_page(2)
    list(page.object_list)
    history = time.perf_counter() - start
    start = time.perf_counter()
    posted = interest.nightly_run(dt.date(2025, 5, 2))
    nightly = time.perf_counter() - start
    print(
        f"{connection.vendor}: {len(accounts)} accounts, {LedgerEntry.objects.filter(program_account__in=accounts).count()} entries"
    )
    print(f"bare aggregate      {bare * 1000:9.1f} ms")
    print(
        f"close period        {close * 1000:9.1f} ms  ({len(issued)} statements, {close / bare:.1f}× the bare aggregate)"
    )
    print(f"history page 2      {history * 1000:9.1f} ms  (busiest account)")
    print(f"nightly interest    {nightly * 1000:9.1f} ms  ({posted} interest entries)")


def build(n_accounts, n_entries):
    """Fresh accounts (BN9 9xxxxxxxx, a bench-only range) with entries over Jan–Apr 2025; a few
    accounts get most of the volume, as brokers' clients do."""
    from django.db import transaction

    from businesses.models import Business, ProgramAccount
    from ledger.billing_cycle import billing_period
    from ledger.models import LedgerAccount, LedgerEntry

    rng = random.Random(7)
    with transaction.atomic():
        run = Business.objects.filter(bn9__startswith="9").count()
        business = Business.objects.create(
            bn9=f"9{run:08d}",
            legal_name="Bench Imports",
            address_line="1 Main",
            city="Ottawa",
            province="ON",
            postal_code="K1A0A1",
        )
        accounts = ProgramAccount.objects.bulk_create(
            ProgramAccount(business=business, number=f"{business.bn9}RM{i:04d}", account_type="importer")
            for i in range(n_accounts)
        )
        accounts = list(ProgramAccount.objects.filter(business=business))
        weights = [1 / (i + 1) for i in range(n_accounts)]
        totals = dict.fromkeys((a.pk for a in accounts), Decimal(0))
        rows = []
        for n in range(n_entries):
            account = rng.choices(accounts, weights)[0]
            day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(120))
            payment = rng.random() < 0.25
            amount = Decimal(rng.randrange(1000, 500_000)) / 100 * (-1 if payment else 1)
            period_end = billing_period(day)[1]
            rows.append(
                LedgerEntry(
                    program_account=account,
                    entry_type="payment" if payment else "assessment",
                    amount=amount,
                    effective_date=day,
                    due_date=day if payment else period_end + dt.timedelta(days=14),
                    billing_period_end=period_end,
                    source_key=f"B:{n}",
                    transaction_number=f"{n:014d}",
                )
            )
            totals[account.pk] += amount
        LedgerEntry.objects.bulk_create(rows, batch_size=5000)
        LedgerAccount.objects.bulk_create(
            LedgerAccount(program_account_id=pk, balance=total) for pk, total in totals.items()
        )
    return accounts, accounts[0]


if __name__ == "__main__":
    main()

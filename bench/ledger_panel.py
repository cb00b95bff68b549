"""The officer workbench's ledger panel (workbench.panels.ledger) for a business with a long history:
its balances read from the running balance (balances.running, this code) against the sum of every
entry (balances.balances, the code before), the two called alternately in one process on the same
data, `--rounds` each: the balances read alone and the whole panel (with its overdue column, unchanged),
wall medians, and the figures checked equal.

The data set is built outside the timed part: one bench-only business (BN9 7xxxxxxxx) with
`--accounts` importer accounts and `--entries` entries over five years, a few dated after today, written
with bulk_create and each account's running balance set to their sum; a staff user with a revenue
officer's appointment reads the panel through the rights kernel, as the 360 page does. The bench wants a
database of its own; `--reuse` measures again on the last run's data.

    createdb -h 127.0.0.1 -U postgres carm_hst_panel
    python bench/ledger_panel.py --entries 200000 --database-url postgres://postgres@127.0.0.1:5432/carm_hst_panel
    python bench/ledger_panel.py --reuse --database-url postgres://postgres@127.0.0.1:5432/carm_hst_panel

Figures (5 December 2026, 2 shared vCPUs, PostgreSQL 15, 200,000 entries on 3 accounts, 9 rounds
alternated, two runs; load average 7.7 and 7.5): the balances read 143.0 / 94.9 ms (old) -> 2.3 / 1.0 ms
(new); the whole panel 333.6 / 213.6 ms -> 183.9 / 127.0 ms. What the panel still spends is its overdue
column (balances.overdue sums the entries up to today), unchanged here.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BN9 = "700000000"


def build(n_accounts: int, n_entries: int):
    from bench.bench_accounts import analyze, make_accounts
    from ledger.models import EntryType, LedgerAccount, LedgerEntry

    accounts = list(make_accounts(n_accounts, digit="7", name="Panel bench"))
    today, rng = dt.date.today(), random.Random(14)
    totals = dict.fromkeys((account.pk for account in accounts), Decimal(0))

    def entries():
        for n in range(n_entries):
            account = accounts[n % n_accounts]
            day = today - dt.timedelta(days=rng.randint(-30, 5 * 365))  # some after today
            amount = Decimal(rng.randint(-50_000, 200_000) or 1) / 100
            totals[account.pk] += amount
            kind = EntryType.PAYMENT if amount < 0 else EntryType.ASSESSMENT
            yield LedgerEntry(
                program_account=account,
                entry_type=kind,
                amount=amount,
                effective_date=day,
                due_date=day + dt.timedelta(days=30),
                billing_period_end=day,
                source_key=f"panel-bench-{n}",
            )

    LedgerEntry.objects.bulk_create(entries(), batch_size=5000)
    ledgers = (LedgerAccount(program_account_id=pk, balance=total) for pk, total in totals.items())
    LedgerAccount.objects.bulk_create(ledgers)
    analyze(LedgerEntry)


def officer():
    from accounts.models import User
    from rights.models import OfficerAppointment

    user, made = User.objects.get_or_create(email="panel-bench@cbsa.example", defaults={"is_staff": True})
    if made:
        OfficerAppointment.objects.create(user=user, role="revenue", reason="bench")
    return user


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from businesses.models import Business, ProgramAccount
    from ledger import balances
    from ledger.models import LedgerEntry
    from workbench import panels

    call_command("migrate", verbosity=0)
    if not args.reuse:
        if Business.objects.filter(bn9__startswith="7").exists():
            sys.exit("bench data already here: --reuse, or a new database")
        build(args.accounts, args.entries)
    business, who = Business.objects.get(bn9=BN9), officer()
    count = LedgerEntry.objects.filter(program_account__business=business).count()
    running = balances.running

    def summed(accounts, on_day=None):  # the panel's read before this change
        return balances.balances(accounts, on_day)

    accounts = ProgramAccount.objects.visible_to(who).filter(business=business)  # as the panel reads them
    figures = {(name, part): [] for name in ("old", "new") for part in ("balances", "panel")}
    shown = {}
    for _round in range(args.rounds):
        for name, read in (("old", summed), ("new", running)):
            wall = time.perf_counter()
            dict(read(accounts))
            figures[name, "balances"].append((time.perf_counter() - wall) * 1000)
            balances.running = read
            wall = time.perf_counter()
            rows = panels.ledger(business, who)["rows"]
            figures[name, "panel"].append((time.perf_counter() - wall) * 1000)
            balances.running = running
            shown[name] = [(row["account"].number, row["balance"], row["overdue"]) for row in rows]
    assert shown["old"] == shown["new"], shown
    load = os.getloadavg()[0]
    print(f"{count} entries, {args.accounts} accounts, {args.rounds} rounds alternated; load {load:.1f}")
    for (name, part), walls in figures.items():
        print(f"{name} {part:8s} wall median {statistics.median(walls):7.1f} ms (min {min(walls):6.1f})")


if __name__ == "__main__":
    main()

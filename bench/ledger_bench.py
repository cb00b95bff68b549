"""Ledger at scale: statement close of one period, transaction-history pages of the busiest
account, and the nightly interest run (then again: idempotent), beside a bare SQL aggregate over the
same rows (best of three).

The data set is built outside the timed part: accounts under bench-only BN9s (9xxxxxxxx, at most
9,999 RM accounts each), entries skewed 1/rank over `--months` months from January 2025, written
with COPY on PostgreSQL (bulk_create elsewhere). The bench wants a database of its own: it empties the
ledger tables first and refuses to when they hold entries of any other business. `--reuse` measures
again on the last run's data (the close is then a reissue).

Every period before the timed one is closed first (untimed), as the monthly task would have: the
timed close opens from the previous statements and reads one period's entries. `--first-close`
times instead the close with no previous statement (the whole history summed: go-live, once). Besides
the bare aggregate over all entries up to the period's end (the reference of the issue's 3x target),
it prints one over the period's entries only (what the close must read at least).

    python bench/ledger_bench.py [--accounts N] [--entries N] [--months M] [--reuse] [--first-close]
        [--database-url URL]

Figures: 2 shared vCPUs, other helpers' test suites running beside it (load average in brackets);
PostgreSQL 15, default settings; 20,000 accounts, 2.02 million entries, 12 months, close of the
period ending 2025-12-17 (20,000 statements):

    createdb -h 127.0.0.1 -U postgres carm_bench_led_full
    python bench/ledger_bench.py --accounts 20000 --entries 2000000 --months 12 \
        --database-url postgres://postgres@127.0.0.1:5432/carm_bench_led_full

    postgresql: 20000 accounts, 2019293 entries (85 s to generate)
    bare aggregate          566.4 ms  (entries up to 2025-12-17)
    bare period agg.        202.5 ms  (entries of 2025-11-18 to 2025-12-17 only)
    close period           1130.6 ms  (20000 statements, 2.0× the bare aggregate, 5.6× the period's; ...)
    history pages       4.2, 2.9, 13.2 ms  (pages 1, 2, 40 of the busiest account, 190584 entries)
    nightly interest       3062.2 ms  (19293 interest entries, 2026-01-06)
    nightly again           923.3 ms  (0 entries: idempotent)

    close ÷ bare aggregate    before (opening re-summed)    after (opening from the previous statement)
    fresh data                3.9× [1.1-3.7], 3.5× [4.7]    1.7× [1.2], 2.1× [4.7-5.7], 3.0× [3-4],
                                                            2.5× [3.1], 2.0× [2.9]
    --reuse (a reissue)       3.5× [4.1]                    2.6× [4.1]
    --first-close             (as fresh data: every close   3.5× [4-5]
                              summed the history)

The close is one parallel aggregate over the period's rows (and the debits not yet due), the
previous statements' closing balances, COPY of the statements and the closed_through update (kept:
payments reads it). The last two "after" runs write COPY's text directly instead of adapting each
value (0.18 s less for 20,000 statements). An INSERT … SELECT building the JSON and its SHA-256 in
SQL was tried and was slower (an INSERT gets no parallel plan). Nightly interest posts 19,293
entries, not 20,000: overdue nets the payments not yet applied (the bench runs no clearing), so
accounts whose payments cover their debts owe no interest. One road into the ledger (issue #14:
the nightly run posts through ledger.posting's bulk mode, one statement close on every database,
core.bulk the one writer), 4 December 2026, 5,000 accounts / 504,861 entries, main's code
(1f25da0) and this code alternately in one session, load average 10-16 (others' benches running):
close 1374, 765 ms (main) / 1871, 1158 ms (this); nightly interest 3189, 2395 / 4912, 2940 ms;
again 1093, 845 / 1599, 1416 ms. In-process alternation on the same data (rolled back, 3 each):
close 1477-2507 / 1650-2592 ms, nightly 4550-5566 / 4612-5978 ms: within the noise, not shown
to be as fast. Earlier figures (before the bulk
nightly run and keyset pages): close 21.8 s (25.6x), history pages 360-575 ms, nightly interest 17.9 s.

Nightly interest against 1f25da0 (issue #14's last part, 5 December 2026, 5,000 accounts / 504,861
entries). Not the triggers: pgtrigger's, like the hand-written ones, fire on UPDATE/DELETE only. The
causes: core.bulk.insert evaluated pg_get_serial_sequence once per id (15-50 ms); the ledger locks
went as IN lists of 2,000 ids (built by Django, split by psycopg, parsed and planned by PostgreSQL:
now one `= ANY(array)`, core.bulk.among); two savepoints and a get_or_create per night; a pre_save
call per column per entry; and a heap grown by numpy and the stemmers (tariff.search, now imported
when first asked) for the run's one full garbage collection to walk. bench/nightly_compare.py, both
trees alternately on one database (rolled back; median of 3 rounds x 3, new ÷ old): before the fix
nightly 1.17 wall, 1.07 Python CPU, 1.02 PostgreSQL backend CPU [load 10] (two databases); after it
0.90, 1.01, 0.97 [load 7-8], 1.10, 1.04, 1.01 [load 3.5] and 1.11, 1.06, 1.01 [load 6] (wall times of
one tree spread 570-1470 ms in one session); the re-run 0.91, 0.99 and 0.94 wall, 0.56-0.58 Python
CPU. At par on the server; the Python side still 4-8 % over (the posting API's checks, ~9 ms, and
the larger heap's garbage collection): not shown to be faster. This bench, fresh data,
old/new/old/new [load 7-8]: nightly 1996 / 1391 / 1225 / 1294 ms, again 499 / 386 / 358 / 355 ms,
close 578 / 580 / 519 / 567 ms.

Then (5 December 2026, same data, one database, load average 12-19, `nightly_compare.py --rounds 3
--reps 3`, new ÷ old medians of Python CPU / PostgreSQL CPU / wall): the heap walked by each full
garbage collection was the cost left. lxml, pydifact, phonenumbers and snowballstemmer are now
imported where used (start-up heap 126,000 → 112,000 objects; 1f25da0: 98,000) and a Celery worker
(and the catch_up command) freezes its start-up heap (gc.freeze); interest_through goes as one value,
not an array (core.bulk.update's `same`). As the worker runs it: 0.85 / 0.95 / 0.85 (re-run 0.57 /
0.99 / 0.91); a bare process (`--bare`, no freeze): 1.02 / 1.00 / 1.02 (re-run 0.54 / 0.94 / 0.86).
Before that, the rolled-back runs' dead rows (autovacuum off) had cost the tree measured second
3-7 % of server CPU: nightly_compare now vacuums the two ledger tables first. Per statement the
server does the same work within 1-2 ms (the new run adds the id sequence, 1.7 ms, and the batch
audit's entry ids, 2 ms; the keyset lookups are 3 ms cheaper). The close, same database, rolled
back (3 x 2): Python CPU 51-57 ms (1f25da0) / 74-78 ms (this; core.bulk.insert_values' per-value
text and the ids read back through the ORM), server 231-278 / 252-279 ms: not shown to be as fast.

Then (issue #14, 5 December 2026, load average 6-8): the close writes the period, dates and time of
issue once for all statements (core.bulk.insert_values' `same`), joins each row with map(str) and
reads the ids back unsorted, sorted in Python (measured with a raw SELECT, which missed SQLite's
issued_at format: now the ORM's values_list, no model built). The text for 500 statements: 8.2 ms
before, 2.0 ms after (timeit, median of 7). Each tree on its own database (carm_ingest14_led_old /
_new, 500 accounts, 50,000 entries), `python bench/ledger_bench.py --database-url …` then `--reuse`
3 times, alternately old/new: close 125.9 / 133.7 ms fresh; reissued 104.4, 57.2, 88.6 ms (1f25da0)
vs 165.4, 109.7, 111.0 ms (this; medians 88.6 vs 111.0): NOT shown at par. cProfile of the new close:
of ~200 ms profiled, ~55 ms is the audit entry's subscriber, notifications' statement.issued (the
statements of the period among businesses with people, the notices already told), new since 1f25da0.

Then (issue #14, notices, 5 December 2026, load average 10-18, other helpers' suites running): the
close's statement.issued notices are told after commit by a Celery task (notifications.tasks.tell),
their money audience asked once per person for all the period's accounts (account_money_each);
bench/server_state.warm() loads the Celery app before timing, as a server has it, and the close line
prints the part spent telling after commit (inline here: CELERY_TASK_ALWAYS_EAGER; a worker's with a
broker). Each tree its own database (carm_n14_led_old / _new, 500 accounts, 50,000 entries, made by a
first fresh run), `python bench/ledger_bench.py --reuse --database-url …`, old/new alternately, 5
rounds (/work/oldvenv and 1f25da0 for old): reissued close, medians, two sessions:
    1f25da0 94.5 ms (86-135) / this 130.5 ms (105-220, of it 16-45 ms telling) [load 11];
    1f25da0 201 ms (144-284) / this 294 ms (210-341, of it 17-48 ms telling) [load 12; its first
    round beside a test run]; then, the handler after commit without a transaction of its own:
    1f25da0 118.5 ms (110-126) / this 167.0 ms (141-200, of it 7-25 ms telling, median 13.5) [load 9.4].
Five reissues in one process each (warm), same databases: 1f25da0 116-140 ms, this 128-172 ms of
which 10-21 ms telling. NOT at par: the notices left the close's transaction but, eager, not its
wall time; without them the close is ~5-15 % over 1f25da0 warm in one process, ~30 % in a fresh
process (cProfile, rolled back: the close's SQL is as fast on the same data, EXPLAIN ANALYZE 55-66 vs
60-90 ms; the rest is spread over the COPY text, the ids read back, the account programs and
holidays read, each 2-5 ms): not found in the time of this round.

Then (issue #14, round trips, 5 December 2026): the close's transaction sends 6 statements, not 10 (the
lock also leaves out the calendar-month accounts, tells which accounts have a previous statement and
reserves the statements' ids; work_mem, the figures and the closed_through update in one execute),
closed_through only moves forward (a reissue no longer rewrites rows closed through the period), and
the notices' businesses_with_people subquery is compiled once a process (warm() compiles it). Server
time of the close's SQL, EXPLAIN ANALYZE, same data, median of 7 [load 4.5]: 1f25da0 34.5 ms, main
39.0, this (before the closed_through cut) 36.1. --reuse prints how many reissued statements equal
their previous version: 500/500 in every run (against versions issued by main's code and by this).
Each tree its own database (carm_c14_old / carm_c14, fresh, 500 accounts, 50,491 entries), `--reuse`
alternately, ABBA order, 10 rounds each, medians of the reissued close [load 6-7, others' suites]:
    notices inline (eager Celery, this bench's default): 1f25da0 153.1 ms, this 179.4 ms (1.17×),
    of it 14.6 ms telling (close without it 165.2 ms, 1.08×);
    notices queued (CELERY_BROKER_URL=redis://127.0.0.1:6379/14 CELERY_TASK_ALWAYS_EAGER=False, as
    production runs them: a worker tells): 1f25da0 158.1 ms, this 165.4 ms (1.05×).
NOT shown at par: at this load one tree's runs spread 110-290 ms.

Then (issue #14, notices told inline, 5 December 2026, load average 6.4-8, others' suites running):
the close's notice reads the period from its audit entry inside the query of the statements among
businesses with people, ids only (the statements are loaded when someone is to be told): telling a
close nobody could hear of (this bench's accounts have no people) is one query after commit, not two,
Python CPU 1.1-1.3 ms warm, not 2.5-3.1 (Celery's eager call ~0.6 ms more). Not exercised here,
nobody being told: emit reads its people's preferences, business defaults and profiles in one query
each for all of them, and an event's deliveries go out in one task. Databases carm_n14_led_old /
carm_n14_led (fresh, 500 accounts, 50,491 entries), `--reuse` old/new alternately, 4 rounds:
    1f25da0 143.6 / 152.1 / 122.4 / 125.0 ms (median 134.3); this 135.1 / 119.9 / 144.8 / 97.2 ms
    (median 127.5), of it 7.4 / 4.1 / 9.7 / 4.3 ms telling [load 6.4-6.5]; 500/500 reissued
    statements identical. The round before this cut (two queries): 1f25da0 median 111.8 ms (87-188),
    this 169.7 ms (108-203), of it 6-19 ms telling [load 6.6-7.2].
In one process (5 reissues each, close_period(end, reissue=True) timed by process_time and
perf_counter, twice alternately): Python CPU best 10.0 / 10.0 ms (1f25da0) vs 11.8 / 11.2 ms (this,
with the telling); wall best 106 / 122 vs 118 / 120 ms, medians 119 / 136 vs 131 / 123 ms; queries
10 vs 7 (the close's 6 and the notice's 1) [load 7.8-8.1]. At par within this machine's noise;
what the telling costs is one round trip, 3-13 ms when two cores are shared by load 8 (the query
itself: 0.2 ms execution, 0.7 ms planning, EXPLAIN ANALYZE), ~1 ms on a quiet machine.

Then (issue #14, CAD ingest's saving path, 5 December 2026): post_entries without a savepoint, a
one-record audit write a plain INSERT (the nightly run's summary as before). The tree before that
round (aa50914) and this on one database (carm_i14s_led, 500 accounts, 50,491 entries), `--reuse`,
alternately, 3 rounds, notices queued [load 6.3]: close 82.5 / 84.4 / 84.6 ms before, 81.5 / 82.9 /
63.5 ms after; nightly interest 146 / 145 / 165 ms before, 153 / 153 / 105 ms after: no change shown.

Session 7's final code against 1f25da0 on a quiet machine (5 December 2026, load 0.7-1.1, databases
carm_led_old / carm_led_new built by this bench with its defaults: 500 accounts, 50,491 entries),
`--reuse` alternately, 5 rounds: close 1f25da0 44.4 / 40.9 / 43.6 / 42.2 / 45.1 ms (median 43.6), this
tree with notices queued 42.9 / 43.6 / 42.8 / 45.4 / 45.6 (43.6, 1.00x), told inline 47.8 / 47.8 / 48.0 /
46.0 / 50.4 (47.8, 1.10x). Nightly interest, `nightly_compare.py --rounds 3 --reps 3` (as the worker runs
it), new / old medians: nightly 83 / 65 ms (1.27x; Python CPU 1.28, PostgreSQL 1.19), again 46 / 30 ms
(1.54x). Against aa50914 (the tree before that session) the same: nightly 1.24x, again 1.62x: the
cost is that session's interest.owed_at_start (a payment returned on the night's day), whose query of
the entries dated that day scans the table (7-10 ms here: no index leads with effective_date). Then a
partial index on the few entries it reads (ledger_entry_night: reversals, INTFIX, C336; the query 1-2 ms):
new / old medians 82 / 73 ms (1.12x; Python CPU 1.14, PostgreSQL 1.03), again 38 / 34 ms (1.13x);
against aa50914 1.07x / 1.26x. NOT at par: the Python side (owed_at_start's second reading) is left.
Then (issue #14, 5 December 2026): the night's second reading only when its entries show something
(this bench's nights have none: it was `overdue([])`, ~1.7 ms of query building to no query), the C336
run reads nothing more when no statement fell due the day before (owed_at_start of no accounts,
~4 ms), and balances.overdue sends its two aggregates in one round trip (Python CPU 3.5 -> 2.7 ms).
Databases carm_n14_old / carm_n14_new (defaults), `nightly_compare.py --rounds 8 --reps 3`, new ÷ old
medians, wall / Python CPU / PostgreSQL CPU: before 1.12 / 1.25 / 1.17, again 1.42 / 1.44 / 1.08
(3 rounds, load 2.5-2.9); the first two cuts 1.01 / 0.78 / 0.77, again 1.08 / 0.72 / 0.77 (load
3.2-3.6); all three 0.80 / 0.79 / 0.84, again 0.77 / 0.58 / 0.72 (load 4.2-4.5) and 0.85 / 0.92 /
0.85, again 0.69 / 0.63 / 0.87 (load 4.2-4.4); quieter, 1.03 / 1.03 / 1.01, again 0.93 / 0.74 / 1.00
(load 2.8-3.0) and 1.02 / 1.02 / 1.01 (77 vs 78 ms), again 0.90 / 0.73 / 0.98 (load 2.4-2.5). The
re-run better; the run at par within 2-3 %, what is left being the posting API's per-entry work.
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
    parser.add_argument("--months", type=int, default=4, help="months of history from January 2025 (max 12)")
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the data of the last run (reissues the close)"
    )
    parser.add_argument(
        "--first-close",
        action="store_true",
        help="close only the last period, as a first close: no previous statement, the whole history summed",
    )
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'ledger_bench.sqlite3'}")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from bench import server_state
    from businesses.models import ProgramAccount
    from ledger import billing_cycle, interest, statements
    from ledger.models import InterestRate, LedgerAccount, LedgerEntry, Statement
    from ledger.views import entries_page

    started = time.perf_counter()
    if args.reuse:
        accounts = list(ProgramAccount.objects.filter(business__bn9__startswith="9").order_by("pk"))
        busiest = accounts[0]
    else:
        reset()
        accounts, busiest = build(args.accounts, args.entries, args.months)
    generated = time.perf_counter() - started

    InterestRate.objects.get_or_create(effective_from=dt.date(2024, 1, 1), defaults={"prescribed_rate": Decimal("7")})
    # The last period that ends inside the history: every row up to it is summed by the close.
    end = billing_cycle.billing_period(dt.date(2025, 1, 1) + dt.timedelta(days=30 * args.months - 30))[1]
    start = billing_cycle.billing_period(end)[0]
    bare_sql = "SELECT program_account_id, SUM(amount), COUNT(*) FROM ledger_ledgerentry WHERE {} GROUP BY 1"
    with connection.cursor() as cursor:

        def best_of_three(sql, params):  # the first read may warm the cache
            times = []
            for _ in range(3):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                times.append(time.perf_counter() - started)
            return min(times)

        bare = best_of_three(bare_sql.format("effective_date <= %s"), [end])
        bare_period = best_of_three(bare_sql.format("effective_date BETWEEN %s AND %s"), [start, end])
    # Every period before `end` is closed first, as the monthly task would have (untimed): the close
    # of `end` then starts from the previous statements. With --first-close it has none.
    period_end = billing_cycle.billing_period(dt.date(2025, 1, 1))[1]
    while period_end < end and not args.first_close:
        statements.close_period(period_end)
        period_end = billing_cycle.billing_period(period_end + dt.timedelta(days=1))[1]
    server_state.warm()  # the close tells its statements through the Celery app, loaded in a server
    started = time.perf_counter()
    issued = statements.close_period(end, reissue=args.reuse)
    close = time.perf_counter() - started
    notices = server_state.in_tasks()  # the statements told after commit, inline (eager Celery) here
    if args.reuse:  # a reissue from the same entries: each statement as its previous version said
        same = sum(
            (s.content, s.checksum) == previous
            for s in issued
            for previous in Statement.objects.filter(
                program_account=s.program_account_id, period_end=end, version=s.version - 1
            ).values_list("content", "checksum")
        )
    history = []
    for number in (1, 2, 40):
        started = time.perf_counter()
        entries_page(  # what the history page runs
            LedgerEntry.objects.filter(program_account=busiest)
            .select_related("submitted_by_business")
            .order_by("-effective_date", "-id"),
            number,
        )
        history.append(time.perf_counter() - started)
    day = end + dt.timedelta(days=20)  # after the due date: every account with an unpaid debit owes interest
    done = LedgerAccount.objects.filter(interest_through__isnull=False).order_by("-interest_through").first()
    if done and done.interest_through >= day:
        day = done.interest_through + dt.timedelta(days=1)
    started = time.perf_counter()
    posted = interest.nightly_run(day)
    nightly = time.perf_counter() - started
    started = time.perf_counter()
    again = interest.nightly_run(day)
    rerun = time.perf_counter() - started
    print(
        f"{connection.vendor}: {len(accounts)} accounts, {LedgerEntry.objects.count()} entries "
        f"({generated:.0f} s to generate)"
    )
    print(f"bare aggregate      {bare * 1000:9.1f} ms  (entries up to {end})")
    print(f"bare period agg.    {bare_period * 1000:9.1f} ms  (entries of {start} to {end} only)")
    print(
        f"close period        {close * 1000:9.1f} ms  ({len(issued)} statements, {close / bare:.1f}× the bare "
        f"aggregate, {close / bare_period:.1f}× the period's; "
        + ("first close: no previous statement)" if args.first_close else "from the previous statements)")
        + (
            f"; of it {notices * 1000:.1f} ms telling them after commit (inline: eager Celery)"
            if settings.CELERY_TASK_ALWAYS_EAGER
            else f"; notices queued to {settings.CELERY_BROKER_URL} (told by a worker, not timed)"
        )
    )
    if args.reuse:
        print(f"reissued statements  {same}/{len(issued)} identical to their previous version (content, checksum)")
    print(
        "history pages       "
        + ", ".join(f"{t * 1000:.1f}" for t in history)
        + f" ms  (pages 1, 2, 40 of the busiest account, {busiest.ledger_entries.count()} entries)"
    )
    print(f"nightly interest    {nightly * 1000:9.1f} ms  ({posted} interest entries, {day})")
    print(f"nightly again       {rerun * 1000:9.1f} ms  ({again} entries: idempotent)")


def reset():
    """Empty the ledger of a previous bench run. The bench wants a database of its own: it refuses
    to run where ledger entries belong to anything but its own businesses (BN9 9xxxxxxxx)."""
    from django.db import connection

    from businesses.models import Business, ProgramAccount
    from ledger.models import LedgerEntry

    if LedgerEntry.objects.exclude(program_account__business__bn9__startswith="9").exists():
        sys.exit("this database holds real ledger entries: give the bench a database of its own")
    tables = [
        "ledger_allocation", "ledger_refundrequest", "ledger_dailynotice", "ledger_statement",
        "ledger_ledgerentry", "ledger_ledgeraccount",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE fires no row trigger (the ledger is append-only)
            # Tables pointing at these (payment lines...) are emptied too, only when they are empty.
            while True:
                cursor.execute(
                    "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
                    "AND confrelid = ANY(%s::regclass[]) AND NOT conrelid = ANY(%s::regclass[])",
                    [tables, tables],
                )
                pointing = [row[0] for row in cursor.fetchall()]
                if not pointing:
                    break
                for table in pointing:
                    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
                    if cursor.fetchone()[0]:
                        sys.exit(f"{table} points at the ledger: give the bench a database of its own")
                tables += pointing
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    accounts = ProgramAccount.objects.filter(business__bn9__startswith="9")
    try:
        accounts.delete()
        Business.objects.filter(bn9__startswith="9").delete()
    except Exception as error:  # something else points at a bench account: keep it, use a new BN9
        print(f"(previous bench businesses kept: {error.__class__.__name__})")


def build(n_accounts, n_entries, months=12):
    """Fresh accounts (BN9 9xxxxxxxx, a bench-only range) with entries over `months` months from
    January 2025; a few accounts get most of the volume (weights 1/rank), as brokers' clients do.
    On PostgreSQL the entries go in with COPY (psycopg 3), elsewhere with bulk_create."""
    from django.db import connection, transaction

    from bench.bench_accounts import analyze, make_accounts
    from businesses.models import Business
    from ledger.billing_cycle import billing_period
    from ledger.models import LedgerAccount, LedgerEntry

    rng = random.Random(7)
    first = dt.date(2025, 1, 1)
    span = (dt.date(2025 + (months - 1) // 12, (months - 1) % 12 + 1, 28) - first).days + 1
    periods = {d: billing_period(first + dt.timedelta(days=d))[1] for d in range(span)}
    with transaction.atomic():
        run = Business.objects.filter(bn9__startswith="9").count()
        accounts = list(make_accounts(n_accounts, digit="9", name="Bench Imports", first=run))
        cumulative, total = [], 0.0
        for i in range(n_accounts):
            total += 1 / (i + 1)
            cumulative.append(total)
        chosen = rng.choices([a.pk for a in accounts], cum_weights=cumulative, k=n_entries)
        totals = dict.fromkeys((a.pk for a in accounts), Decimal(0))
        now = dt.datetime.now(dt.UTC)
        table = LedgerEntry._meta.db_table
        columns = [
            "program_account_id", "entry_type", "amount", "effective_date", "due_date", "billing_period_end",
            "source_key", "transaction_number", "document_version", "reference", "description", "explanation",
            "posted_at",
        ]  # fmt: skip

        def rows():
            for n, account in enumerate(chosen):
                offset = rng.randrange(span)
                day = first + dt.timedelta(days=offset)
                payment = rng.random() < 0.25
                amount = Decimal(rng.randrange(1000, 500_000)) / 100 * (-1 if payment else 1)
                period_end = periods[offset]
                totals[account] += amount
                yield (
                    account, "payment" if payment else "assessment", amount, day,
                    day if payment else period_end + dt.timedelta(days=14), period_end,
                    f"B:{n}", f"{n:014d}", "", "", "", "{}", now,
                )  # fmt: skip

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows():
                        copy.write_row(row)
        else:
            LedgerEntry.objects.bulk_create(
                (LedgerEntry(**dict(zip(columns, row[:-2], strict=False)), explanation={}) for row in rows()),
                batch_size=5000,
            )
        LedgerAccount.objects.bulk_create(
            (LedgerAccount(program_account_id=pk, balance=total) for pk, total in totals.items()), batch_size=5000
        )
    analyze(LedgerEntry)
    return accounts, accounts[0]


if __name__ == "__main__":
    main()

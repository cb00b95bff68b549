"""CAD ingest's process CPU and queries, for comparing two trees on a shared, noisy machine (wall time
there is mostly waiting): `passes` runs of `--cads` CADs through submit_batch in one process, each
timed by wall and by process CPU (time.process_time: this process only, not PostgreSQL's), after one
warm-up run (printed apart: the cold start of a new process), then one more with the queries of each
batch counted and timed. The CADs are
bench/cad_ingest.py's, taken from the tree named by --tree (default this one), so an older tree is
measured with its own bench and code:

    cd OLD_TREE && OLD_PYTHON /this/tree/bench/cad_ingest_cpu.py --tree . --database-url URL_OLD
    cd THIS_TREE && .venv/bin/python bench/cad_ingest_cpu.py --database-url URL_NEW

--history N first posts N more ledger entries to the bench importer (a cent each, dated before the
release day, one bulk posting), for the cost of a long-lived account's history."""

import argparse
import os
import random
import sys
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--cads", type=int, default=200)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--show-queries", action="store_true", help="print the last batch's queries and times")
    args = parser.parse_args()
    tree = Path(args.tree).resolve()
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from bench import cad_ingest as bench
    from declarations import services
    from declarations.models import Channel

    user, account = bench.setup()
    if args.history:
        add_history(account, args.history)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    usable = bench.classifications(user, account)
    rng = random.Random(1)
    payloads = []
    for _ in range(args.cads):
        origin = rng.choice(bench.ORIGINS)
        lines = [bench._line(*rng.choice(usable), origin, n) for n in range(1, rng.randint(5, 20) + 1)]
        payloads.append(bench._payload(account, lines, origin))
    try:
        from bench import server_state

        server_state.warm()
    except ImportError:  # an older tree: its URLconf loaded as a server has it
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018

    run = f"{time.time():.0f}"
    shown = []

    def one_pass(n, counts=None):
        items = [(f"C{run}-{n}-{i}", payload) for i, payload in enumerate(payloads)]
        for start in range(0, len(items), args.batch):
            batch = items[start : start + args.batch]
            if counts is None:
                outcomes = services.submit_batch(user, batch, channel=Channel.API, today=bench.TODAY)
            else:
                with CaptureQueriesContext(connection) as queries:
                    outcomes = services.submit_batch(user, batch, channel=Channel.API, today=bench.TODAY)
                counts.append((len(queries), sum(float(query["time"]) for query in queries.captured_queries)))
                shown[:] = queries.captured_queries
            assert not any(outcome.errors for outcome in outcomes), [o.errors for o in outcomes if o.errors][:1]

    cold_wall, cold_cpu = time.perf_counter(), time.process_time()
    one_pass(0)
    cold_wall, cold_cpu = time.perf_counter() - cold_wall, time.process_time() - cold_cpu
    load = os.getloadavg()[0]
    walls, cpus = [], []
    for n in range(1, args.passes + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        one_pass(n)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    counts = []
    one_pass(args.passes + 1, counts)
    entries = account.ledger_entries.count()
    print(f"{tree.name}: {args.cads} CADs x {args.passes} passes, {entries} ledger entries on the account after")
    cold = "first pass (cold: a fresh process's caches, imports and templates)"
    print(f"  {cold} wall {cold_wall:.3f} s, CPU {cold_cpu:.3f} s")
    print(f"  wall {' / '.join(f'{w:.3f}' for w in walls)} s (best {min(walls):.3f})")
    print(f"  CPU  {' / '.join(f'{c:.3f}' for c in cpus)} s (best {min(cpus):.3f})")
    if args.show_queries:
        for query in shown:
            print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:240]}")
    print(
        f"  queries per batch of {args.batch}: {', '.join(f'{n} ({seconds * 1000:.0f} ms)' for n, seconds in counts)}"
        f" (their wall time; COPY not counted); load average {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )


def add_history(account, count):
    """`count` assessments of a cent dated before the release day posted to the account (one bulk posting)."""
    import datetime as dt
    from decimal import Decimal

    from ledger.models import EntryType
    from ledger.posting import post_entries

    tag = f"{time.time():.0f}"
    post_entries(
        [
            {
                "program_account": account,
                "entry_type": EntryType.ASSESSMENT,
                "amount": Decimal("0.01"),
                "effective_date": dt.date(2025, 5, 1) + dt.timedelta(days=n % 30),
                "source_key": f"HIST:{tag}:{n}",
            }
            for n in range(count)
        ]
    )


if __name__ == "__main__":
    main()

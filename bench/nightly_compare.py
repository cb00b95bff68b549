"""The nightly interest run of two code trees on the same data, alternately, in one session: the ratio
of their medians (issue #14: "no worse than before, measured in the same run").

Each tree runs in its own process with its own Python (an older tree has its own requirements) on its
own database, both filled by `bench/ledger_bench.py` with the same arguments, started as its Celery
worker process starts (the tree's own worker_process_init handlers: this one's freezes the start-up
heap; `--bare`: a plain process, no handler). Each round runs
`interest.nightly_run` of the day after the last one run, `--reps` times (after one untimed warm-up),
each in a transaction rolled back: every repetition sees the same ledger. A repetition reports the
wall time, the CPU time of the Python process and that of its PostgreSQL backend (from
/proc/<pid>/schedstat: what the server process itself ran, parallel workers aside). On a shared
machine the CPU figures move less than the wall time: the load average is printed beside them.

    python bench/nightly_compare.py --old-tree ../old14 --old-python /work/oldvenv/bin/python \\
        --old-db postgres://…/carm_bench_old --new-db postgres://…/carm_bench_new [--rounds 2 --reps 3]

Figures: see bench/ledger_bench.py's docstring (issue #14).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ("nightly", "nightly_cpu", "nightly_pg", "again", "again_cpu", "again_pg")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-tree", help="the older code tree (a git worktree)")
    parser.add_argument("--old-python", help="the Python of the older tree's virtualenv")
    parser.add_argument("--old-db")
    parser.add_argument("--new-db")
    parser.add_argument("--rounds", type=int, default=2, help="old then new, this many times")
    parser.add_argument("--reps", type=int, default=3, help="timed runs per round")
    parser.add_argument("--bare", action="store_true", help="no worker start-up: a plain process")
    args = parser.parse_args()
    if not (args.old_tree and args.old_python and args.old_db and args.new_db):  # `make bench` passes none
        print("nothing to compare: give --old-tree, --old-python, --old-db and --new-db (see the docstring)")
        return
    trees = {
        "old": (args.old_python, Path(args.old_tree).resolve(), args.old_db),
        "new": (sys.executable, ROOT, args.new_db),
    }
    runs = {"old": [], "new": []}
    for round_ in range(1, args.rounds + 1):
        for name, (python, tree, database) in trees.items():
            command = [python, __file__, "--measure", str(tree), database, str(args.reps), str(int(not args.bare))]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            for line in output.splitlines():
                run = json.loads(line)
                runs[name].append(run)
                print(
                    f"round {round_} {name}: nightly {run['nightly']:6.0f} ms (cpu {run['nightly_cpu']:4.0f}, "
                    f"pg {run['nightly_pg']:4.0f}), {run['entries']} entries; again {run['again']:5.0f} ms "
                    f"(cpu {run['again_cpu']:3.0f}, pg {run['again_pg']:3.0f}); load {run['load']:.1f}"
                )
    print("medians (ms)        old      new   new ÷ old")
    for figure in FIGURES:
        old, new = (statistics.median(run[figure] for run in runs[name]) for name in ("old", "new"))
        print(f"{figure:14s} {old:8.0f} {new:8.0f}   {new / old:5.2f}")


def measure(tree: str, database: str, reps: int, worker: bool):
    """In the tree's own Python: `reps` nightly runs (and their idempotent re-runs), each rolled back."""
    sys.path.insert(0, tree)
    os.chdir(tree)
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import datetime as dt

    import django

    django.setup()
    if worker:  # as a prefork worker's child starts: the handlers the tree's carm.celery connected
        from celery.signals import worker_process_init

        worker_process_init.send(sender=None)
    from django.db import connection, transaction

    from ledger import interest
    from ledger.models import LedgerAccount, LedgerEntry

    with connection.cursor() as cursor:  # the rolled-back runs' dead rows (autovacuum may be off): else
        # each run reads more than the one before, and the tree measured second pays for the first's
        cursor.execute(f"VACUUM ANALYZE {LedgerAccount._meta.db_table}, {LedgerEntry._meta.db_table}")

    done = LedgerAccount.objects.filter(interest_through__isnull=False).order_by("-interest_through").first()
    day = done.interest_through + dt.timedelta(days=1)

    def backend_cpu():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6

    def timed(figures, name):
        pg, cpu, wall = backend_cpu(), time.process_time(), time.perf_counter()
        posted = interest.nightly_run(day)
        figures[name] = (time.perf_counter() - wall) * 1000
        figures[f"{name}_cpu"] = (time.process_time() - cpu) * 1000
        figures[f"{name}_pg"] = backend_cpu() - pg
        return posted

    class RolledBack(Exception):
        pass

    for rep in range(reps + 1):  # the first one warms the caches, untimed
        figures = {}
        try:
            with transaction.atomic():
                figures["entries"] = timed(figures, "nightly")
                timed(figures, "again")
                raise RolledBack
        except RolledBack:
            pass
        if rep:
            print(json.dumps({**figures, "load": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(*sys.argv[2:4], int(sys.argv[4]), sys.argv[5] == "1")
    else:
        main()

"""The rights kernel's per-call cost: `ProgramAccount.objects.visible_to(who, TRANSACT)` for the CAD
ingest's bench user (bench@cad.example, bench/cad_ingest.py's setup), as `Lookups.load_accounts` asks it
once a batch. Best of --calls of: building the queryset and compiling its SQL (process CPU), and
executing it (process CPU and wall, PostgreSQL's planning included in the wall); the SQL's size in
characters, PostgreSQL's planning time (best of 10 EXPLAIN ANALYZE) and
sub/init plans; the same for VIEW and for the Business and Declaration rules.

    .venv/bin/python bench/rights_kernel.py --database-url postgres://postgres@127.0.0.1:5432/carm_kern_bench
"""

import argparse
import os
import sys
import time
from pathlib import Path


def best(calls, work):
    cpu, wall = [], []
    for _ in range(calls):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    return min(cpu) * 1000, min(wall) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()
    tree = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()
    import rights
    from bench import cad_ingest as bench
    from businesses.models import Business, ProgramAccount
    from declarations.models import Declaration

    user, account = bench.setup()
    cases = [
        ("ProgramAccount TRANSACT", ProgramAccount, rights.Action.TRANSACT),
        ("ProgramAccount VIEW", ProgramAccount, rights.Action.VIEW),
        ("Business VIEW", Business, rights.Action.VIEW),
        ("Declaration VIEW", Declaration, rights.Action.VIEW),
    ]
    for label, model, action in cases:
        measure(label, model, action, user, [account.number], args)


def measure(label, model, action, user, numbers, args):
    from django.db import connection

    from businesses.models import ProgramAccount

    def build():
        queryset = model.objects.visible_to(user, action)
        if model is ProgramAccount:  # as Lookups.load_accounts asks it
            queryset = queryset.select_related("business").filter(number__in=numbers)
        return queryset

    def compile_sql():
        return str(build().query)

    sql = compile_sql()
    queryset = build()
    built_cpu, _ = best(args.calls, compile_sql)
    run_cpu, run_wall = best(args.calls, lambda: list(queryset.all()[:100]))  # a fresh clone each time
    sql_run, params = queryset.all()[:100].query.sql_with_params()
    plannings = []
    with connection.cursor() as cursor:
        for _ in range(10):
            cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql_run, params)
            plan = [row[0] for row in cursor.fetchall()]
            plannings.append(float(next(line for line in plan if line.startswith("Planning Time")).split()[2]))
    subplans = sum("SubPlan" in line or "InitPlan" in line for line in plan)
    print(
        f"{label:26} build+compile {built_cpu:6.2f} ms CPU | execute {run_cpu:5.2f} ms CPU, {run_wall:5.2f} ms wall"
        f" | SQL {len(sql):5} chars | planning {min(plannings):5.2f} ms (best of 10) | sub/init plans {subplans}"
    )
    if args.show_sql:
        print(sql, "\n")


if __name__ == "__main__":
    main()

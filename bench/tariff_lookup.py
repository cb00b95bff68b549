"""Latency of classification look-ups: the service function behind /api/v1/tariff/classifications/.

Loads the shipped schedules first when the database lacks them (T2021 in full, then the T2026
subset: their load times are printed), then times N look-ups of random 8- and 10-digit codes in
one process and prints p50/p95/p99. Target: p95 <= 5 ms.

    python bench/tariff_lookup.py [--database-url URL] [--lookups N] [--seed S]

The database is DATABASE_URL (or --database-url); it is migrated first. On PostgreSQL the
database must exist: createdb -h 127.0.0.1 -U postgres carm_bench.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: $DATABASE_URL, else the project's SQLite file")
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tariff import services
    from tariff.demo import load_shipped_schedules
    from tariff.models import TariffLine

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; load average {os.getloadavg()[0]:.2f}")
    for report in load_shipped_schedules():
        source = report.version.source_name
        if report.already_loaded:
            print(f"{source}: already loaded")
        else:
            print(f"{source}: loaded in {report.seconds:.1f} s {report.as_dict()}")

    as_of = services.today()
    codes = list(
        TariffLine.objects.as_of(as_of)
        .filter(level__in=["tariff_item", "classification"])
        .values_list("code", flat=True)
    )
    rng = random.Random(args.seed)
    sample = [rng.choice(codes) for _ in range(args.lookups)]
    for code in sample[:50]:  # warm connections and caches
        services.classification(code, as_of)

    timings = []
    for code in sample:
        started = time.perf_counter()
        services.classification(code, as_of)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    with CaptureQueriesContext(connection) as captured:
        services.classification(sample[0], as_of)
    queries = len(captured)

    print(
        f"{args.lookups} look-ups as of {as_of} ({queries} queries each): "
        f"p50 {percentile(timings, 0.50):.2f} ms, p95 {percentile(timings, 0.95):.2f} ms, "
        f"p99 {percentile(timings, 0.99):.2f} ms, max {timings[-1]:.2f} ms, mean {statistics.fmean(timings):.2f} ms"
    )
    if percentile(timings, 0.95) > 5:
        sys.exit("p95 above the 5 ms target")


if __name__ == "__main__":
    main()

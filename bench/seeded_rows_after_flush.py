"""What a transactional test's end costs, flush included, two ways of finding the migrations' seeded
rows again, interleaved in one run on a fresh test database: Django's serialized rollback (the whole
database serialized once; a flush without post_migrate, then the copy deserialized) against the plain
flush, whose post_migrate makes the content types and permissions again and, through tests/conftest.py's
receivers, re-runs the seeding migrations' loaders (what the test suite does).

    python bench/seeded_rows_after_flush.py [--rounds 3]

Measured (SQLite, the shared 2-core machine under other engineers' tests, load average 6.8, 5 December 2026):
    serialize once: 409 ms, 0.41 MB
    flush + deserialize, per test (ms): 2171, 2110, 2016
    flush + post_migrate re-seed, per test (ms): 1394, 1279, 1836
(A first cut timing the two restores alone: deserialize 1320-1347 ms, loaders 625-799 ms, of which the
tariff synonyms 540 ms, the code lists 82 ms, the holidays 35 ms.)
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "carm.test_settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases  # noqa: E402

import tests.conftest  # noqa: E402, F401 (its post_migrate receivers re-seed after a flush)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    setup_databases(verbosity=0, interactive=False, serialized_aliases={"default"})
    started = time.perf_counter()
    data = connection.creation.serialize_db_to_string()
    print(f"serialize once: {_ms(time.perf_counter() - started)} ms, {len(data) / 1e6:.2f} MB")
    restore, reseed = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(data)
        restore.append(time.perf_counter() - started)
        started = time.perf_counter()
        call_command("flush", interactive=False, verbosity=0)
        reseed.append(time.perf_counter() - started)
    print("flush + deserialize, per test (ms):", ", ".join(map(_ms, restore)))
    print("flush + post_migrate re-seed, per test (ms):", ", ".join(map(_ms, reseed)))


if __name__ == "__main__":
    main()

"""How often the classification search finds the ruled classification, from real rulings.

    DATABASE_URL=... python bench/classification_eval.py [--split test|dev|all] [--keyword-only]

Reads data/eval/classification_rulings.csv (description, expected, source; see its README) and,
for each row, searches the description against the schedule in the database. Prints top-1 and
top-5 accuracy at 2, 4, 6 and 10 digits: a row counts at a level when its expected number has that
many digits, and a hit is a result whose first digits equal the expected ones. Report the test
split; tune on dev only.

The database must hold a schedule (tariff.loader.load_schedule). Vectors for semantic ranking are
computed first when missing (tariff.search.precompute_embeddings; a few minutes once).
"""

import argparse
import csv
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = (2, 4, 6, 10)
TOP = (1, 5)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", default=str(ROOT / "data" / "eval" / "classification_rulings.csv"))
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="schedule date (default: today)")
    parser.add_argument("--keyword-only", action="store_true", help="rank as if the model were not installed")
    parser.add_argument("--misses", action="store_true", help="list the rows missed at 6 digits in the top 5")
    args = parser.parse_args()
    setup_django()

    from django.utils import timezone

    from tariff import embeddings, search
    from tariff.models import TariffLine

    if not TariffLine.objects.exists():
        print("No tariff schedule in this database: load one with tariff.loader.load_schedule first.")
        return 2
    if args.keyword_only:
        embeddings.encoder = lambda: None
    elif embeddings.encoder() is not None:
        load = search.schedule_for(args.as_of or timezone.localdate())
        if not embeddings.store_path(load).exists():
            started = time.perf_counter()
            count = search.precompute_embeddings(load)
            print(f"embedded {count} descriptions of {load} in {time.perf_counter() - started:.0f}s")

    with open(args.csv, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if args.split == "all" or r["split"] == args.split]
    counted = {level: 0 for level in LEVELS}
    hits = {(level, top): 0 for level in LEVELS for top in TOP}
    misses = []
    for row in rows:
        expected = row["expected"].replace(".", "")
        found = [r.code for r in search.search(row["description"], as_of=args.as_of, limit=max(TOP))]
        for level in LEVELS:
            if len(expected) < level:
                continue
            counted[level] += 1
            for top in TOP:
                hits[(level, top)] += any(code[:level] == expected[:level] for code in found[:top])
        if len(expected) >= 6 and not any(code[:6] == expected[:6] for code in found[:5]):
            misses.append((row["source"], row["expected"], row["description"], found[:3]))

    mode = "keyword only" if args.keyword_only or embeddings.encoder() is None else "keyword + semantic"
    print(f"{len(rows)} rulings ({args.split} split), {mode}")
    print(f"{'digits':>7} {'rows':>5} {'top-1':>7} {'top-5':>7}")
    for level in LEVELS:
        n = counted[level]
        cells = [f"{100 * hits[(level, top)] / n:6.1f}%" if n else "    n/a" for top in TOP]
        print(f"{level:>7} {n:>5} {cells[0]:>7} {cells[1]:>7}")
    if args.misses:
        for source, expected, description, found in misses:
            print(f"MISS {source} {expected} {description[:70]!r} -> {', '.join(found)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

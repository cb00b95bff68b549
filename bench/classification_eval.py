"""How often the classification search finds the ruled classification, from real rulings.

    DATABASE_URL=... python bench/classification_eval.py [--split tune|test|fresh|all] [--keyword-only]
        [--scale N] [--rerank]

Reads data/eval/rulings.jsonl (one published customs ruling a line: the goods as described, the
classification ruled, its split; see data/eval/README.md) and searches each description against
the schedule in the database, as GET /api/v1/tariff/search?limit=5 does. Prints, for the tune and
each split apart (tune, test, fresh) and with their sizes, top-1 and top-5 accuracy at 2, 4 and 6 digits: a row
counts at a level when its expected number has that many digits, and a hit is a result whose first
digits equal the expected ones. Then the same for the French translations of some descriptions
(`description_fr`), the search time per query (median, p95, max; wall and CPU) and the process's
peak memory.

Tune the ranker on `tune` only; `test` and `fresh` are held out and reported. The tune rulings are
also evidence for the search (data/rulings-evidence/, tariff.search_rulings): each is left out of
its own query's votes. The held-out rulings are not evidence (the bench prints how many are: 0).
The database must hold a schedule (tariff.loader.load_schedule); vectors for semantic ranking are
computed first when missing (tariff.search.precompute_embeddings; a few minutes once).

`--scale N` measures time and memory with N more rulings as evidence: made-up rulings (the words
of two real ones, a real ruling's code, a random vector), so a run's accuracy figures mean nothing.

`--rerank` orders by the learned re-ranker's shipped weights (tariff.rerank) even when its fit did
not mark them to be served.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = (2, 4, 6)
# tune: the weights are fitted on it; test and fresh are held out (fresh: gathered after the last
# fit, never looked at while tuning; see data/eval/README.md).
SPLITS = ("tune", "test", "fresh")
TOP = (1, 5)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()


def evaluate(rows: list[dict], field: str, as_of, timings: list[tuple[float, float]]):
    """Hits per (level, top), rows counted per level, and the rows missed at 6 digits in the top 5."""
    from tariff import search, search_rulings

    counted = {level: 0 for level in LEVELS}
    hits = {(level, top): 0 for level in LEVELS for top in TOP}
    misses = []
    for row in rows:
        expected = row["expected"].replace(".", "")
        started, cpu = time.perf_counter(), time.process_time()
        with search_rulings.leaving_out({row["ruling"]}):  # a tune ruling is evidence too: never of itself
            found = [r.code for r in search.search(row[field], as_of=as_of, limit=max(TOP))]
        timings.append((time.perf_counter() - started, time.process_time() - cpu))
        for level in LEVELS:
            if len(expected) < level:
                continue
            counted[level] += 1
            for top in TOP:
                hits[(level, top)] += any(code[:level] == expected[:level] for code in found[:top])
        if len(expected) >= 6 and not any(code[:6] == expected[:6] for code in found[:5]):
            misses.append((row["ruling"], row["expected"], row[field], found[:3]))
    return counted, hits, misses


def padded_evidence(extra: int) -> Path:
    """The evidence file with `extra` made-up rulings after the real ones, and random vectors filed
    for them all (encoding thousands of texts is embed time's cost, not a query's)."""
    import tempfile

    import numpy as np
    from django.conf import settings

    from tariff import embeddings, search_rulings

    real = [json.loads(line) for line in open(settings.CARM_RULINGS_EVIDENCE, encoding="utf-8") if line.strip()]
    rng = np.random.default_rng(25)
    rows = list(real)
    for n in range(extra):
        first, second = (real[i]["description"].split() for i in rng.integers(len(real), size=2))
        description = " ".join(first[: len(first) // 2 + 1] + second[len(second) // 2 :])
        rows.append(
            {"ruling": f"SYN {n:06d}", "code": real[rng.integers(len(real))]["code"], "description": description}
        )
    path = Path(tempfile.mkdtemp()) / "padded_rulings.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    settings.CARM_RULINGS_EVIDENCE = path
    descriptions = [row["description"] for row in rows]
    vectors = rng.standard_normal((len(rows), embeddings.DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    filed = search_rulings.vectors_path(descriptions)
    filed.parent.mkdir(parents=True, exist_ok=True)
    np.savez(filed, vectors=vectors.astype(np.float16))
    return path


def report(title: str, rows: list[dict], counted: dict, hits: dict):
    print(f"\n{title}: {len(rows)} rulings")
    print(f"{'digits':>7} {'rows':>5} {'top-1':>7} {'top-5':>7}")
    for level in LEVELS:
        n = counted[level]
        cells = [f"{100 * hits[(level, top)] / n:6.1f}%" if n else "    n/a" for top in TOP]
        print(f"{level:>7} {n:>5} {cells[0]:>7} {cells[1]:>7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data" / "eval" / "rulings.jsonl"))
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="schedule date (default: today)")
    parser.add_argument("--keyword-only", action="store_true", help="rank as if the model were not installed")
    parser.add_argument("--misses", action="store_true", help="list the rows missed at 6 digits in the top 5")
    parser.add_argument("--rerank", action="store_true", help="order by the re-ranker even if not served")
    parser.add_argument("--scale", type=int, default=0, help="this many made-up rulings more (time and memory only)")
    args = parser.parse_args()
    setup_django()
    if args.scale:
        print(f"evidence padded with {args.scale} made-up rulings: {padded_evidence(args.scale)}")

    from django.utils import timezone

    from tariff import embeddings, rerank, search
    from tariff.models import TariffLine

    if args.rerank:
        rerank.served = rerank.load

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

    with open(args.data, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    splits = SPLITS if args.split == "all" else (args.split,)
    started = time.perf_counter()
    search.search("warm up the index", as_of=args.as_of)  # builds the index: not a query's cost
    mode = "keyword only" if args.keyword_only or embeddings.encoder() is None else "keyword + semantic"
    print(f"{len(rows)} rulings in {args.data}, {mode}; index built in {time.perf_counter() - started:.1f}s")
    evidence = search.index_for(args.as_of or timezone.localdate()).neighbours
    evidence_numbers = {r.number for r in evidence.rulings}
    held_out = [r["ruling"] for r in rows if r["split"] != "tune" and r["ruling"] in evidence_numbers]
    print(f"published rulings as evidence: {len(evidence)} ({len(held_out)} of them in a held-out split)")

    timings: list[tuple[float, float]] = []
    for split in splits:
        chosen = [r for r in rows if r["split"] == split]
        counted, hits, misses = evaluate(chosen, "description", args.as_of, timings)
        report(f"{split} split, English", chosen, counted, hits)
        french = [r for r in chosen if r.get("description_fr")]
        if french:
            counted_fr, hits_fr, _misses = evaluate(french, "description_fr", args.as_of, timings)
            counted_en, hits_en, _misses = evaluate(french, "description", args.as_of, [])
            report(f"{split} split, French translations", french, counted_fr, hits_fr)
            report(f"{split} split, the same rows in English", french, counted_en, hits_en)
        if args.misses:
            for ruling, expected, description, found in misses:
                print(f"MISS {ruling} {expected} {description[:70]!r} -> {', '.join(found)}")

    # Wall time is what a user waits; CPU time is this process's own work, what wall time would be
    # on an idle machine (a busy shared one stretches wall time, not CPU time).
    for label, times in (("wall", [w for w, _c in timings]), ("CPU", [c for _w, c in timings])):
        ms = sorted(1000 * t for t in times)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        median = statistics.median(ms)
        print(f"search {label} time, {len(ms)} queries: median {median:.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

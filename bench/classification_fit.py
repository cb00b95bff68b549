"""Fit the weights of the ruling evidence (tariff.search_rulings) on the tune split only.

    DATABASE_URL=... python bench/classification_fit.py [--keyword-only]

Searches every tune ruling of data/eval/rulings.jsonl (each left out of its own votes, as
bench/classification_eval.py does) while trying the values of RULING_WEIGHT (tariff.search), then
NEIGHBOURS, MIN_SIMILARITY and KEYWORD_SHARE (tariff.search_rulings), one at a time, each kept at
its best HS6 top-5 (then top-1) before the next; prints every figure and the best setting. The test
split is never read: report it with classification_eval.py.
"""

import json
import sys
from pathlib import Path

from classification_eval import ROOT, evaluate, setup_django

GRID = {
    "RULING_WEIGHT": (0.0, 0.15, 0.3, 0.5, 0.8),
    "NEIGHBOURS": (3, 5, 10),
    "MIN_SIMILARITY": (0.2, 0.3, 0.4),
    "KEYWORD_SHARE": (0.3, 0.5, 0.7),
}


def main() -> int:
    setup_django()
    from tariff import embeddings, search, search_rulings

    if "--keyword-only" in sys.argv[1:]:
        embeddings.encoder = lambda: None

    with open(Path(ROOT) / "data" / "eval" / "rulings.jsonl", encoding="utf-8") as handle:
        tune = [row for row in map(json.loads, filter(str.strip, handle)) if row["split"] == "tune"]
    search.search("warm up the index")
    setting = {
        "RULING_WEIGHT": search.RULING_WEIGHT,
        **{name: getattr(search_rulings, name) for name in ("NEIGHBOURS", "MIN_SIMILARITY", "KEYWORD_SHARE")},
    }

    def measure(candidate: dict) -> tuple[float, float]:
        search.RULING_WEIGHT = candidate["RULING_WEIGHT"]
        for name in ("NEIGHBOURS", "MIN_SIMILARITY", "KEYWORD_SHARE"):
            setattr(search_rulings, name, candidate[name])
        counted, hits, _misses = evaluate(tune, "description", None, [])
        top1, top5 = (100 * hits[(6, top)] / counted[6] for top in (1, 5))
        print(f"{candidate}: HS6 top-1 {top1:.1f}% top-5 {top5:.1f}% ({counted[6]} tune rows)", flush=True)
        return top5, top1

    for name, values in GRID.items():
        figures = {value: measure({**setting, name: value}) for value in values}
        # a tie keeps the value in force
        setting[name] = max(figures, key=lambda value: (figures[value], value == setting[name]))
    print(f"best on tune: {setting}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

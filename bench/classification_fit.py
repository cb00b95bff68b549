"""Fit the search's weights on the tune split only.

    DATABASE_URL=... python bench/classification_fit.py [--keyword-only] [--rulings]

Searches every tune ruling of data/eval/rulings.jsonl once (each left out of its own votes, as
bench/classification_eval.py does), keeps what the schedule, notes and rulings said about it
(tariff.search.Index.evidence), then tries the weights of GRID on those findings, one weight at a
time, each kept at its best HS6 top-5 (then top-1) before the next, twice round; prints every
figure and the best setting. Ranking is the search's own (Index.weigh, then the first page as
Index.search cuts it), so the figures are those classification_eval.py prints for the tune split.

--rulings first fits the parameters of the ruling neighbours (tariff.search_rulings: NEIGHBOURS,
MIN_SIMILARITY, KEYWORD_SHARE), which change the findings themselves: each value costs a full
pass of searches. The test split is never read: report it with classification_eval.py.
"""

import json
import sys
from pathlib import Path

import numpy as np
from classification_eval import ROOT, evaluate, setup_django

GRID = {
    "SEMANTIC_WEIGHT": (0.3, 0.4, 0.5, 0.6, 0.7),
    "HEADING_WEIGHT": (0.0, 0.1, 0.15, 0.25, 0.4),
    "FAMILY_WEIGHT": (0.0, 0.1, 0.2, 0.3, 0.5),
    "SUBHEADING_WEIGHT": (0.0, 0.1, 0.2, 0.3, 0.5),
    "NOTE_WEIGHT": (0.0, 0.1, 0.15, 0.25),
    "RULING_WEIGHT": (0.15, 0.3, 0.5, 0.8),
}
RULING_GRID = {"NEIGHBOURS": (3, 5, 10), "MIN_SIMILARITY": (0.2, 0.3, 0.4), "KEYWORD_SHARE": (0.3, 0.5, 0.7)}
LIMIT = 5


def first_page(index, scores: np.ndarray) -> list[str]:
    """The codes Index.search would return for these scores (limit 5)."""
    keep = LIMIT * 4
    top = np.argpartition(-scores, keep - 1)[:keep]
    order = top[np.lexsort((top, -scores[top]))]
    return [index.codes[d] for d in index._diversify(order[scores[order] > 0], LIMIT)]


def hs6_figures(index, findings: list) -> tuple[float, float]:
    """HS6 top-5 and top-1 (percent) of the tune rows over their findings, as now weighed."""
    top1 = top5 = 0
    for expected, found in findings:
        codes = first_page(index, index.weigh(found))
        top1 += bool(codes) and codes[0].startswith(expected)
        top5 += any(code.startswith(expected) for code in codes)
    return 100 * top5 / len(findings), 100 * top1 / len(findings)


def main() -> int:
    setup_django()
    from tariff import embeddings, search, search_rulings

    if "--keyword-only" in sys.argv[1:]:
        embeddings.encoder = lambda: None

    with open(Path(ROOT) / "data" / "eval" / "rulings.jsonl", encoding="utf-8") as handle:
        tune = [row for row in map(json.loads, filter(str.strip, handle)) if row["split"] == "tune"]
    search.search("warm up the index")
    index = search.index_for(search.timezone.localdate())

    if "--rulings" in sys.argv[1:]:
        setting = {name: getattr(search_rulings, name) for name in RULING_GRID}
        for name, values in RULING_GRID.items():
            figures = {}
            for value in values:
                setattr(search_rulings, name, value)
                counted, hits, _misses = evaluate(tune, "description", None, [])
                figures[value] = tuple(100 * hits[(6, top)] / counted[6] for top in (5, 1))
                print(f"{name}={value}: HS6 top-5 {figures[value][0]:.1f}% top-1 {figures[value][1]:.1f}%", flush=True)
            setting[name] = max(figures, key=lambda value: (figures[value], value == setting[name]))
            setattr(search_rulings, name, setting[name])
        print(f"best ruling neighbours on tune: {setting}")

    findings = []
    for row in tune:
        expected = row["expected"].replace(".", "")
        if len(expected) >= 6:
            with search_rulings.leaving_out({row["ruling"]}):
                found = index.evidence(row["description"], search.query_language(row["description"]))
            findings.append((expected[:6], found))
    setting = {name: getattr(search, name) for name in GRID}
    print(f"{len(findings)} tune rows scored at 6 digits; now {setting}: {hs6_figures(index, findings)}")
    for _round in range(2):
        for name, values in GRID.items():
            figures = {}
            for value in values:
                setattr(search, name, value)
                figures[value] = hs6_figures(index, findings)
                print(
                    f"  {name}={value}: HS6 top-5 {figures[value][0]:.1f}% top-1 {figures[value][1]:.1f}%", flush=True
                )
            # a tie keeps the value in force
            setting[name] = max(figures, key=lambda value: (figures[value], value == setting[name]))
            setattr(search, name, setting[name])
        print(f"best on tune after a round: {setting} {hs6_figures(index, findings)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

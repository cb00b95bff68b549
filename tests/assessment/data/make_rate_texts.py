"""Write distinct_rate_texts.csv: every distinct rate text of the tariff files given, with counts.

    python tests/assessment/data/make_rate_texts.py \
        ../shared/data/cbsa-customs-tariff-2021/tphs_2021.csv \
        ../shared/data/cbsa-customs-tariff-2026-partial/ca_tariff_2026_subset.csv

Reads every treatment column of a TPHS export (MFN, UST, CPTPT, ...) and the mfn, ust, mxt and
general_tariff columns of the 2026 subset. Tests read the output so they never need shared/.
"""

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

NOT_RATES = {"TARIFF", "EFF_DATE", "CHANGE", "SUB_CHAP", "DESC1", "DESC2", "DESC3", "FOOTNOTE", "UOM", "row_id"}
SUBSET_RATES = ("mfn", "ust", "mxt", "general_tariff")


def rate_columns(header: list[str]) -> list[str]:
    if "TARIFF" in header:  # a full TPHS table
        return [name for name in header if name not in NOT_RATES]
    if set(SUBSET_RATES) <= set(header):
        return list(SUBSET_RATES)
    raise SystemExit(f"no rate columns known in header {header}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tariff_csv", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("distinct_rate_texts.csv"))
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    sources: defaultdict[str, set[str]] = defaultdict(set)
    for path in args.tariff_csv:
        with path.open(newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            columns = rate_columns(reader.fieldnames or [])
            for row in reader:
                for column in columns:
                    text = row[column]
                    if text and text.strip():
                        counts[text] += 1
                        sources[text].add(f"{path.name}:{column}")
    with args.out.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["text", "count", "sources"])
        for text, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            writer.writerow([text, count, " ".join(sorted(sources[text]))])
    print(f"{len(counts)} distinct rate texts, {sum(counts.values())} cells -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Add the CBP rulings of the ATLAS benchmark to the search's ruling evidence (issue #25).

    .venv/bin/python scripts/import_atlas_rulings.py [--dry-run]

Reads data/rulings-evidence/atlas_rows.tsv (the 400 rows of ATLAS's validation and test files,
transcribed: split, row, the codes the answer gives, the other subheadings its reasoning gives to
the goods or a part of them, the question's goods; see data/rulings-evidence/README.md) and
writes data/rulings-evidence/atlas_rulings.jsonl, in the evidence file's format. The search does
not read it by default (measured, README): to try it, point CARM_RULINGS_EVIDENCE at the two files
joined. Run it again after editing the TSV: the result is the same.

A row is kept only when its ruling gave its goods one subheading: the answer names one six-digit
code (statistical suffixes may differ) and the reasoning gives no other goods of the ruling
another subheading (kits classified item by item, several products). Rows on the same goods as a
held-out ruling of data/eval/rulings.jsonl (`test`, `fresh`) are left out, and so are rows
repeating an evidence ruling already in the file (the same CROSS ruling read twice would vote
twice, and a tune ruling left out of its own query would still vote through its copy); two ATLAS
rows on like goods are two rulings of the dataset and both vote. The counts are printed.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "data" / "rulings-evidence"
ATLAS_ROWS = FOLDER / "atlas_rows.tsv"
EVIDENCE = FOLDER / "cbp_rulings.jsonl"
OUTPUT = FOLDER / "atlas_rulings.jsonl"
EVAL = ROOT / "data" / "eval" / "rulings.jsonl"
SOURCE = "atlas"
URL = "https://github.com/mfbaig35r/hts-lora/blob/main/data/external/atlas_{split}.jsonl"
HELD_OUT = ("test", "fresh")
# Word overlap (Jaccard) from which two descriptions are the same goods: 0.5 whatever the codes
# (tests/tariff/test_ruling_evidence.py), 0.3 when they were also given the same subheading (or
# heading): ATLAS descriptions are a model's rewording of the ruling, so the same ruling reworded
# shares fewer words than a copy would.
SAME_GOODS, SAME_GOODS_SAME_CODE = 0.5, 0.3
_COUNTRY = re.compile(r",?\s+(?:imported\s+)?from\s+(?:the\s+)?[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*$")


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def subheadings(codes: str) -> set[str]:
    """Six-digit subheadings of "6110.30.3025; 6110.30.3077" (chapter 98/99 provisions are not
    classifications of goods)."""
    digits = {re.sub(r"\D", "", code)[:6] for code in codes.split(";") if code.strip()}
    return {d for d in digits if len(d) == 6 and d[:2] not in ("98", "99")}


def candidates(path: Path = ATLAS_ROWS) -> tuple[list[dict], dict]:
    """The rows whose ruling gave its goods one subheading, and how many were dropped for what."""
    dropped = {"several subheadings": 0, "parts classified elsewhere": 0, "repeated": 0}
    kept, seen = [], set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        split, row, codes, others, goods = line.split("\t")
        found = subheadings(codes)
        if len(found) != 1:
            dropped["several subheadings"] += 1
            continue
        if others.strip():
            dropped["parts classified elsewhere"] += 1
            continue
        code = found.pop()
        description = _COUNTRY.sub("", goods.strip().rstrip("?.").strip())
        if (code, description.lower()) in seen:
            dropped["repeated"] += 1
            continue
        seen.add((code, description.lower()))
        kept.append(
            {
                "ruling": f"ATLAS-{split[0].upper()}{int(row):03d}",
                "code": f"{code[:4]}.{code[4:]}",
                "description": description,
                "url": URL.format(split=split),
                "source": SOURCE,
            }
        )
    return kept, dropped


def same_goods(row: dict, others: list[dict], code_of, same_code: float = SAME_GOODS) -> dict | None:
    """The first of `others` describing the same goods as `row`: word overlap SAME_GOODS, or
    `same_code` when it was given the same subheading (or heading)."""
    mine, digits = words(row["description"]), row["code"].replace(".", "")
    for other in others:
        shared = overlap(mine, words(other["description"]))
        if shared >= SAME_GOODS or (shared >= same_code and digits.startswith(code_of(other).replace(".", "")[:6])):
            return other
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the counts, write nothing")
    args = parser.parse_args()

    rows, dropped = candidates()
    with open(EVAL, encoding="utf-8") as handle:
        held_out = [r for r in map(json.loads, filter(str.strip, handle)) if r["split"] in HELD_OUT]
    with open(EVIDENCE, encoding="utf-8") as handle:
        existing = [json.loads(line) for line in handle if line.strip()]

    added, near_held_out, near_evidence = [], [], []
    for row in rows:
        if hit := same_goods(row, held_out, lambda r: r["expected"], SAME_GOODS_SAME_CODE):
            near_held_out.append((row["ruling"], hit["ruling"]))
        elif hit := same_goods(row, existing, lambda r: r["code"], SAME_GOODS_SAME_CODE):
            near_evidence.append((row["ruling"], hit["ruling"]))
        else:
            added.append(row)

    print(f"{sum(dropped.values()) + len(rows)} ATLAS rows; dropped: {dropped}")
    print(f"left out as the same goods as a held-out ruling: {len(near_held_out)} {near_held_out}")
    print(f"left out as the same goods as an evidence ruling: {len(near_evidence)} {near_evidence}")
    print(f"written to {OUTPUT.name}: {len(added)} (the evidence file has {len(existing)} rulings)")
    if not args.dry_run:
        OUTPUT.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in added), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Lines assessed per second by the pure assessment engine, on one core.

A realistic mix of rates (ad valorem, specific, compound; some lines priced in USD, some with
SIMA, surtax or excise), parsed once beforehand as the tariff app stores them, in declarations
of 50 lines. Prints lines/s for assessing built lines, and for building (validating) + assessing.

    python bench/assessment.py [--lines N] [--per-declaration N] [--rounds R]
"""

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessment_engine import Charge, Line, assess_declaration, parse_rate  # noqa: E402

# (rate text, unit of the declared quantity, share of lines)
MIX = (
    ("Free", "NMB", 30),
    ("6.5 %", "NMB", 25),
    ("8 %", "KGM", 10),
    ("3.32 ¢/kg", "KGM", 8),
    ("$24.69/tonne", "TNE", 4),
    ("12.28 ¢/litre of absolute ethyl alcohol", "LPA", 3),
    ("243 % but not less than $2.82/kg", "KGM", 5),
    ("5 % but not less than 4.74 ¢/kg or more than 9.48 ¢/kg", "KGM", 5),
    ("9.17 ¢/kg plus 8.5 %", "TNE", 5),  # quantity converted from tonnes
    ("1.88 ¢/kg but not less than 4 % plus 4 %", "KGM", 5),
)
RATES = {text: parse_rate(text) for text, _, _ in MIX}


def line_inputs(rng: random.Random) -> dict:
    text, unit, _ = rng.choices(MIX, weights=[w for _, _, w in MIX])[0]
    inputs = {
        "rate": RATES[text],
        "quantity": Decimal(rng.randint(1, 5000)),
        "unit": unit,
        "classification": "0406.10.10",
        "treatment": "MFN",
    }
    if rng.random() < 0.5:
        inputs.update(
            price=Decimal(rng.randint(100, 10_000_000)) / 100, currency="USD", exchange_rate=Decimal("1.3642")
        )
    else:
        inputs["vfd"] = Decimal(rng.randint(100, 10_000_000)) / 100
    roll = rng.random()
    if roll < 0.03:
        inputs["sima"] = Charge.margin("12.5", code="SIMA-1")
    elif roll < 0.06:
        inputs["surtax"] = Charge(rate=parse_rate("25 %"), code="CS25")
    elif roll < 0.08:
        inputs["excise_tax"] = Charge(amount=Decimal("100.00"), code="AC")
    return inputs


def report(label: str, count: int, seconds: float) -> None:
    print(f"{label}: {count / seconds:,.0f} lines/s ({count:,} lines in {seconds:.2f} s)")


def best_time(rounds: int, work) -> float:
    """The fastest of `rounds` runs: the least disturbed by other processes on the machine."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--per-declaration", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(6)
    inputs = [line_inputs(rng) for _ in range(args.lines)]
    lines = [Line(**i) for i in inputs]
    size = args.per_declaration
    declared = [lines[i : i + size] for i in range(0, len(lines), size)]
    declared_inputs = [inputs[i : i + size] for i in range(0, len(inputs), size)]
    print(f"{len(declared):,} declarations of {size} lines, {len(MIX)} rate forms, one process")
    report(
        "assess (lines built, rates pre-parsed)",
        args.lines,
        best_time(args.rounds, lambda: [assess_declaration(d) for d in declared]),
    )
    report(
        "build and validate lines + assess",
        args.lines,
        best_time(args.rounds, lambda: [assess_declaration(Line(**i) for i in d) for d in declared_inputs]),
    )


if __name__ == "__main__":
    main()

"""The excise duty on imported goods by the dated rates of data/excise/excise_duty_rates.csv (each with
its source): the rate of the goods' classification heading and, for alcohol, of their strength
(D17-1-10 fields 64, 65, 96). The arithmetic is the engine's, like any specific rate; `charged_quantity`
turns a line's litres into litres of absolute ethyl alcohol (or back) where the rate is per the other.
The excise taxes of vehicles (Excise Tax Act Schedule I ss.6-7) and the duties a line cannot give the
facts of (vaping products, cannabis) are declared on the line: their tables say what the Act allows
and why the amount is the one declared."""

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from itertools import product
from pathlib import Path

import assessment_engine as engine

RATES_FILE = Path(__file__).resolve().parent / "data" / "excise" / "excise_duty_rates.csv"
CIGAR_FILE = RATES_FILE.with_name("cigar_additional_duty.csv")
TAX_FILE = RATES_FILE.with_name("excise_tax_rates.csv")
VEHICLE_FILE = RATES_FILE.with_name("vehicle_excise_tax.csv")
DECLARED_FILE = RATES_FILE.with_name("declared_excise_duty.csv")


@dataclass(frozen=True)
class ExciseRate:
    headings: tuple[str, ...]  # the classification headings (digits) the rate is of
    alcohol_over: Decimal | None
    alcohol_to: Decimal | None
    rate: str
    valid_from: dt.date
    valid_to: dt.date | None
    goods_en: str
    goods_fr: str
    source: str

    @property
    def by_strength(self) -> bool:
        return self.alcohol_over is not None or self.alcohol_to is not None

    def holds(self, day: dt.date, alcohol: Decimal | None) -> bool:
        if not self.valid_from <= day <= (self.valid_to or day):
            return False
        # a row not by strength has neither bound: it holds whatever the alcohol
        low, high = self.alcohol_over, self.alcohol_to
        return (low is None or alcohol > low) and (high is None or alcohol <= high)


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


@cache
def rates() -> tuple[ExciseRate, ...]:
    return _read(RATES_FILE)


@cache
def tax_rates() -> tuple[ExciseRate, ...]:
    """The excise tax rates (Excise Tax Act Schedule I) of data/excise/excise_tax_rates.csv: by
    classification only (no strength columns)."""
    return _read(TAX_FILE)


def _read(path: Path) -> tuple[ExciseRate, ...]:
    with path.open(encoding="utf-8") as handle:
        return tuple(
            ExciseRate(
                tuple(row["heading"].split()),
                _decimal(row.get("alcohol_over", "")),
                _decimal(row.get("alcohol_to", "")),
                row["rate"],
                dt.date.fromisoformat(row["valid_from"]),
                dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                row["goods_en"],
                row["goods_fr"],
                row["source"],
            )
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=20000)  # a tariff's classifications: asked for every line of every CAD
def rated(classification: str) -> tuple[ExciseRate, ...]:
    """The rows of the goods classified under `classification` (its digits)."""
    return tuple(row for row in rates() if classification.startswith(row.headings))


@lru_cache(maxsize=20000)  # asked for every line, like `rated`
def tabled(classification: str) -> bool:
    """Whether a table of this module (duty, tax, cigar duty, vehicle tax, declared duty) names the goods
    classified under `classification`, on any date: those it does not (most lines) have none to look up."""
    tables = (rates(), tax_rates(), cigar_duties(), vehicle_taxes(), declared_duties())
    return any(classification.startswith(row.headings) for table in tables for row in table)


def duty_rate(classification: str, day: dt.date, alcohol: Decimal | None) -> ExciseRate | None:
    """The excise duty rate of the goods on `day`: of the rows holding, the one in force last. A row
    by strength holds only for a given `alcohol` (callers ask for it: needs_strength)."""
    holding = [row for row in rated(classification) if (alcohol is not None or not row.by_strength)]
    holding = [row for row in holding if row.holds(day, alcohol)]
    return max(holding, key=lambda row: row.valid_from, default=None)


@lru_cache(maxsize=20000)  # asked for every line, like `rated`
def _taxed(classification: str) -> tuple[ExciseRate, ...]:
    """The excise tax rows of the goods classified under `classification` (its digits)."""
    return tuple(row for row in tax_rates() if classification.startswith(row.headings))


def tax_rate(classification: str, day: dt.date) -> ExciseRate | None:
    """The excise tax rate of the goods classified under `classification` on `day`, if the table has one."""
    holding = [row for row in _taxed(classification) if row.holds(day, None)]
    return max(holding, key=lambda row: row.valid_from, default=None)


def needs_strength(classification: str, day: dt.date) -> bool:
    """Whether the goods' excise duty on `day` depends on their alcohol content."""
    return any(row.by_strength and row.valid_from <= day <= (row.valid_to or day) for row in rated(classification))


# The two units of a drink's quantity: the tariff declares spirits in litres of absolute ethyl alcohol
# (LPA, D17-1-10 field 38) and most other drinks in litres, while a rate may be per the other.
_BY_STRENGTH = {"volume": "LTR", "pure alcohol": "LPA"}


def charged_quantity(row: ExciseRate, quantity: Decimal, unit: str, alcohol: Decimal | None):
    """(quantity, unit) the rate of `row` is charged on when the line's `unit` is litres and the rate
    per litre of absolute ethyl alcohol, or the other way round: converted by the alcohol content
    (field 96; Excise Act, 2001 Schedule 4 s.1: "per litre of absolute ethyl alcohol contained in the
    spirits"). None when the line's own quantity serves (the engine converts within a dimension)."""
    rate_units = engine.parse_rate(row.rate).units
    if quantity is None or not alcohol or not unit or len(rate_units) != 1:
        return None
    (rate_unit,) = rate_units
    have, want = engine.UNITS[unit].dimension, engine.UNITS[rate_unit].dimension
    if have == want or {have, want} != _BY_STRENGTH.keys():
        return None
    base = engine.convert(quantity, unit, _BY_STRENGTH[have])
    share = alcohol / 100
    return (base * share if want == "pure alcohol" else base / share), _BY_STRENGTH[want]


@dataclass(frozen=True)
class CigarDuty:
    """The additional duty on cigars of one period (Excise Act, 2001 s.43 and Schedule 2)."""

    headings: tuple[str, ...]
    per_cigar: Decimal
    percent: Decimal
    valid_from: dt.date
    valid_to: dt.date
    source: str

    def specific(self, cigars: Decimal) -> Decimal:
        return self.per_cigar * cigars

    def ad_valorem(self, duty_paid_value: Decimal) -> Decimal:
        return duty_paid_value * self.percent / 100

    def amount(self, cigars: Decimal, duty_paid_value: Decimal) -> Decimal:
        """Schedule 2: "per cigar, the greater of" the rate a cigar and 88% of the duty-paid value; over a
        line's cigars (one value each: the line's) the greater of the two totals, rounded to the cent."""
        return engine.cents(max(self.specific(cigars), self.ad_valorem(duty_paid_value)))


@cache
def cigar_duties() -> tuple[CigarDuty, ...]:
    with CIGAR_FILE.open(encoding="utf-8") as handle:
        return tuple(
            CigarDuty(
                tuple(row["heading"].split()),
                Decimal(row["per_cigar"]),
                Decimal(row["percent"]),
                dt.date.fromisoformat(row["valid_from"]),
                dt.date.fromisoformat(row["valid_to"]),
                row["source"],
            )
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=20000)  # asked for every line, like `rated`
def _cigar_rows(classification: str) -> tuple[CigarDuty, ...]:
    return tuple(row for row in cigar_duties() if classification.startswith(row.headings))


def cigar_duty(classification: str, day: dt.date) -> CigarDuty | None:
    """The additional duty on the cigars classified under `classification` on `day`, if read."""
    return next((row for row in _cigar_rows(classification) if row.valid_from <= day <= row.valid_to), None)


def counted(quantity: Decimal | None, unit: str | None) -> Decimal | None:
    """A line's number of cigars or vehicles: its quantity counted one by one (cigars' unit is MIL)."""
    if quantity is None or not unit or engine.UNITS[unit].dimension != "count":
        return None
    return engine.convert(quantity, unit, "NMB")


def duty_paid_value(vfd: Decimal, customs_duty: Decimal, excise_duty: Decimal) -> Decimal:
    """Of imported cigars (Excise Act, 2001 s.2 "duty-paid value", as D17-1-10 Appendix B example 3 reads
    it): their value for duty plus the duty of s.42 (excise duty) and of Customs Tariff s.20."""
    return vfd + customs_duty + excise_duty


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class _InForce:
    """A dated row: in force from `valid_from` through `valid_to` (open when blank)."""

    def holds(self, day: dt.date) -> bool:
        return self.valid_from <= day <= (self.valid_to or day)


@dataclass(frozen=True)
class VehicleTax(_InForce):
    """One amount Excise Tax Act Schedule I charges a vehicle (or an air conditioner) of the goods: $100
    for an air conditioner (s.7) or one band of the weighted fuel consumption rating (s.6)."""

    kind: str
    headings: tuple[str, ...]
    amount: Decimal
    valid_from: dt.date
    valid_to: dt.date | None
    goods_en: str
    goods_fr: str
    source: str


@cache
def vehicle_taxes() -> tuple[VehicleTax, ...]:
    return tuple(
        VehicleTax(
            row["kind"],
            tuple(row["heading"].split()),
            Decimal(row["amount"]),
            _date(row["valid_from"]),
            _date(row["valid_to"]),
            row["goods_en"],
            row["goods_fr"],
            row["source"],
        )
        for row in _rows(VEHICLE_FILE)
    )


def vehicle_taxed(classification: str) -> tuple[VehicleTax, ...]:
    """The Schedule I amounts the goods classified under `classification` may bear, of any date."""
    return tuple(row for row in vehicle_taxes() if classification.startswith(row.headings))


def _vehicle_sums(classification: str, day: dt.date):
    """Each choice of the amounts in force on `day`, at most one of each kind (an air conditioner, a
    fuel consumption band), with its sum: $100 and whole thousands, so no two choices share a sum."""
    rows = vehicle_taxed(classification)
    kinds = sorted({row.kind for row in rows})
    choices = [[None, *(row for row in rows if row.kind == kind and row.holds(day))] for kind in kinds]
    for chosen in product(*choices):
        parts = tuple(row for row in chosen if row is not None)
        yield parts, sum((row.amount for row in parts), Decimal(0))


def vehicle_tax_parts(classification: str, day: dt.date, each: Decimal) -> tuple[VehicleTax, ...] | None:
    """The amounts that add up to `each` (the excise tax a line declares for one vehicle): () for 0 (no
    air conditioner and a rating under 13 L/100 km, or an exemption of ss.8 and 10); None when none do."""
    return next((parts for parts, total in _vehicle_sums(classification, day) if total == each), None)


def vehicle_tax_sums(classification: str, day: dt.date) -> list[Decimal]:
    """The excise taxes a vehicle of the goods may bear on `day`, in increasing order."""
    return sorted(total for _parts, total in _vehicle_sums(classification, day))


def vehicle_table_complete(classification: str, day: dt.date) -> bool:
    """Whether every kind of Schedule I amount the goods may bear has its row on `day` (the air
    conditioner's was read from 23 April 2008 only): only then is a sum outside the table refused."""
    rows = vehicle_taxed(classification)
    kinds = {row.kind for row in rows}
    return bool(rows) and all(any(row.holds(day) for row in rows if row.kind == kind) for kind in kinds)


# The Luxury Tax (Select Luxury Items Tax Act, S.C. 2022, c. 10, s. 135; CBSA Memorandum D18-4-1 of 1 September
# 2022) is coded with the air conditioner tax of a vehicle in the one excise tax field of a CAD line (D18-5-1,
# https://www.cbsa-asfc.gc.ca/publications/dm-md/d18/d18-5-1-eng.html: "a single code to account for multiple
# applicable excise charges ... such as when the Luxury tax applies with the Air Conditioning Tax on a vehicle").
# Its value rule was not read: a declared amount it may explain is accepted, not computed.
LUXURY_TAX_FROM = dt.date(2022, 9, 1)
LUXURY_TAX_GOODS = ("8703", "8704")


def may_include_luxury_tax(classification: str, day: dt.date) -> bool:
    return day >= LUXURY_TAX_FROM and classification.startswith(LUXURY_TAX_GOODS)


@dataclass(frozen=True)
class DeclaredDuty(_InForce):
    """Goods whose excise duty (field 65) depends on facts a CAD line does not carry (vaping products:
    the volume of each container; cannabis: the grams of each material or the milligrams of THC), so
    the line declares it; `rule_en`/`rule_fr` say the Act's rule and why it is not computed."""

    headings: tuple[str, ...]
    product: str
    valid_from: dt.date
    valid_to: dt.date | None
    rule_en: str
    rule_fr: str
    source: str


@cache
def declared_duties() -> tuple[DeclaredDuty, ...]:
    return tuple(
        DeclaredDuty(
            tuple(row["heading"].split()),
            row["product"],
            _date(row["valid_from"]),
            _date(row["valid_to"]),
            row["rule_en"],
            row["rule_fr"],
            row["source"],
        )
        for row in _rows(DECLARED_FILE)
    )


def declared_duty(classification: str, day: dt.date) -> DeclaredDuty | None:
    """The declared-duty row of the goods classified under `classification` on `day`, if any."""
    return next((row for row in declared_duties() if classification.startswith(row.headings) and row.holds(day)), None)

"""Units of measure: UN/ECE Recommendation 20 codes, as the tariff's UOM column uses them.

A quantity converts to another unit only within one dimension. Units of a named substance
(litres of pure alcohol, kilograms of dry substance) are dimensions of their own: turning litres
of a drink into litres of alcohol needs its strength, which is not a unit conversion.
"""

from dataclasses import dataclass
from decimal import Decimal

from .errors import UnitMismatchError, UnknownUnitError


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    dimension: str
    factor: Decimal  # size in the dimension's base unit
    en: str  # as the tariff prints it after "/" in a rate
    fr: str


def _unit(code: str, dimension: str, factor: str, en: str, fr: str | None = None) -> Unit:
    return Unit(code, dimension, Decimal(factor), en, fr or en)


UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        _unit("KGM", "mass", "1", "kg"),
        _unit("GRM", "mass", "0.001", "g"),
        _unit("TNE", "mass", "1000", "tonne"),
        _unit("CTM", "mass", "0.0002", "carat"),  # metric carat, 200 mg
        _unit("LTR", "volume", "1", "litre"),
        _unit("MLT", "volume", "0.001", "ml"),
        _unit("HLT", "volume", "100", "hl"),
        _unit("MTQ", "volume", "1000", "m³"),
        _unit("TMQ", "volume", "1000000", "1000 m³"),
        _unit("LPA", "pure alcohol", "1", "litre of absolute ethyl alcohol", "litre d'alcool éthylique absolu"),
        _unit("HPA", "pure alcohol", "100", "hl of absolute ethyl alcohol", "hl d'alcool éthylique absolu"),
        _unit("NMB", "count", "1", "each", "chacun"),
        _unit("DZN", "count", "12", "dozen", "douzaine"),
        _unit("GRO", "count", "144", "gross", "grosse"),
        _unit("MIL", "count", "1000", "thousand", "millier"),
        # Pairs stay apart from counts: whether NMB counts pieces or pairs depends on the goods.
        _unit("PAR", "pair", "1", "pair", "paire"),
        _unit("PR", "pair", "1", "pair", "paire"),
        _unit("MTK", "area", "1", "m²"),
        _unit("MTR", "length", "1", "m"),
        _unit("KWH", "energy", "0.001", "kWh"),
        _unit("MWH", "energy", "1", "MWh"),
        _unit("MBQ", "radioactivity", "1", "MBq"),
        _unit("GBQ", "radioactivity", "1000", "GBq"),
        _unit("KNS", "named substance", "1", "kg of named substance"),
        _unit("KSD", "dry substance", "1", "kg of dry substance"),
        _unit("TSD", "dry substance", "1000", "tonne of dry substance"),
    )
}

# Ways the tariff (English and French) writes a unit after "/", lower-case, beside the codes.
ALIASES: dict[str, str] = {
    **{code.lower(): code for code in UNITS if code != "PR"},
    **{u.en.lower(): u.code for u in UNITS.values() if u.code != "PR"},
    **{u.fr.lower(): u.code for u in UNITS.values() if u.code != "PR"},
    "kilogram": "KGM",
    "kilogramme": "KGM",
    "t": "TNE",
    "metric ton": "TNE",
    "l": "LTR",
    "liter": "LTR",
    "hectolitre": "HLT",
    "m3": "MTQ",
    "m2": "MTK",
    "l of absolute ethyl alcohol": "LPA",
    "liter of absolute ethyl alcohol": "LPA",
    "l d'alcool éthylique absolu": "LPA",
    "lpa": "LPA",
    "unit": "NMB",
    "unité": "NMB",
    "number": "NMB",
    "l'unité": "NMB",
}


def get_unit(code: str, field: str = "unit") -> Unit:
    try:
        return UNITS[code]
    except (KeyError, TypeError):
        raise UnknownUnitError(f"unknown unit of measure {code!r}", field) from None


def convert(quantity: Decimal, from_code: str, to_code: str, field: str = "unit") -> Decimal:
    """`quantity` of `from_code` expressed in `to_code` (2 TNE -> 2000 KGM)."""
    source, target = get_unit(from_code, field), get_unit(to_code, field)
    if source.dimension != target.dimension:
        raise UnitMismatchError(to_code, from_code, field, f"{target.dimension} vs {source.dimension}")
    if source.factor == target.factor:
        return quantity
    # Multiply before dividing so that 30 NMB -> 2.5 DZN stays exact.
    return quantity * source.factor / target.factor

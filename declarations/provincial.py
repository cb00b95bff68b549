"""The provincial levies CBSA collects on non-commercial goods accounted for in the commercial stream
(D17-1-10 fields 94, 95, 97, 98; Memorandum D2-3-6), by the province of destination (field 60):
the HST of a participating province, computed from the dated rates of data/provincial/hst_rates.csv
(each with its source; the README says what was read and what was not), and which goods call for
the provincial tobacco tax. The other levies (PST, QST, alcohol markup, cannabis duty) stay as the
line declares them: no source read gives their rates and base in a citable table."""

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import assessment_engine as engine

HST_FILE = Path(__file__).resolve().parent / "data" / "provincial" / "hst_rates.csv"

# D17-1-10 Appendix B example 9: "Pour les provinces participant à la TVH, le PCC doit utiliser le
# code d'exonération de la TPS 99 [...] et le montant de la TVH doit être saisi dans le champ TVP/TVH."
HST_GST_CODE = "99"

# D17-1-10 field 97: "La taxe provinciale sur le tabac s'applique à toutes les importations non
# commerciales de marchandises contenant du tabac pour lesquelles la province de destination a conclu
# un accord de perception de la taxe sur le tabac (Nouveau-Brunswick, Québec, Ontario, Manitoba,
# Saskatchewan, Alberta et Colombie-Britannique)."
TOBACCO_TAX_PROVINCES = frozenset({"NB", "QC", "ON", "MB", "SK", "AB", "BC"})
# "Marchandises contenant du tabac", by the Harmonized System (2022): tobacco (24.01), cigars and
# cigarettes containing tobacco (2402.10, 2402.20; not 2402.90, of tobacco substitutes), manufactured
# tobacco (24.03) and products containing tobacco for inhalation without combustion (2404.11).
TOBACCO_PREFIXES = ("2401", "240210", "240220", "2403", "240411")


@dataclass(frozen=True)
class HstRate:
    province: str
    rate: Decimal  # the provincial part, in percent (Excise Tax Act s.123(1) "tax rate")
    valid_from: dt.date
    valid_to: dt.date | None
    source: str

    @property
    def total(self) -> Decimal:
        """The HST rate in percent: the GST's 5% (Excise Tax Act s.212) plus the provincial part
        (s.212.1(2)), charged on the same value for tax (s.215)."""
        return engine.GST_RATE * 100 + self.rate

    def amount(self, value_for_tax: Decimal) -> Decimal:
        """The HST on `value_for_tax`, rounded half up to the cent once, as the GST is."""
        return engine.cents(value_for_tax * self.total / 100)


@cache
def hst_rates() -> tuple[HstRate, ...]:
    with HST_FILE.open(encoding="utf-8") as handle:
        return tuple(
            HstRate(
                row["province"],
                Decimal(row["rate"]),
                dt.date.fromisoformat(row["valid_from"]),
                dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                row["source"],
            )
            for row in csv.DictReader(handle)
        )


def hst_rate(province: str, day: dt.date) -> HstRate | None:
    """The HST rate of `province` in force on `day`; None outside the periods read (the line's
    declared amount then stands) or for a province that is not a participating one."""
    return next(
        (row for row in hst_rates() if row.province == province and row.valid_from <= day <= (row.valid_to or day)),
        None,
    )


def contains_tobacco(classification: str) -> bool:
    return classification.startswith(TOBACCO_PREFIXES)

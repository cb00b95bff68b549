"""Which tariff treatments goods of each origin may claim on a day: the country side of the Customs
Tariff's "List of Countries and Applicable Tariff Treatments", dated.

The base table is CBSA's list issued 1 January 2026 (data/country-treatments/, every country it
names, as printed). What changed between the first schedule the project ships (T2021, in force
2021-07-01) and that list is kept below as dated grants, each with its legal source: a grant decides
its treatment for its countries (eligible between `start` and `end`), the 2026 list decides the rest.
Changes this module does not know about (e.g. GPT or LDCT list amendments before 2026) read as the
2026 list: say so where it matters.

Eligibility is necessary, not sufficient: any treatment other than MFN and the General Tariff is a
preference, and claiming it needs proof of origin (a certificate or origin statement).
"""

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

MFN = "MFN"
GENERAL_TARIFF = "GT"
NOT_PREFERENCES = frozenset({MFN, GENERAL_TARIFF})
LIST_SOURCE = _("Customs Tariff, schedule: List of Countries and Applicable Tariff Treatments (T2026)")
LIST_FILE = Path(__file__).resolve().parent / "data" / "country-treatments" / "country_tariff_treatments_2026_fr.csv"

# The CAD's tariff treatment codes (field 31): CBSA Memorandum D17-1-10 (CARM, 2024-10-21), Appendix H.
CAD_CODES = {
    "MFN": "002",
    "GT": "003",
    "AUT": "004",
    "NZT": "005",
    "CCCT": "007",
    "LDCT": "008",
    "GPT": "009",
    "UST": "010",
    "MXT": "011",
    "CIAT": "013",
    "CT": "014",
    "CRT": "021",
    "IT": "022",
    "NT": "023",
    "SLT": "024",
    "PT": "025",
    "COLT": "026",
    "JT": "027",
    "PAT": "028",
    "HNT": "029",
    "KRT": "030",
    "CEUT": "031",
    "UAT": "032",
    "CPTPT": "033",
    "UKT": "034",
}
# Where each treatment's beneficiaries are named (the Customs Tariff section, or the agreement's Act).
SOURCES = {
    "MFN": "Customs Tariff s.29-31",
    "GT": "Customs Tariff s.31(1)",
    "GPT": "Customs Tariff s.33-37",
    "LDCT": "Customs Tariff s.38",
    "CCCT": "Customs Tariff s.41-42",
    "AUT": "Customs Tariff s.39",
    "NZT": "Customs Tariff s.40",
    "UST": "Customs Tariff s.49 (CUSMA)",
    "MXT": "Customs Tariff s.50 (CUSMA)",
    "CIAT": "Customs Tariff s.52 (CIFTA)",
    "CT": "Customs Tariff s.53 (CCFTA)",
    "CRT": "Customs Tariff s.52.1 (CCRFTA)",
    "IT": "Customs Tariff s.52.2 (CEFTA)",
    "NT": "Customs Tariff s.52.3 (CEFTA)",
    "SLT": "Customs Tariff s.52.4 (CEFTA)",
    "PT": "Customs Tariff s.49.1 (CPFTA)",
    "COLT": "Customs Tariff s.49.2 (CCOFTA)",
    "JT": "Customs Tariff s.49.3 (CJFTA)",
    "PAT": "Customs Tariff s.49.4 (CPAFTA)",
    "HNT": "Customs Tariff s.49.5 (CHFTA)",
    "KRT": "Customs Tariff s.49.6 (CKFTA)",
    "CEUT": "Customs Tariff s.49.7 (CETA)",
    "UAT": "Customs Tariff s.52.5 (CUFTA)",
    "CPTPT": "Customs Tariff s.49.8 (CPTPP)",
    "UKT": "Customs Tariff s.49.9 (Canada-UK TCA)",
}


@dataclass(frozen=True)
class Grant:
    """`treatment` for goods of `origins` from `start` (inclusive) to `end` (exclusive), None = open."""

    treatment: str
    origins: frozenset[str]
    start: date | None
    end: date | None
    source: str
    tariff_items: frozenset[str] = frozenset()  # only these tariff items (8 digits), when given

    def in_force(self, day: date, code: str = "") -> bool:
        if self.tariff_items and code[:8] not in self.tariff_items:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


def _countries(text: str) -> frozenset[str]:
    return frozenset(text.split())


GRANTS = (
    # Russia and Belarus lost MFN on registration of the order; their goods take the General Tariff.
    Grant(
        MFN,
        _countries("RU BY"),
        None,
        date(2022, 3, 2),
        "SOR/2022-35, Most-Favoured-Nation Tariff Withdrawal Order (2022-1)",
    ),
    Grant(GENERAL_TARIFF, _countries("RU BY"), date(2022, 3, 2), None, "SOR/2022-35; Customs Tariff s.31(1)"),
    # ... except goods of tariff item 2844.43.00 (medical isotopes), MFN again from 7 October 2022.
    Grant(
        MFN,
        _countries("RU BY"),
        date(2022, 10, 7),
        None,
        "SOR/2022-209, Most-Favoured-Nation Tariff Withdrawal Order (2022-2), s.4",
        frozenset({"28444300"}),
    ),
    Grant(GENERAL_TARIFF, _countries("KP"), None, None, "Customs Tariff s.31(1): North Korea, no MFN"),
    # CPTPP: in force for Canada and each party 60 days after that party ratified (CPTPP art. 3;
    # dates as the depositary, New Zealand MFAT, records them).
    Grant("CPTPT", _countries("AU JP MX NZ SG"), date(2018, 12, 30), None, "CPTPP, in force 2018-12-30"),
    Grant("CPTPT", _countries("VN"), date(2019, 1, 14), None, "CPTPP, in force for Viet Nam 2019-01-14"),
    Grant("CPTPT", _countries("PE"), date(2021, 9, 19), None, "CPTPP, in force for Peru 2021-09-19"),
    Grant("CPTPT", _countries("MY"), date(2022, 11, 29), None, "CPTPP, in force for Malaysia 2022-11-29"),
    Grant("CPTPT", _countries("CL"), date(2023, 2, 21), None, "CPTPP, in force for Chile 2023-02-21"),
    Grant("CPTPT", _countries("BN"), date(2023, 7, 12), None, "CPTPP, in force for Brunei 2023-07-12"),
    # The United Kingdom's CPTPP accession (in force 2024-12-15 for the parties that ratified it) is
    # not in force between Canada and the UK: Canada has not ratified it, so UK goods use UKT.
)
_GRANTS_BY_ORIGIN: dict[str, tuple[Grant, ...]] = {}
for _grant in GRANTS:
    for _origin in _grant.origins:
        _GRANTS_BY_ORIGIN[_origin] = (*_GRANTS_BY_ORIGIN.get(_origin, ()), _grant)


class UnknownOrigin(LookupError):
    """The code names no country of the List of Countries and Applicable Tariff Treatments."""


@lru_cache(maxsize=1)
def country_list() -> dict[str, frozenset[str]]:
    """ISO code -> the treatments the 2026 list marks for it (North Korea added: the transcription lost it)."""
    listed: dict[str, frozenset[str]] = {"KP": frozenset()}
    with open(LIST_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for code in row["iso2"].split():
                listed[code] = listed.get(code, frozenset()) | frozenset(row["treatments_en"].split())
    return listed


def eligible_treatments(origin: str, day: date, code: str = "") -> frozenset[str]:
    """Every treatment goods originating in `origin` may be entitled to on `day` (`code`: the
    classification, for the orders that name tariff items). Raises UnknownOrigin."""
    origin = origin.upper()
    listed = country_list().get(origin)
    if listed is None:
        raise UnknownOrigin(origin)
    grants = _GRANTS_BY_ORIGIN.get(origin)
    if not grants:
        return listed
    decided = {}
    for grant in grants:  # a grant in force wins over one out of force for the same treatment
        decided[grant.treatment] = decided.get(grant.treatment, False) or grant.in_force(day, code)
    return frozenset(t for t in listed if t not in decided) | {t for t, yes in decided.items() if yes}


def why_not(origin: str, treatment: str, day: date, code: str = "") -> str:
    """The rule that refuses `treatment` to goods of `origin` on `day`: the order or agreement date
    when a dated grant decides it, else the country list."""
    for grant in _GRANTS_BY_ORIGIN.get(origin.upper(), ()):
        if grant.treatment == treatment and not grant.in_force(day, code):
            return grant.source
    return str(LIST_SOURCE)


def needs_proof_of_origin(treatment: str) -> bool:
    return treatment not in NOT_PREFERENCES

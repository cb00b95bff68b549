"""Small tariff and exchange-rate rows the estimator tests share (never the shipped data).

Chapter 22 with two classification numbers:
- 2201.90.00.00 (other waters, per litre): MFN 6.5 %, General Tariff 35 %, UST Free, CEUT Free,
  CPTPT 3 %, GPT N/A (a rate the engine cannot compute);
- 2204.21.10.00 (wine, per litre): MFN 4.68 ¢/litre (specific), UST Free.
Bank of Canada USD rates on Thursday 2025-01-02 and Friday 2025-01-03 only.
"""

from datetime import date
from decimal import Decimal

import pytest

from assessment.models import ExchangeRate
from assessment_engine import parse_rate
from tariff.models import Chapter, DataLoad, Rate, Section, TariffLine

DAY = date(2025, 1, 3)  # a Friday with a rate
WATER, WINE = "2201900000", "2204211000"

LINES = [  # code, printed, level, parent, unit
    ("2201", "22.01", "heading", "22", ""),
    ("22019000", "2201.90.00", "tariff_item", "2201", ""),
    ("2201900000", "2201.90.00.00", "classification", "22019000", "LTR"),
    ("2204", "22.04", "heading", "22", ""),
    ("22042110", "2204.21.10", "tariff_item", "2204", ""),
    ("2204211000", "2204.21.10.00", "classification", "22042110", "LTR"),
]
RATES = {
    "22019000": {"MFN": "6.5 %", "GT": "35 %", "UST": "Free", "CEUT": "Free", "CPTPT": "3 %", "GPT": "N/A"},
    "22042110": {"MFN": "4.68 ¢/litre", "UST": "Free"},
}


@pytest.fixture
def tariff_rows(db):
    section = Section.objects.create(number=4, roman="IV", title_en="Prepared foodstuffs; beverages")
    Chapter.objects.create(number="22", section=section, title_en="Beverages, spirits and vinegar")
    version = DataLoad.objects.create(
        kind="schedule", label="test", effective_date=date(2020, 1, 1), source_name="fixture", sha256="0" * 64
    )
    add_rows(version, "22", LINES, RATES)
    return version


def add_rows(version: DataLoad, chapter: str, lines: list, rates: dict) -> None:
    """Tariff rows of `chapter` (code, printed, level, parent, unit) and their rates {code: {treatment: text}}."""
    since = {"valid_from": date(2020, 1, 1), "version": version}
    for code, printed, level, parent, unit in lines:
        TariffLine.objects.create(
            code=code,
            printed_code=printed,
            level=level,
            chapter=chapter,
            parent_code=parent,
            description_en=f"Goods {printed}",
            description_fr=f"Marchandises {printed}",
            unit_of_measure=unit,
            **since,
        )
    for code, by_treatment in rates.items():
        for treatment, text in by_treatment.items():
            Rate.objects.create(
                code=code, treatment=treatment, text=text, structured=parse_rate(text).to_dict(), **since
            )


@pytest.fixture
def usd_rates(db):
    ExchangeRate.objects.create(currency="USD", date=date(2025, 1, 2), cad_per_unit=Decimal("1.4400"))
    ExchangeRate.objects.create(currency="USD", date=DAY, cad_per_unit=Decimal("1.15"))


def test_the_fixture_tariff_answers_classification_lookups(tariff_rows):
    from tariff.services import classification

    found = classification(WATER, DAY)
    assert found.unit_of_measure == "LTR"
    assert {rate.treatment for rate in found.rates} == set(RATES["22019000"])

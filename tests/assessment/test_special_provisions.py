"""A Chapter 99 tariff item claimed as the line's tariff code replaces the classification's rate
(D17-1-10 (2024), Appendix B: 15.5 % brought to Free by 9967.00.00); GST stays due; a tariff code
that is not a Chapter 99 item is refused on its field."""

from datetime import date
from decimal import Decimal

import pytest

from assessment import services
from assessment.engine import parse_rate
from tariff.models import Chapter, DataLoad, Rate, Section, TariffLine

from .test_estimate_fixtures import DAY, WATER, tariff_rows  # noqa: F401 (fixture)


@pytest.fixture
def chapter_99(tariff_rows):
    section = Section.objects.create(number=21, roman="XXI", title_en="Special classification provisions")
    Chapter.objects.create(number="99", section=section, title_en="Special classification provisions - commercial")
    since = {"valid_from": date(2020, 1, 1), "version": DataLoad.objects.get(label="test")}
    for code, printed, level, parent in [
        ("9967", "99.67", "heading", "99"),
        ("99670000", "9967.00.00", "tariff_item", "9967"),
    ]:
        TariffLine.objects.create(
            code=code,
            printed_code=printed,
            level=level,
            chapter="99",
            parent_code=parent,
            description_en="Goods for use in aircraft",
            description_fr="Marchandises devant servir dans des aéronefs",
            **since,
        )
    for treatment in ("MFN", "UST"):
        Rate.objects.create(
            code="99670000", treatment=treatment, text="Free", structured=parse_rate("Free").to_dict(), **since
        )


def test_a_chapter_99_tariff_code_replaces_the_rate_and_gst_stays_due(chapter_99):
    line = {"classification": WATER, "origin": "CN", "value": "1000.00", "tariff_code": "9967"}
    result = services.estimate({"shipment_date": DAY.isoformat(), "lines": [line]})
    [assessed] = result["lines"]
    assert (assessed["tariff_code"], assessed["customs_duty"], assessed["gst"]) == ("99670000", "0.00", "50.00")
    assert "9967.00.00" in assessed["explanation"]["tariff_code"]
    without = services.estimate_line({**line, "tariff_code": ""}, DAY)
    assert without.chosen.assessment.cud == Decimal("65.00")  # MFN 6.5 % on the water itself


@pytest.mark.parametrize(
    ("tariff_code", "code"),
    [("2201", "invalid_tariff_code"), ("99A7", "invalid_tariff_code"), ("9971", "unknown_tariff_code")],
)
def test_a_tariff_code_that_is_no_chapter_99_item_is_refused(chapter_99, tariff_code, code):
    with pytest.raises(services.InputError) as refused:
        services.estimate_line(
            {"classification": WATER, "origin": "CN", "value": "1000.00", "tariff_code": tariff_code}, DAY
        )
    assert (refused.value.field, refused.value.code) == ("tariff_code", code)

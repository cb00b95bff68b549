"""A Chapter 99 tariff item claimed as the line's tariff code replaces the classification's rate
(D17-1-10 (2024), Appendix B: 15.5 % brought to Free by 9967.00.00); GST stays due; a tariff code
that is not a Chapter 99 item is refused on its field."""

from decimal import Decimal

import pytest

from assessment import services
from tariff.models import Chapter, Section

from .test_estimate_fixtures import DAY, WATER, add_rows, tariff_rows  # noqa: F401 (fixture)


@pytest.fixture
def chapter_99(tariff_rows):
    section = Section.objects.create(number=21, roman="XXI", title_en="Special classification provisions")
    Chapter.objects.create(number="99", section=section, title_en="Special classification provisions - commercial")
    lines = [("9967", "99.67", "heading", "99", ""), ("99670000", "9967.00.00", "tariff_item", "9967", "")]
    add_rows(tariff_rows, "99", lines, {"99670000": {"MFN": "Free", "UST": "Free"}})


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

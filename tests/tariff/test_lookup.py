from datetime import date

import pytest

from tariff import services
from tariff.codes import InvalidCode, digits_of, dotted

from .conftest import T2021_DAY, T2026_DAY


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("0101.21.00.00", "0101210000"), ("0101 21 00", "01012100"), ("01.01", "0101"), (" 6109-10 ", "610910")],
)
def test_codes_are_read_with_or_without_dots(typed, digits):
    assert digits_of(typed) == digits


@pytest.mark.parametrize("typed", ["01O1", "0101.21.00.00.00", "'; drop table", "٠١٠١"])
def test_codes_with_anything_but_digits_or_too_long_are_refused(typed):
    with pytest.raises(InvalidCode):
        digits_of(typed)


@pytest.mark.parametrize(
    ("digits", "printed"),
    [
        ("0101", "01.01"),
        ("01012", "0101.2"),
        ("020711", "0207.11"),
        ("0207119", "0207.11.9"),
        ("0101210000", "0101.21.00.00"),
    ],
)
def test_codes_print_the_way_the_schedule_prints_them(digits, printed):
    assert dotted(digits) == printed


def test_a_classification_number_comes_with_its_path_unit_and_its_tariff_items_rates(t2021):
    found = services.classification("0101.21.00.00", T2021_DAY)
    assert found.line.description_en == "Pure-bred breeding animals"
    assert [line.code for line in found.path] == ["0101", "01012", "01012100"]
    assert found.chapter.number == "01" and found.chapter.section.roman == "I"
    assert found.unit_of_measure == "NMB"
    assert found.rates_from == "01012100"
    assert found.rates[0].treatment == "MFN" and found.rates[0].text == "Free"
    assert found.children == []


def test_a_tariff_item_lists_its_classification_numbers(t2021):
    found = services.classification("01012900", T2021_DAY)
    assert [line.code for line in found.children] == ["0101290010", "0101290020", "0101290090"]


def test_a_classification_number_without_a_tariff_item_has_its_own_rates(t2021):
    found = services.classification("0207119200", T2021_DAY)
    assert found.rates_from == "0207119200"
    assert [rate.text for rate in found.rates] == ["238 % but not less than $1.67/kg"]


def test_lookups_follow_the_date_asked(t2026):
    assert services.classification("4402901010", date(2025, 12, 31)).schedule.label == "T2021"
    with pytest.raises(services.UnknownCode):
        services.classification("4402901010", T2026_DAY)
    assert services.classification("4402201000", T2026_DAY).schedule.label == "T2026"


def test_a_date_before_any_schedule_says_when_the_first_one_starts(t2021):
    with pytest.raises(services.NoScheduleInForce, match="2021-04-01"):
        services.classification("0101210000", date(1999, 1, 1))


@pytest.mark.parametrize("number", ["0101", "abc", "0101.21.00.00.1", ""])
def test_a_lookup_needs_eight_or_ten_digits(t2021, number):
    with pytest.raises(services.MalformedCode):
        services.classification(number, T2021_DAY)


def test_a_heading_lists_every_row_under_it_with_its_depth(t2021):
    outline = services.heading("01.01", T2021_DAY)
    rows = [(line.code, line.depth) for line in outline.descendants]
    assert rows[:4] == [("01012", 1), ("01012100", 2), ("0101210000", 3), ("01012900", 2)]
    assert outline.mfn["01012100"].text == "Free"
    assert [note.kind for note in outline.notes][:1] == ["note"]


def test_a_chapter_lists_its_headings_and_the_notes_of_its_section_first(t2021):
    outline = services.chapter("1", T2021_DAY)
    assert [line.code for line in outline.headings] == ["0101", "0102", "0103", "0104", "0105", "0106"]
    assert outline.notes[0].section_id == 1 and outline.notes[-1].chapter_id == "01"


def test_the_export_gives_every_row_with_its_rates(t2026):
    rows = list(services.export_rows(T2026_DAY))
    assert len(rows) == services.TariffLine.objects.as_of(T2026_DAY).count()
    item = next(row for row in rows if row["number"] == "01012100")
    assert (item["MFN"], item["GT"], item["CEUT"]) == ("Free", "35%", "Free")
    assert next(row for row in rows if row["number"] == "0101210000")["MFN"] == ""


def test_a_tariff_item_lists_grouping_rows_and_the_numbers_under_them(t2021):
    found = services.classification("01059410", T2021_DAY)
    assert [(line.code, line.level) for line in found.children][:3] == [
        ("010594101", "grouping"),
        ("0105941011", "classification"),
        ("0105941012", "classification"),
    ]

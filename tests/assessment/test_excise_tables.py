"""The excise duty tables of assessment/data/excise hold together: one rate a day for any goods and
strength (else duty_rate would pick by start date alone), each rate readable by the engine, each row
named in English and French and tied to its source."""

import dataclasses
import datetime as dt
import itertools

import pytest

import assessment_engine as engine
from assessment import excise

_OPEN = dt.date.max
# A page's address, the Justice Laws XML read in the stored repository, or the memorandum the project holds.
_CITED = ("https://", "http://", "justicecanada/laws-lois-xml", "D17-1-10")


def _strengths_meet(a: excise.ExciseRate, b: excise.ExciseRate) -> bool:
    low_a, low_b = a.alcohol_over, b.alcohol_over
    high_a, high_b = a.alcohol_to, b.alcohol_to
    below = high_a is not None and low_b is not None and high_a <= low_b
    above = high_b is not None and low_a is not None and high_b <= low_a
    return not (below or above)


def _same_goods(a, b) -> bool:
    """Whether some classification falls under a heading of each (one heading begins the other)."""
    return any(x.startswith(y) or y.startswith(x) for x in a.headings for y in b.headings)


def _periods_meet(a_from, a_to, b_from, b_to) -> bool:
    return a_from <= (b_to or _OPEN) and b_from <= (a_to or _OPEN)


@pytest.mark.parametrize("table", [excise.rates, excise.tax_rates])
def test_no_two_duty_or_tax_rows_of_the_same_goods_and_strength_hold_on_the_same_day(table):
    clashes = [
        (a.rate, a.valid_from, b.rate, b.valid_from)
        for a, b in itertools.combinations(table(), 2)
        if _same_goods(a, b)
        and _strengths_meet(a, b)
        and _periods_meet(a.valid_from, a.valid_to, b.valid_from, b.valid_to)
    ]
    assert clashes == []


def test_no_two_additional_duty_rows_on_cigars_hold_on_the_same_day():
    rows = excise.cigar_duties()
    clashes = [
        (a.per_cigar, b.per_cigar)
        for a, b in itertools.combinations(rows, 2)
        if set(a.headings) & set(b.headings) and _periods_meet(a.valid_from, a.valid_to, b.valid_from, b.valid_to)
    ]
    assert clashes == []


def test_each_duty_row_parses_names_its_goods_in_both_languages_and_cites_a_source():
    for row in excise.rates():
        assert engine.parse_rate(row.rate).units, row.rate  # a specific rate, per a unit the engine knows
        assert row.goods_en and row.goods_fr and row.goods_en != row.goods_fr, row.rate
        assert any(cited in row.source for cited in _CITED), row.rate
        assert row.valid_to is None or row.valid_from <= row.valid_to, row.rate


@pytest.mark.parametrize(
    "table", [excise.rates, excise.cigar_duties, excise.vehicle_taxes, excise.declared_duties], ids=lambda t: t.__name__
)
def test_a_table_row_read_cannot_be_altered_by_the_code_using_it(table):
    # the rows are read once and shared by every line assessed after: none may change them
    row = table()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.source = ""


@pytest.mark.parametrize(
    "table",
    [excise.rates, excise.tax_rates, excise.cigar_duties, excise.vehicle_taxes, excise.declared_duties],
    ids=lambda t: t.__name__,
)
def test_goods_under_a_heading_of_any_table_are_tabled(table):
    # validation looks up no excise for goods that are not tabled: a row missed would go uncharged
    for row in table():
        for heading in row.headings:
            assert excise.tabled(heading.ljust(10, "0")), heading


def test_goods_no_table_names_are_not_tabled():
    assert not excise.tabled("0101210000")  # pure-bred horses for breeding
    assert not excise.tabled("8471300000")  # portable computers

"""The spirits and wine rows the Excise Act, 2001 itself fixes (assessment/data/excise README): where the law
fixes the factor B of the 1 April adjustment (s.123.1 and s.135.1 (2.1)-(2.3): 1.02 for 2023 and 2024, capped at
1.02 for 2025 and 1.020 that year), each year's rate is the previous year's x B, rounded to the nearest thousandth,
half up (s.123.1(3), s.135.1(3)). Recomputed here from the table's own rows, so a typed figure that is not the
law's fails."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from assessment import excise

SPIRITS, WINE = "2208300000", "2204210000"
# A strength inside each band: spirits of not more than / more than 7%, wine bands (a), (b), (c) of Schedule 6.
BANDS = [(SPIRITS, "5"), (SPIRITS, "40"), (WINE, "1"), (WINE, "5"), (WINE, "13.5")]
FIXED_BY_LAW = {2023: Decimal("1.02"), 2024: Decimal("1.02"), 2025: Decimal("1.020")}
THOUSANDTH = Decimal("0.001")


def _adjusted(rate: Decimal, factor: Decimal) -> Decimal:
    return (rate * factor).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def _rate_on(goods: str, strength: str, day: dt.date) -> Decimal:
    row = excise.duty_rate(goods, day, Decimal(strength))
    assert row is not None, (goods, strength, day)
    amount, _unit = row.rate.removeprefix("$").split("/")
    return Decimal(amount)


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize(("goods", "strength"), BANDS)
def test_each_row_of_a_year_whose_factor_the_law_fixes_is_last_years_rate_times_the_factor(goods, strength, year):
    previous = _rate_on(goods, strength, dt.date(year, 3, 31))
    assert _rate_on(goods, strength, dt.date(year, 4, 1)) == _adjusted(previous, FIXED_BY_LAW[year])


def test_the_rounding_is_to_the_nearest_thousandth_half_up():
    assert _adjusted(Decimal("0.337"), Decimal("1.02")) == Decimal("0.344")  # 0.34374
    assert _adjusted(Decimal("0.125"), Decimal("1.02")) == Decimal("0.128")  # 0.1275: equidistant, the higher


@pytest.mark.parametrize("strength", ["1", "5", "13.5"])
def test_the_2022_wine_rate_is_the_only_thousandth_the_2023_factor_takes_to_edn85s_rate(strength):
    of_2022 = _rate_on(WINE, strength, dt.date(2022, 4, 1))
    of_2023 = _rate_on(WINE, strength, dt.date(2023, 4, 1))
    assert _adjusted(of_2022, FIXED_BY_LAW[2023]) == of_2023
    for neighbour in (of_2022 - THOUSANDTH, of_2022 + THOUSANDTH):  # unique: a typo of one thousandth fails
        assert _adjusted(neighbour, FIXED_BY_LAW[2023]) != of_2023


@pytest.mark.parametrize(
    ("goods", "strength", "day", "rate"),
    [
        (SPIRITS, "5", dt.date(2024, 3, 31), "$0.337/litre"),  # EDN85
        (SPIRITS, "5", dt.date(2024, 4, 1), "$0.344/litre"),  # 0.337 x 1.02
        (SPIRITS, "5", dt.date(2025, 3, 31), "$0.344/litre"),
        (WINE, "1", dt.date(2024, 4, 1), "$0.022/litre"),  # band (a)
        (WINE, "0.5", dt.date(2024, 4, 1), None),  # not more than 0.5%: no duty (EDN100)
        (WINE, "7", dt.date(2025, 3, 31), "$0.344/litre"),  # band (b) to its top
        (WINE, "7", dt.date(2025, 4, 1), "$0.351/litre"),
        (WINE, "5", dt.date(2026, 3, 31), "$0.351/litre"),
        (WINE, "5", dt.date(2026, 4, 1), None),  # 2026: the factor is not fixed by law, the notice not read
        (WINE, "13.5", dt.date(2022, 3, 31), "$0.672/litre"),
        (WINE, "13.5", dt.date(2022, 4, 1), "$0.688/litre"),
        (WINE, "0.4", dt.date(2022, 4, 1), "$0.022/litre"),  # before 2023, band (a) from 0%
        (WINE, "5", dt.date(2023, 3, 31), "$0.330/litre"),
    ],
)
def test_the_rows_fixed_by_law_hold_from_their_first_of_april_to_the_day_before_the_next(goods, strength, day, rate):
    row = excise.duty_rate(goods, day, Decimal(strength))
    assert (row.rate if row else None) == rate

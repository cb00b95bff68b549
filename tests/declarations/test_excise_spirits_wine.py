"""Excise duty on spirits and wine by the dated rates of assessment/data/excise (issue #18, item 1):
spirits of more than 7% per litre of absolute ethyl alcohol (Excise Act, 2001 Schedule 4 s.1),
spirits of not more than 7% per litre of spirits (s.2), wine by its alcohol band (Schedule 6), each
at the rate CRA adjusted on 1 April of the year of release."""

import datetime as dt
from decimal import Decimal

import pytest

from assessment import excise
from declarations import explain, services
from tests.assessment.test_estimate_fixtures import WINE, add_rows

from .conftest import cad, line

WHISKY = "2208300000"
IN_2024 = dt.date(2024, 1, 15)  # the rates of 1 April 2023 (CRA EDN85), within the billing calendar


@pytest.fixture
def spirits(tariff_rows):
    rows = [("2208", "22.08", "heading", "22", ""), (WHISKY, "2208.30.00.00", "tariff_item", "2208", "LPA")]
    add_rows(tariff_rows, "22", rows, {WHISKY: {"MFN": "Free"}})


@pytest.fixture
def in_2024(on_day):
    on_day(IN_2024 + dt.timedelta(days=1))


def whisky(**changes):
    given = {"narrative": "Scotch whisky", "quantity": "400", "unit": "LPA", "value": "9000.00", **changes}
    return line(classification=WHISKY, **given)


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (dt.date(2017, 3, 23), "$11.930/LPA"),  # the Act's own rate, from 23 March 2017
        (dt.date(2019, 3, 31), "$12.109/LPA"),  # EDN46, to the day before the next adjustment
        (dt.date(2019, 4, 1), "$12.375/LPA"),  # EDN57
        (dt.date(2022, 4, 1), "$13.042/LPA"),
        (dt.date(2023, 4, 1), "$13.303/LPA"),  # EDN85: the increase capped at 2%
        (dt.date(2024, 4, 1), "$13.569/LPA"),  # Finance's table of the capped rates, FY 2024-25
        (dt.date(2025, 3, 31), "$13.569/LPA"),
        (dt.date(2025, 4, 1), "$13.840/LPA"),  # FY 2025-26, the cap's second year
        (dt.date(2026, 3, 31), "$13.840/LPA"),
    ],
)
def test_spirits_over_7_percent_pay_the_rate_adjusted_each_first_of_april(day, rate):
    assert excise.duty_rate(WHISKY, day, Decimal("40")).rate == rate


def test_no_spirits_rate_is_assumed_for_a_year_whose_notice_was_not_read():
    assert excise.duty_rate(WHISKY, dt.date(2026, 4, 1), Decimal("40")) is None  # declared on the line instead
    assert excise.duty_rate(WHISKY, dt.date(2026, 4, 1), Decimal("5")) is None  # nor of not more than 7%


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (dt.date(2024, 3, 31), "$0.702/litre"),  # EDN85
        (dt.date(2024, 4, 1), "$0.716/litre"),  # Finance's table, FY 2024-25
        (dt.date(2025, 3, 31), "$0.716/litre"),
        (dt.date(2025, 4, 1), "$0.730/litre"),  # FY 2025-26
        (dt.date(2026, 3, 31), "$0.730/litre"),
    ],
)
def test_wine_of_more_than_7_percent_pays_the_capped_rate_of_its_year(day, rate):
    assert excise.duty_rate(WINE, day, Decimal("13.5")).rate == rate


def test_the_lower_wine_bands_pay_the_rates_the_law_fixes_to_march_2026_and_none_is_assumed_after():
    # 2024 and 2025: last year's rate x 1.02 (Excise Act, 2001 s.135.1(2.2)-(2.3)): test_excise_inflation_rows
    assert excise.duty_rate(WINE, dt.date(2024, 6, 1), Decimal("7")).rate == "$0.344/litre"  # band (b)
    assert excise.duty_rate(WINE, dt.date(2025, 6, 1), Decimal("1.2")).rate == "$0.022/litre"  # band (a)
    for strength in ("1.2", "7", "13.5"):  # the 2026 notice not read, the factor not fixed by law
        assert excise.duty_rate(WINE, dt.date(2026, 4, 1), Decimal(strength)) is None


@pytest.mark.parametrize(
    ("strength", "rate"),
    [("1.00", "$0.022/litre"), ("1.20", "$0.022/litre"), ("5.00", "$0.337/litre"), ("12.50", "$0.702/litre")],
)
def test_wine_pays_the_rate_of_its_alcohol_band(strength, rate):
    assert excise.duty_rate(WINE, dt.date(2023, 6, 1), Decimal(strength)).rate == rate  # EDN85, Schedule 6 (a)-(c)


def test_wine_and_spirits_of_not_more_than_half_a_percent_pay_no_excise_duty_from_2023():
    assert excise.duty_rate(WINE, dt.date(2023, 6, 1), Decimal("0.5")) is None  # EDN85, EDN100
    assert excise.duty_rate(WHISKY, dt.date(2025, 6, 1), Decimal("0.5")) is None
    assert excise.duty_rate(WINE, dt.date(2021, 6, 1), Decimal("0.5")).rate == "$0.021/litre"  # before: band (a)


def test_spirits_declared_in_litres_pay_the_rate_per_litre_of_alcohol_on_the_alcohol_they_contain():
    # Excise Act, 2001 Schedule 4 s.1: "per litre of absolute ethyl alcohol contained in the spirits"
    row = excise.duty_rate(WHISKY, dt.date(2025, 6, 1), Decimal("40"))
    assert row.rate.endswith("/LPA")
    assert excise.charged_quantity(row, Decimal("10"), "LTR", Decimal("40")) == (Decimal("4"), "LPA")  # 10 x 40%
    assert excise.charged_quantity(row, Decimal("10"), "LTR", None) is None  # no strength: nothing to convert by
    assert excise.charged_quantity(row, Decimal("10"), "KGM", Decimal("40")) is None  # only litres turn into LPA


def test_spirits_declared_in_litres_of_alcohol_pay_the_per_litre_rate_on_their_litres():
    row = excise.duty_rate(WHISKY, dt.date(2025, 6, 1), Decimal("5"))
    assert row.rate == "$0.351/litre"
    assert excise.charged_quantity(row, Decimal("10"), "LPA", Decimal("5")) == (Decimal("200"), "LTR")  # 10 / 5%
    over = excise.duty_rate(WHISKY, dt.date(2023, 6, 1), Decimal("40"))
    assert excise.charged_quantity(over, Decimal("10"), "LPA", Decimal("40")) is None  # already per LPA


def test_a_whisky_line_is_charged_per_litre_of_absolute_ethyl_alcohol(maple, alice, tariff_rows, spirits, in_2024):
    outcome = services.submit(alice, cad(whisky(alcohol_percent="40.00"), release_date=IN_2024))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.excise_duty == Decimal("5321.20")  # 400 LPA x $13.303
    assert assessed.value_for_tax == assessed.vfd + assessed.customs_duty + assessed.excise_duty
    whys = {str(why.label): why for why in explain.line_why(assessed)}
    assert "$13.303/LPA" in str(whys["Excise duty (field 65)"].text)
    assert "edn85" in whys["Excise duty (field 65)"].source


def test_a_light_spirit_declared_in_litres_of_alcohol_is_charged_on_its_litres(
    maple, alice, tariff_rows, spirits, in_2024
):
    light = whisky(narrative="Spirit cooler", quantity="10", value="500.00", alcohol_percent="5.00")
    outcome = services.submit(alice, cad(light, release_date=IN_2024))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.excise_duty == Decimal("67.40")  # 10 LPA at 5% = 200 litres x $0.337
    why = {str(why.label): why for why in explain.line_why(assessed)}["Excise duty (field 65)"]
    assert "200 LTR" in str(why.text) and "field 96" in str(why.text)


def test_a_wine_line_pays_the_rate_of_its_band(maple, alice, tariff_rows, in_2024):
    wine = line(classification=WINE, narrative="Red wine", quantity="900", unit="LTR", value="4500.00")
    outcome = services.submit(alice, cad({**wine, "alcohol_percent": "13.50"}, release_date=IN_2024))
    assert outcome.code == 39, outcome.errors
    assert outcome.version.lines.get().excise_duty == Decimal("631.80")  # 900 litres x $0.702
    missing = services.submit(alice, cad(wine, release_date=IN_2024))
    assert any(error.pointer == "/lines/0/alcohol_percent" for error in missing.errors)


IN_2025 = dt.date(2025, 1, 3)  # the capped rates of 1 April 2024


def test_a_whisky_line_of_2025_is_charged_the_capped_rate_rounded_half_up(maple, alice, tariff_rows, spirits, on_day):
    on_day(IN_2025 + dt.timedelta(days=1))
    outcome = services.submit(alice, cad(whisky(quantity="5", alcohol_percent="40.00"), release_date=IN_2025))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.excise_duty == Decimal("67.85")  # 5 LPA x $13.569 = 67.845, the half cent up
    why = {str(why.label): why for why in explain.line_why(assessed)}["Excise duty (field 65)"]
    assert "$13.569/LPA" in str(why.text) and "backgrounder" in why.source


def test_a_wine_line_of_2025_pays_the_capped_rate_of_its_band(maple, alice, tariff_rows, on_day):
    on_day(IN_2025 + dt.timedelta(days=1))
    wine = line(classification=WINE, narrative="Red wine", quantity="900", unit="LTR", value="4500.00")
    outcome = services.submit(alice, cad({**wine, "alcohol_percent": "13.50"}, release_date=IN_2025))
    assert outcome.code == 39, outcome.errors
    assert outcome.version.lines.get().excise_duty == Decimal("644.40")  # 900 litres x $0.716


def test_a_light_wine_line_of_2025_pays_the_rate_the_law_fixes_rounded_half_up(maple, alice, tariff_rows, on_day):
    release = dt.date(2025, 6, 2)  # band (b): $0.344 (2024) x 1.020, rounded to $0.351 (Excise Act, 2001 s.135.1)
    on_day(release + dt.timedelta(days=1))
    wine = line(classification=WINE, narrative="Light wine", quantity="15", unit="LTR", value="120.00")
    outcome = services.submit(alice, cad({**wine, "alcohol_percent": "6.50"}, release_date=release))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.excise_duty == Decimal("5.27")  # 15 litres x $0.351 = 5.265: the half cent up, not to even
    why = {str(why.label): why for why in explain.line_why(assessed)}["Excise duty (field 65)"]
    assert "$0.351/litre" in str(why.text) and "s.135.1" in why.source

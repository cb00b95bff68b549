"""The excise taxes and duties a CAD line declares because it cannot carry their facts (issue #18 item 4;
D17-1-10 fields 62-65): the vehicle taxes of Excise Tax Act Schedule I ss.6-7 (checked against the
amounts the Act gives, named on the CAD page), the duty on vaping products and on cannabis (required,
explained), and the fuel tax relief of Schedule I s.9.2 (20 April to 7 September 2026)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from assessment import excise
from declarations import explain, services
from ledger.models import Holiday
from tests.assessment.test_estimate_fixtures import add_rows

from .conftest import RELEASE, cad, line
from .test_d17_fields import errors

CAR, AIR_CONDITIONER = "8703230010", "8415200000"
VAPE_LIQUID, CANNABIS = "2404120000", "1211909050"
GASOLINE, LEADED = "2710129014", "2710129011"


@pytest.fixture
def today(on_day):
    on_day(RELEASE)


@pytest.fixture
def excise_goods(tariff_rows):
    from tariff.models import Chapter, Section

    chapters = {
        "12": (2, "Vegetable products", [("1211", "12.11", ""), (CANNABIS, "1211.90.90.50", "KGM")]),
        "24": (4, "Tobacco", [("2404", "24.04", ""), (VAPE_LIQUID, "2404.12.00.00", "KGM")]),
        "27": (5, "Mineral fuels", [("2710", "27.10", ""), (GASOLINE, "2710.12.90.14", "LTR")]),
        "84": (16, "Machinery", [("8415", "84.15", ""), (AIR_CONDITIONER, "8415.20.00.00", "NMB")]),
        "87": (17, "Vehicles", [("8703", "87.03", ""), (CAR, "8703.23.00.10", "NMB")]),
    }
    for chapter, (number, title, (heading, *items)) in chapters.items():
        section, _new = Section.objects.get_or_create(number=number, defaults={"roman": str(number), "title_en": title})
        Chapter.objects.get_or_create(number=chapter, defaults={"section": section, "title_en": title})
        rows = [(heading[0], heading[1], "heading", chapter, "")]
        rows += [(code, printed, "tariff_item", heading[0], unit) for code, printed, unit in items]
        add_rows(tariff_rows, chapter, rows, {code: {"MFN": "6.1 %"} for code, _p, _u in items})


def car(**changes):
    return line(
        classification=CAR,
        narrative="Automobile",
        quantity="1",
        unit="NMB",
        origin="DK",
        export_country="DK",
        **changes,
    )


# D17-1-10 Appendix B example 5 (five automobiles, 8703.23.00.10, Denmark, 6 June 2023): value for duty, GST and
# line total as printed. The excise tax of each line is the one its GST and total agree with (the copy's column
# shows only the air conditioner's $100 except on line 3): (vfd + 6.1 % + tax) x 5 % and duty + tax + GST.
EXAMPLE_5 = [
    ("31930.33", "100.00", "1947.75", "1698.90", "3746.65"),
    ("57853.60", "1100.00", "3529.07", "3124.13", "7753.20"),
    ("98107.96", "2100.00", "5984.59", "5309.63", "13394.22"),
    ("61358.80", "3100.00", "3742.89", "3410.08", "10252.97"),
    ("97628.31", "4100.00", "5955.33", "5384.18", "15439.51"),
]
EXAMPLE_DAY = dt.date(2023, 6, 6)


@pytest.fixture
def june_2023(on_day):
    """The billing calendar (loaded for 2024-2027) reaching back to 2023 by Canada Day observed, 3 July 2023."""
    Holiday.objects.create(date=dt.date(2023, 7, 3), name="Canada Day")
    on_day(EXAMPLE_DAY + dt.timedelta(days=1))


def test_each_automobile_of_d17_1_10_example_5_bears_its_air_conditioner_and_fuel_consumption_band(
    maple, alice, tariff_rows, excise_goods, june_2023
):
    lines = [car(value=vfd, excise_tax=tax) for vfd, tax, *_amounts in EXAMPLE_5]
    outcome = services.submit(alice, cad(*lines, release_date=EXAMPLE_DAY))
    assert outcome.code == 39, outcome.errors
    assessed = list(outcome.version.lines.order_by("number"))
    for line_, (_vfd, tax, duty, gst, total) in zip(assessed, EXAMPLE_5, strict=True):
        assert (line_.customs_duty, line_.excise_tax, line_.gst, line_.total) == tuple(
            map(Decimal, (duty, tax, gst, total))
        )
    why = {str(item.label): item for item in explain.line_why(assessed[2])}["Excise tax (field 63)"]
    assert "1 times 2100.00 each" in str(why.text)
    assert "100.00 (an air conditioner (Excise Tax Act Schedule I s.7))" in str(why.text)
    assert "2000.00 (a weighted fuel consumption rating of 14 to less than 15 L/100 km" in str(why.text)
    assert "one hundred dollars" in why.source and "weighted fuel consumption rating of 14 litres" in why.source
    with translation.override("fr"):
        french = {str(item.label): item for item in explain.line_why(assessed[4])}["Taxe d'accise (champ 63)"]
        assert "4000.00 (une consommation de carburant pondérée de 16 ou plus L/100 km" in str(french.text)


def test_a_vehicle_line_must_declare_its_excise_tax_in_both_languages(maple, alice, tariff_rows, excise_goods, today):
    outcome = services.submit(alice, cad(car(value="30000.00")))
    message = errors(outcome)[("/lines/0/excise_tax", "required")]
    assert "field 63" in message and "Schedule I ss.6 and 7" in message
    with translation.override("fr"):
        assert "champ 63" in str(outcome.errors[0].message)
    nothing = services.submit(alice, cad(car(value="30000.00", excise_tax="0.00")))  # no air conditioner, under 13
    assert nothing.code == 39 and nothing.version.lines.get().excise_tax == 0


def test_an_excise_tax_schedule_i_cannot_give_is_refused_where_no_luxury_tax_shares_the_field(
    maple, alice, tariff_rows, excise_goods, today
):
    units = dict(classification=AIR_CONDITIONER, narrative="Car air conditioners", quantity="2", unit="NMB")
    refused = services.submit(alice, cad(line(value="900.00", excise_tax="250.00", **units)))
    message = errors(refused)[("/lines/0/excise_tax", "excise_tax_not_in_schedule")]
    assert "125.00 each" in message and "0.00, 100.00 each" in message
    with translation.override("fr"):
        assert "champ 63" in str(refused.errors[0].message)
    accepted = services.submit(alice, cad(line(value="900.00", excise_tax="200.00", **units)))
    why = {str(item.label): item for item in explain.line_why(accepted.version.lines.get())}["Excise tax (field 63)"]
    assert "2 times 100.00 each, that is 100.00 (an air conditioner" in str(why.text)


def test_a_vehicle_s_excise_tax_beyond_schedule_i_stands_as_declared_once_the_luxury_tax_may_share_it(
    maple, alice, tariff_rows, excise_goods, today
):
    outcome = services.submit(alice, cad(car(value="180000.00", excise_tax="16100.00")))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.excise_tax == Decimal("16100.00")
    why = {str(item.label): item for item in explain.line_why(assessed)}["Excise tax (field 63)"]
    assert "Luxury Tax" in str(why.text) and "D18-5-1" in str(why.text)
    assert excise.may_include_luxury_tax(CAR, dt.date(2022, 9, 1))
    assert not excise.may_include_luxury_tax(CAR, dt.date(2022, 8, 31))
    assert not excise.may_include_luxury_tax(AIR_CONDITIONER, RELEASE)
    # Select Luxury Items Tax Act s.2(1) "subject vehicle": by design ("primarily to carry individuals") and
    # a gross vehicle weight rating of at most 3,856 kg, not by heading: a light vehicle of 87.04 may be one.
    assert excise.may_include_luxury_tax("8704310000", dt.date(2022, 9, 1))


def test_schedule_i_vehicle_amounts_hold_from_the_dates_read():
    assert excise.vehicle_tax_parts(CAR, dt.date(2022, 8, 31), Decimal("1100")) is not None
    assert excise.vehicle_tax_parts(CAR, dt.date(2022, 8, 31), Decimal("1150")) is None
    assert excise.vehicle_tax_parts(CAR, dt.date(2022, 8, 31), Decimal("0")) == ()
    assert excise.vehicle_tax_parts("8704310000", RELEASE, Decimal("1000")) is None  # trucks: no fuel band (s.6)
    assert excise.vehicle_tax_parts("8704310000", RELEASE, Decimal("100")) is not None
    assert excise.vehicle_tax_parts("8703100000", RELEASE, Decimal("100")) is None  # snowmobiles, golf carts
    assert excise.vehicle_tax_parts(AIR_CONDITIONER, RELEASE, Decimal("200.01") / 2) is None  # 100.005 each: no
    assert excise.vehicle_tax_parts(AIR_CONDITIONER, RELEASE, Decimal("200.00") / 2) is not None
    assert excise.vehicle_table_complete(CAR, dt.date(2008, 4, 23))
    assert not excise.vehicle_table_complete(CAR, dt.date(2008, 4, 22))  # the air conditioner's row not yet read
    assert excise.vehicle_tax_sums(CAR, dt.date(2007, 3, 20)) == [0, 1000, 2000, 3000, 4000]
    assert excise.vehicle_tax_sums(CAR, dt.date(2007, 3, 19)) == [0]  # before the Budget 2007 levy


def vape(**changes):
    return line(classification=VAPE_LIQUID, narrative="E-liquid, 30 mL bottles", quantity="12", unit="KGM", **changes)


def test_vaping_products_must_declare_their_duty_and_the_page_says_why(maple, alice, tariff_rows, excise_goods, today):
    missing = services.submit(alice, cad(vape(value="3000.00")))
    message = errors(missing)[("/lines/0/excise_duty", "required")]
    assert "field 65" in message and "Schedule 8" in message
    with translation.override("fr"):
        assert "champ 65" in str(missing.errors[0].message)
    declared = services.submit(alice, cad(vape(value="3000.00", excise_duty="3136.00")))
    assert declared.code == 39, declared.errors
    assessed = declared.version.lines.get()
    assert assessed.excise_duty == Decimal("3136.00")
    why = {str(item.label): item for item in explain.line_why(assessed)}["Excise duty (field 65)"]
    assert "$1.12 per 2 mL" in str(why.text) and "not the volume of each container" in str(why.text)
    assert "EDN96" in why.source
    with translation.override("fr"):
        french = {str(item.label): item for item in explain.line_why(assessed)}["Droits d'accise (champ 65)"]
        assert "1,12 $ par 2 mL" in str(french.text)


def test_the_vaping_rule_changes_on_1_july_2024_and_starts_on_1_october_2022():
    assert "$1.00 per 2 mL" in excise.declared_duty(VAPE_LIQUID, dt.date(2024, 6, 30)).rule_en
    assert "$1.12 per 2 mL" in excise.declared_duty(VAPE_LIQUID, dt.date(2024, 7, 1)).rule_en
    assert excise.declared_duty("8543400010", dt.date(2022, 10, 1)).product == "vaping"
    assert excise.declared_duty(VAPE_LIQUID, dt.date(2022, 9, 30)) is None
    assert excise.declared_duty("2404910010", RELEASE) is None  # nicotine gum: not for inhalation


def test_cannabis_must_declare_its_duty_which_the_page_explains_in_french(
    maple, alice, tariff_rows, excise_goods, today
):
    goods = dict(classification=CANNABIS, narrative="Dried cannabis", quantity="10", unit="KGM", value="40000.00")
    missing = services.submit(alice, cad(line(**goods)))
    assert "Schedule 7" in errors(missing)[("/lines/0/excise_duty", "required")]
    assessed = services.submit(alice, cad(line(excise_duty="2500.00", **goods))).version.lines.get()
    with translation.override("fr"):
        french = {str(item.label): item for item in explain.line_why(assessed)}["Droits d'accise (champ 65)"]
    assert "0,25 $ le gramme de matière florifère" in str(french.text) and "Schedule 7" in french.source


def test_gasoline_released_during_the_2026_relief_pays_no_excise_tax(maple, alice, tariff_rows, excise_goods, on_day):
    relief = dt.date(2026, 5, 1)
    on_day(relief)
    fuel = line(classification=GASOLINE, narrative="Gasoline", quantity="10000", value="9000.00")
    assessed = services.submit(alice, cad(fuel, release_date=relief)).version.lines.get()
    assert assessed.excise_tax == 0 and assessed.details["excise_tax_rate"] == "$0.00/litre"


def test_the_2026_fuel_relief_runs_from_20_april_to_7_september_and_leaves_leaded_items_declared():
    assert excise.tax_rate(GASOLINE, dt.date(2026, 4, 19)).rate == "$0.10/litre"
    assert excise.tax_rate(GASOLINE, dt.date(2026, 4, 20)).rate == "$0.00/litre"
    assert excise.tax_rate(GASOLINE, dt.date(2026, 9, 7)).rate == "$0.00/litre"
    assert excise.tax_rate(GASOLINE, dt.date(2026, 9, 8)).rate == "$0.10/litre"
    assert excise.tax_rate("2710199924", dt.date(2026, 6, 1)).rate == "$0.00/litre"  # diesel
    # leaded motor gasoline keeps $0.11, leaded aviation gasoline pays none: one item holds both
    assert excise.tax_rate(LEADED, dt.date(2026, 6, 1)) is None
    assert excise.tax_rate(LEADED, dt.date(2026, 9, 8)).rate == "$0.11/litre"

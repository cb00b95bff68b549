"""The levies a CAD line is assessed and billed beside customs duty and GST (issue #18 item 4;
D17-1-10 fields 64-65, 88-90, 94-98): excise duty by the dated rates of assessment/data/excise,
a safeguard as the surtax it is, the provincial levies CBSA collects, all through the ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from assessment import excise
from declarations import explain, services
from ledger.models import EntryType, Holiday, LedgerEntry
from tests.assessment.test_estimate_fixtures import add_rows
from tests.conftest import sign_in

from .conftest import RELEASE, cad, line
from .test_d17_fields import errors

BEER, CIGARETTES, CIGARS = "2203000000", "2402200000", "2402100090"


@pytest.fixture
def today(on_day):
    on_day(RELEASE)


@pytest.fixture
def excise_goods(tariff_rows):
    beer = [("2203", "22.03", "heading", "22", ""), (BEER, "2203.00.00.00", "tariff_item", "2203", "LTR")]
    add_rows(tariff_rows, "22", beer, {BEER: {"MFN": "Free", "UST": "Free"}})
    from tariff.models import Chapter, Section

    section = Section.objects.get(number=4)  # the fixture tariff's, with chapter 22
    Chapter.objects.create(number="24", section=section, title_en="Tobacco")
    tobacco = [
        ("2402", "24.02", "heading", "24", ""),
        (CIGARETTES, "2402.20.00.00", "tariff_item", "2402", "MIL"),
        (CIGARS, "2402.10.00.90", "tariff_item", "2402", "MIL"),
    ]
    add_rows(tariff_rows, "24", tobacco, {CIGARETTES: {"MFN": "Free"}, CIGARS: {"MFN": "8 %"}})


def beer(**changes):
    return line(classification=BEER, narrative="Lager", quantity="1000", unit="LTR", value="2000.00", **changes)


def test_beer_pays_the_excise_duty_of_its_strength_and_the_ledger_bills_it(
    maple, alice, tariff_rows, excise_goods, today
):
    outcome = services.submit(alice, cad(beer(alcohol_percent="5.00"), cad_type_code="AB"))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.excise_duty == Decimal("362.30")  # 10 hl x $36.23/hl, beer of more than 2.5 %
    assert assessed.details["excise_duty_rate"] == "$36.23/hl"
    assert assessed.value_for_tax == assessed.vfd + assessed.customs_duty + Decimal("362.30")  # field 91
    entry = LedgerEntry.objects.get(
        entry_type=EntryType.ASSESSMENT, transaction_number=outcome.declaration.transaction_number
    )
    assert entry.amount == outcome.version.total == assessed.gst + Decimal("362.30")
    light = services.submit(alice, cad(beer(alcohol_percent="2.00"), cad_type_code="AB")).version.lines.get()
    assert light.excise_duty == Decimal("181.20")  # 10 hl x $18.12/hl


def test_the_excise_duty_of_goods_taxed_by_strength_needs_their_alcohol_percentage(
    maple, alice, tariff_rows, excise_goods, today
):
    outcome = services.submit(alice, cad(beer()))
    assert ("/lines/0/alcohol_percent", "required") in errors(outcome)
    assert "field 96" in errors(outcome)[("/lines/0/alcohol_percent", "required")]


def test_an_excise_duty_the_line_declares_replaces_the_table_rate(maple, alice, tariff_rows, excise_goods, today):
    declared = services.submit(alice, cad(beer(excise_duty="0.00"))).version.lines.get()  # e.g. under a permit
    assert declared.excise_duty == 0 and "excise_duty_rate" not in declared.details


def smokes():
    return line(classification=CIGARETTES, narrative="Cigarettes", quantity="9", unit="MIL", value="400.00")


IN_2024 = dt.date(2024, 1, 15)  # within the billing calendar, before the April 2024 adjustment


def test_cigarettes_pay_the_rate_d17_1_10_applies_in_its_example_4(maple, alice, tariff_rows, excise_goods, on_day):
    on_day(IN_2024 + dt.timedelta(days=1))
    outcome = services.submit(alice, cad(smokes(), release_date=IN_2024))
    assert outcome.code == 39, outcome.errors
    assert outcome.version.lines.get().excise_duty == Decimal("1424.88")  # example 4, line 1: 9 x 158.32


def test_cigarettes_released_in_january_2025_pay_the_act_s_rate_of_2024(maple, alice, tariff_rows, excise_goods, today):
    assessed = services.submit(alice, cad(smokes())).version.lines.get()
    # Excise Act, 2001 Schedule 1 s.1(a) as consolidated to 2024-10-30: $0.92883 per 5, i.e. $185.766 per 1,000.
    assert assessed.excise_duty == Decimal("1671.89")  # 9 x 185.766 = 1,671.894
    assert assessed.details["excise_duty_rate"] == "$185.766/MIL"


def test_the_2024_tobacco_rates_change_on_budget_day_after_the_annual_adjustment():
    assert excise.duty_rate(CIGARETTES, dt.date(2024, 3, 31), None).rate == "$158.32/MIL"
    assert excise.duty_rate(CIGARETTES, dt.date(2024, 4, 1), None).rate == "$165.766/MIL"  # EDN93: $0.82883 per 5
    assert excise.duty_rate(CIGARETTES, dt.date(2024, 4, 16), None).rate == "$165.766/MIL"
    assert excise.duty_rate(CIGARETTES, dt.date(2024, 4, 17), None).rate == "$185.766/MIL"  # Budget 2024: $0.92883
    assert excise.duty_rate(CIGARS, dt.date(2024, 4, 16), None) is None  # the cigar rate of 1-16 April not read
    assert excise.duty_rate(CIGARS, dt.date(2024, 4, 17), None).rate == "$40.43121/MIL"
    assert excise.cigar_duty(CIGARS, dt.date(2024, 4, 16)) is None
    assert excise.cigar_duty(CIGARS, dt.date(2024, 4, 17)).per_cigar == Decimal("0.14533")  # Schedule 2 of 2024
    assert excise.cigar_duty(CIGARS, dt.date(2025, 3, 31)).per_cigar == Decimal("0.14533")
    assert excise.duty_rate(CIGARETTES, dt.date(2026, 4, 1), None) is None  # the 2026 adjustment not read
    assert excise.duty_rate("2402100000", dt.date(2025, 4, 1), None) is None  # nor EDN101's cigar rate


def test_each_tobacco_rate_ends_the_day_before_the_next_adjustment():
    assert excise.duty_rate(CIGARETTES, dt.date(2019, 3, 31), None) is None
    assert excise.duty_rate(CIGARETTES, dt.date(2019, 4, 1), None).rate == "$121.892/MIL"  # EDN58: $0.60946 per 5
    assert excise.duty_rate(CIGARETTES, dt.date(2020, 4, 1), None) is None  # the 2020 adjustment not read
    assert excise.duty_rate(CIGARETTES, dt.date(2021, 4, 19), None).rate == "$125.45/MIL"  # Budget Day's "current"
    assert excise.duty_rate(CIGARETTES, dt.date(2021, 4, 20), None).rate == "$145.45/MIL"  # $0.72725 per 5
    assert excise.duty_rate(CIGARS, dt.date(2022, 3, 31), None).rate == "$31.65673/MIL"
    assert excise.duty_rate(CIGARS, dt.date(2022, 4, 1), None).rate == "$32.41649/MIL"
    assert excise.duty_rate(CIGARS, dt.date(2023, 4, 1), None) is None  # the 2023 adjustment not read
    assert excise.duty_rate(CIGARS, dt.date(2025, 3, 31), None).rate == "$40.43121/MIL"  # Schedule 1 of 2024
    assert excise.duty_rate(CIGARETTES, dt.date(2025, 3, 31), None).rate == "$185.766/MIL"
    assert excise.duty_rate(CIGARETTES, dt.date(2025, 4, 1), None).rate == "$190.782/MIL"  # EDN101: $0.95391 per 5
    assert excise.duty_rate(CIGARETTES, dt.date(2026, 3, 31), None).rate == "$190.782/MIL"


IN_JUNE_2025 = dt.date(2025, 6, 2)  # a Monday, after EDN101's adjustment of 1 April 2025


def test_cigarettes_released_in_june_2025_pay_edn101_s_rate_rounded_half_up(
    maple, alice, tariff_rows, excise_goods, on_day
):
    on_day(IN_JUNE_2025 + dt.timedelta(days=1))
    packs = line(classification=CIGARETTES, narrative="Cigarettes", quantity="2.5", unit="MIL", value="120.00")
    assessed = services.submit(alice, cad(packs, release_date=IN_JUNE_2025)).version.lines.get()
    assert assessed.excise_duty == Decimal("476.96")  # 2.5 x $190.782 = 476.955, the half cent up
    why = {str(why.label): why for why in explain.line_why(assessed)}["Excise duty (field 65)"]
    assert "$190.782/MIL" in str(why.text) and "edn101" in why.source


@pytest.mark.parametrize(
    ("day", "strength", "rate"),
    [
        (dt.date(2017, 3, 22), "5", None),  # before the Act's rates of 2017
        (dt.date(2017, 3, 23), "5", "$31.84/hl"),  # Schedule Part II as amended 2017 c.20
        (dt.date(2018, 3, 31), "1", "$2.643/hl"),
        (dt.date(2018, 4, 1), "5", "$32.32/hl"),  # EDBN24
        (dt.date(2018, 4, 1), "0.3", "$2.683/hl"),  # before July 2022 the first band has no floor
        (dt.date(2019, 4, 1), "5", None),  # EDBN25 not read
        (dt.date(2020, 4, 1), "2", "$16.83/hl"),  # EDBN27
        (dt.date(2021, 4, 1), "5", None),  # EDBN28 not read
        (dt.date(2022, 4, 1), "5", "$34.82/hl"),  # EDBN29
        (dt.date(2022, 6, 30), "0.4", "$2.890/hl"),
        (dt.date(2022, 7, 1), "0.4", None),  # non-alcoholic beer produced from 1 July 2022: no duty
        (dt.date(2022, 7, 1), "1", "$2.890/hl"),
        (dt.date(2023, 3, 31), "5", "$34.82/hl"),
        (dt.date(2023, 4, 1), "5", "$35.52/hl"),  # EDBN32, the Budget 2023 2% cap
        (dt.date(2023, 4, 1), "2.5", "$17.76/hl"),
        (dt.date(2023, 4, 1), "1.2", "$2.948/hl"),
        (dt.date(2024, 3, 31), "5", "$35.52/hl"),
        (dt.date(2024, 4, 1), "5", "$36.23/hl"),  # EDBN33
        (dt.date(2024, 4, 1), "0.6", "$3.007/hl"),
        (dt.date(2024, 4, 1), "0.5", None),  # non-alcoholic beer pays no excise duty
        (dt.date(2025, 4, 1), "5", "$36.95/hl"),  # Finance's table, FY 2025-26
        (dt.date(2025, 4, 1), "2", None),  # the lower bands of 2025 not read
        (dt.date(2026, 3, 31), "5", "$36.95/hl"),
        (dt.date(2026, 4, 1), "5", "$37.69/hl"),  # EDBN36
        (dt.date(2026, 4, 1), "2.5", "$18.85/hl"),
        (dt.date(2026, 4, 1), "1.2", "$3.128/hl"),
        (dt.date(2026, 4, 1), "0.5", None),
        (dt.date(2027, 3, 31), "5", "$37.69/hl"),
        (dt.date(2027, 4, 1), "5", None),  # the 2027 adjustment not published
    ],
)
def test_beer_pays_the_rate_of_its_band_adjusted_each_first_of_april(day, strength, rate):
    row = excise.duty_rate(BEER, day, Decimal(strength))
    assert (row.rate if row else None) == rate


def test_a_beer_line_of_june_2025_pays_the_capped_rate_rounded_half_up(maple, alice, tariff_rows, excise_goods, on_day):
    on_day(IN_JUNE_2025 + dt.timedelta(days=1))
    keg = line(classification=BEER, narrative="Lager", quantity="10", unit="LTR", value="40.00", alcohol_percent="5.00")
    assessed = services.submit(alice, cad(keg, release_date=IN_JUNE_2025)).version.lines.get()
    assert assessed.excise_duty == Decimal("3.70")  # 10 litres = 0.1 hl x $36.95 = 3.695, the half cent up
    assert assessed.details["excise_duty_rate"] == "$36.95/hl"


def cigars(**changes):
    return line(classification=CIGARS, narrative="Cigars", origin="IT", export_country="IT", unit="MIL", **changes)


IN_MARCH_2023 = dt.date(2023, 3, 15)  # in the period of D17-1-10's $0.11652 a cigar


@pytest.fixture
def march_2023(on_day):
    """Today the day after; the billing calendar (loaded for 2024-2027) reaching back to 2023 by one of
    its federal holidays, Good Friday, 7 April 2023."""
    Holiday.objects.create(date=dt.date(2023, 4, 7), name="Good Friday")
    on_day(IN_MARCH_2023 + dt.timedelta(days=1))


def test_cigars_pay_88_percent_of_their_duty_paid_value_when_greater_d17_1_10_example_3(
    maple, alice, tariff_rows, excise_goods, march_2023
):
    # Example 3's line, its excise duty as it declares it; released within the period of its $0.11652 a cigar.
    example = cigars(quantity="121", value="13340.18", excise_duty="4169.51")
    outcome = services.submit(alice, cad(example, release_date=IN_MARCH_2023))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.customs_duty == Decimal("1067.21")  # 8 % MFN
    # 88 % of (13,340.18 + 1,067.21 + 4,169.51) = 16,347.672 > 121,000 x $0.11652 = 14,098.92
    assert assessed.excise_tax == Decimal("16347.67")
    assert assessed.value_for_tax == Decimal("34924.57") and assessed.gst == Decimal("1746.23")
    assert assessed.total == Decimal("23330.62")  # the example's "Total des droits et taxes de la ligne"
    why = {str(item.label): item for item in explain.line_why(assessed)}["Additional duty on cigars (field 63)"]
    assert "14098.92" in str(why.text) and "16347.67" in str(why.text) and "18576.90" in str(why.text)
    assert "D17-1-10" in why.source and "0,11652 $ par cigare" in why.source


def test_the_cad_page_says_why_of_the_additional_duty_on_cigars_in_english_and_french(
    client, maple, alice, tariff_rows, excise_goods, march_2023
):
    example = cigars(quantity="121", value="13340.18", excise_duty="4169.51")
    number = services.submit(alice, cad(example, release_date=IN_MARCH_2023)).declaration.transaction_number
    sign_in(client, alice)
    english = client.get(f"/en/declarations/{number}/").content.decode()
    french = client.get(f"/fr/declarations/{number}/").content.decode()
    assert "Additional duty on cigars (field 63)" in english and "88% of the duty-paid value" in english
    assert "Droit additionnel sur les cigares (champ 63)" in french and "valeur à l&#x27;acquitté" in french


def test_cigars_pay_the_rate_a_cigar_when_greater_rounded_half_up(maple, alice, tariff_rows, excise_goods, march_2023):
    cheap = services.submit(alice, cad(cigars(quantity="121", value="1000.00"), release_date=IN_MARCH_2023))
    assessed = cheap.version.lines.get()
    assert assessed.excise_duty == Decimal("3922.40")  # the table's $32.41649 per 1,000
    assert assessed.excise_tax == Decimal("14098.92")  # 121,000 x $0.11652 > 88 % x 5,002.40 = 4,402.11
    few = services.submit(alice, cad(cigars(quantity="0.125", value="1.00"), release_date=IN_MARCH_2023))
    assert few.version.lines.get().excise_tax == Decimal("14.57")  # 125 x $0.11652 = 14.565, half up


def test_an_excise_tax_the_cigar_line_declares_replaces_the_additional_duty(
    maple, alice, tariff_rows, excise_goods, march_2023
):
    declared = cigars(quantity="121", value="1000.00", excise_tax="0.00")
    assessed = services.submit(alice, cad(declared, release_date=IN_MARCH_2023)).version.lines.get()
    assert assessed.excise_tax == 0 and "cigar_additional_duty" not in assessed.details


def test_cigars_of_january_2025_pay_the_budget_2024_rates_of_schedules_1_and_2(
    maple, alice, tariff_rows, excise_goods, today
):
    assessed = services.submit(alice, cad(cigars(quantity="121", value="1000.00"))).version.lines.get()
    assert assessed.excise_duty == Decimal("4892.18")  # 121 x $40.43121 = 4,892.176
    assert assessed.excise_tax == Decimal("17584.93")  # 121,000 x $0.14533 > 88 % x 5,972.18 = 5,255.52
    few = services.submit(alice, cad(cigars(quantity="0.5", value="1.00"))).version.lines.get()
    assert few.excise_tax == Decimal("72.67")  # 500 x $0.14533 = 72.665, the half cent up
    why = {str(item.label): item for item in explain.line_why(assessed)}["Additional duty on cigars (field 63)"]
    assert "17584.93" in str(why.text) and "0.14533" in why.source


def test_no_additional_duty_on_cigars_is_assumed_outside_the_periods_read(
    maple, alice, tariff_rows, excise_goods, on_day
):
    on_day(IN_JUNE_2025 + dt.timedelta(days=1))
    released = cad(cigars(quantity="121", value="1000.00"), release_date=IN_JUNE_2025)
    assessed = services.submit(alice, released).version.lines.get()
    assert assessed.excise_tax == 0 and assessed.excise_duty == 0  # EDN101's cigar rates not read: as declared
    assert excise.cigar_duty(CIGARS, dt.date(2023, 4, 1)) is None
    assert excise.cigar_duty(CIGARS, dt.date(2021, 4, 20)).per_cigar == Decimal("0.11379")
    assert excise.cigar_duty(CIGARS, dt.date(2021, 4, 19)).per_cigar == Decimal("0.09814")
    assert excise.cigar_duty(CIGARS, dt.date(2020, 3, 31)).per_cigar == Decimal("0.09536")  # EDN58
    assert excise.cigar_duty(CIGARS, dt.date(2020, 4, 1)) is None
    assert excise.cigar_duty(CIGARETTES, IN_MARCH_2023) is None


GASOLINE, JET_A = "2710129014", "2710199911"


@pytest.fixture
def fuels(tariff_rows):
    from tariff.models import Chapter, Section

    section = Section.objects.create(number=5, roman="V", title_en="Mineral products")
    Chapter.objects.create(number="27", section=section, title_en="Mineral fuels")
    rows = [
        ("2710", "27.10", "heading", "27", ""),
        (GASOLINE, "2710.12.90.14", "tariff_item", "2710", "LTR"),
        (JET_A, "2710.19.99.11", "tariff_item", "2710", "LTR"),
    ]
    add_rows(tariff_rows, "27", rows, {GASOLINE: {"MFN": "Free"}, JET_A: {"MFN": "Free"}})


def fuel(classification, quantity, **changes):
    return line(classification=classification, narrative="Fuel", quantity=quantity, value="9000.00", **changes)


def test_unleaded_gasoline_pays_the_excise_tax_of_schedule_i_per_litre(maple, alice, tariff_rows, fuels, today):
    outcome = services.submit(alice, cad(fuel(GASOLINE, "10000")))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.excise_tax == Decimal("1000.00")  # 10,000 litres x $0.10 (Excise Tax Act Schedule I s.9)
    assert assessed.details["excise_tax_rate"] == "$0.10/litre"
    assert assessed.value_for_tax == assessed.vfd + assessed.customs_duty + Decimal("1000.00")  # field 91
    why = {str(item.label): item for item in explain.line_why(assessed)}["Excise tax (field 63)"]
    assert "$0.10/litre" in str(why.text) and "Unleaded gasoline" in str(why.text)
    assert "sections 9 and 9.1 of Schedule I" in why.source
    with translation.override("fr"):
        french = {str(item.label): item for item in explain.line_why(assessed)}["Taxe d'accise (champ 63)"]
        assert "Essence sans plomb" in str(french.text)


def test_aviation_fuel_pays_four_cents_a_litre_rounded_half_up(maple, alice, tariff_rows, fuels, today):
    assessed = services.submit(alice, cad(fuel(JET_A, "1000.125"))).version.lines.get()
    assert assessed.excise_tax == Decimal("40.01")  # 1,000.125 litres x $0.04 = 40.005, half up


def test_an_excise_tax_the_fuel_line_declares_replaces_the_table_rate(maple, alice, tariff_rows, fuels, today):
    licensed = services.submit(alice, cad(fuel(GASOLINE, "10000", excise_tax="0.00"))).version.lines.get()
    assert licensed.excise_tax == 0 and "excise_tax_rate" not in licensed.details
    assert excise.tax_rate("2710129019", RELEASE) is None  # other motor spirit: leaded or not, not said


def test_a_rate_applies_only_from_its_date():
    assert excise.duty_rate(CIGARETTES, dt.date(2023, 3, 31), None) is None  # the 2022 adjustment not read
    assert excise.duty_rate(CIGARETTES, dt.date(2023, 4, 1), None).rate == "$158.32/MIL"  # example 4, from 1 April
    assert excise.duty_rate("2201900000", dt.date(2025, 1, 3), None) is None  # water: no excise duty


def test_a_rate_ends_the_day_before_the_next_first_of_april_adjustment():
    assert excise.duty_rate("2208909900", dt.date(2026, 3, 31), Decimal("5")).rate == "$0.351/litre"  # EDN100
    assert excise.duty_rate("2208909900", dt.date(2026, 4, 1), Decimal("5")) is None
    # the strength is asked for only while a rate by strength is in force: the last day read, not the next
    assert excise.needs_strength("2208909900", dt.date(2026, 3, 31))
    assert not excise.needs_strength("2208909900", dt.date(2026, 4, 1))


def test_beer_needs_its_strength_from_the_first_rates_by_strength_read():
    first = min(row.valid_from for row in excise.rated(BEER) if row.by_strength)
    assert first == dt.date(2017, 3, 23)  # Excise Act Schedule Part II as amended by 2017 c.20: the first read
    assert excise.needs_strength(BEER, first) and not excise.needs_strength(BEER, first - dt.timedelta(days=1))
    # the bands open at one end ("more than 2.5%") are bands too: without a strength, no beer rate is chosen
    assert all(row.by_strength for row in excise.rated(BEER))
    assert excise.duty_rate(BEER, first, None) is None


def test_cigars_and_vehicles_are_counted_one_by_one():
    assert excise.counted(Decimal("2"), "MIL") == 2000  # MIL: a thousand articles
    assert excise.counted(Decimal("3"), "NMB") == 3
    assert excise.counted(Decimal("2"), "LTR") is None  # litres are not counted
    assert excise.counted(None, "MIL") is None and excise.counted(Decimal("2"), "") is None


def test_a_safeguard_is_billed_as_a_surtax_and_totalled_in_field_113(maple, alice, tariff_rows, today):
    guarded = line(safeguard_subject="yes", safeguard_code="S1", safeguard="100.00")
    outcome = services.submit(alice, cad(guarded))
    plain = services.submit(alice, cad()).version
    assessed = outcome.version.lines.get()
    assert assessed.surtax == Decimal("100.00") and assessed.value_for_tax == plain.value_for_tax + Decimal("100.00")
    totals = explain.header_totals(outcome.version, [assessed])
    assert totals[113] == Decimal("100.00") and totals[112] == 0
    assert outcome.version.total == plain.total + Decimal("100.00") + Decimal("5.00")  # and its GST
    missing = errors(services.submit(alice, cad(line(safeguard="100.00"))))
    assert ("/lines/0/safeguard_subject", "required") in missing
    both = line(
        safeguard_subject="yes", safeguard_code="S1", safeguard="100.00", surtax_amount="50.00", surtax_code="S9"
    )
    assert services.submit(alice, cad(both)).version.lines.get().surtax == Decimal("150.00")
    rated = line(safeguard_subject="yes", safeguard_code="S1", safeguard="100.00", surtax_rate="10%", surtax_code="S9")
    assert ("/lines/0/surtax_amount", "safeguard_with_surtax_rate") in errors(services.submit(alice, cad(rated)))


def test_provincial_levies_are_billed_with_the_line(maple, alice, tariff_rows, today):
    levied = line(province="MB", provincial_tobacco_tax="40.00", pst_hst_qst="10.00")  # a PST: no HST province
    outcome = services.submit(alice, cad(levied, cad_type_code="AB"))
    plain = services.submit(alice, cad(cad_type_code="AB")).version
    assert outcome.version.total == plain.total + Decimal("50.00")
    entry = LedgerEntry.objects.get(
        entry_type=EntryType.ASSESSMENT, transaction_number=outcome.declaration.transaction_number
    )
    assert entry.amount == outcome.version.total
    whys = {str(why.label): why.amount for why in explain.line_why(outcome.version.lines.get())}
    assert whys["Provincial tobacco tax (field 97)"] == Decimal("40.00")


def test_gst_code_99_relieves_the_gst_of_goods_for_an_hst_province_whose_hst_is_billed(
    maple, alice, tariff_rows, today
):
    normal = services.submit(alice, cad(line(gst_code="1"))).version.lines.get()
    assert normal.gst == (normal.value_for_tax * Decimal("0.05")).quantize(Decimal("0.01"))  # code 1: normal GST
    hst = line(gst_code="99", province="ON", pst_hst_qst="4147.50")
    relieved = services.submit(alice, cad(hst)).version.lines.get()
    assert relieved.gst == 0 and relieved.total == relieved.customs_duty + Decimal("4147.50")
    # Alberta is no participating province: no HST rate to compute, so the HST is declared or refused.
    missing = errors(services.submit(alice, cad(line(gst_code="99", province="AB"))))
    assert ("/lines/0/pst_hst_qst", "required") in missing


def test_the_cad_page_says_which_rate_and_source_gave_the_excise_duty(
    client, maple, alice, tariff_rows, excise_goods, today
):
    from django.urls import reverse

    outcome = services.submit(alice, cad(beer(alcohol_percent="5.00")))
    client.force_login(alice)
    page = client.get(reverse("declarations:detail", args=[outcome.declaration.transaction_number])).content.decode()
    assert "$36.23/hl" in page and "Beer of more than 2.5% alcohol" in page and "edbn33" in page

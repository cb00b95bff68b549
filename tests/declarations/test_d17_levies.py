"""The levies a CAD line is assessed and billed beside customs duty and GST (issue #18 item 4;
D17-1-10 fields 64-65, 88-90, 94-98): excise duty by the dated rates of assessment/data/excise,
a safeguard as the surtax it is, the provincial levies CBSA collects, all through the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from assessment import excise
from declarations import explain, services
from ledger.models import EntryType, LedgerEntry
from tests.assessment.test_estimate_fixtures import add_rows

from .conftest import RELEASE, cad, line
from .test_d17_fields import errors

BEER, CIGARETTES = "2203000000", "2402200000"


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
    cigarettes = [("2402", "24.02", "heading", "24", ""), (CIGARETTES, "2402.20.00.00", "tariff_item", "2402", "MIL")]
    add_rows(tariff_rows, "24", cigarettes, {CIGARETTES: {"MFN": "Free"}})


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


def test_no_tobacco_rate_is_assumed_between_the_april_2024_adjustment_and_the_act_read():
    assert excise.duty_rate(CIGARETTES, dt.date(2024, 3, 31), None).rate == "$158.32/MIL"
    assert excise.duty_rate(CIGARETTES, dt.date(2024, 4, 1), None) is None  # declared on the line instead
    assert excise.duty_rate(CIGARETTES, dt.date(2025, 4, 1), None) is None  # the 2025 adjustment not read
    assert excise.duty_rate("2402100000", dt.date(2025, 4, 1), None) is None  # nor the 2022 cigar rate again


def test_a_rate_applies_only_from_its_date():
    assert excise.duty_rate(BEER, dt.date(2024, 3, 31), Decimal("5")) is None
    assert excise.duty_rate(BEER, dt.date(2024, 4, 1), Decimal("5")).rate == "$36.23/hl"
    assert excise.duty_rate("2201900000", dt.date(2025, 1, 3), None) is None  # water: no excise duty


def test_a_rate_ends_the_day_before_the_next_first_of_april_adjustment():
    assert excise.duty_rate(BEER, dt.date(2025, 3, 31), Decimal("5")).rate == "$36.23/hl"
    assert excise.duty_rate(BEER, dt.date(2025, 4, 1), Decimal("5")) is None  # the 2025 beer rates not read
    assert excise.duty_rate("2208909900", dt.date(2026, 3, 31), Decimal("5")).rate == "$0.351/litre"  # EDN100
    assert excise.duty_rate("2208909900", dt.date(2026, 4, 1), Decimal("5")) is None


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
    levied = line(province="ON", provincial_tobacco_tax="40.00", pst_hst_qst="10.00")
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
    missing = errors(services.submit(alice, cad(line(gst_code="99", province="ON"))))
    assert ("/lines/0/pst_hst_qst", "required") in missing


def test_the_cad_page_says_which_rate_and_source_gave_the_excise_duty(
    client, maple, alice, tariff_rows, excise_goods, today
):
    from django.urls import reverse

    outcome = services.submit(alice, cad(beer(alcohol_percent="5.00")))
    client.force_login(alice)
    page = client.get(reverse("declarations:detail", args=[outcome.declaration.transaction_number])).content.decode()
    assert "$36.23/hl" in page and "Beer of more than 2.5% alcohol" in page and "rosentaxlaw.com" in page

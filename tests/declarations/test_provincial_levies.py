"""The provincial levies CBSA collects on non-commercial goods (issue #18 item 4; D17-1-10 fields 60,
92, 94, 97; D2-3-6): the HST of a participating province computed at its dated rate
(declarations/data/provincial/hst_rates.csv), a declared HST kept with a warning, and the provincial
tobacco tax required where the province of destination has CBSA collect it."""

import dataclasses
import datetime as dt
from decimal import Decimal
from itertools import pairwise

import pytest
from django.utils import translation

from declarations import explain, provincial, services
from ledger.models import EntryType, LedgerEntry

from .conftest import RELEASE, cad, line
from .test_d17_fields import errors
from .test_d17_levies import CIGARETTES, CIGARS, excise_goods, smokes  # noqa: F401 (fixture)


@pytest.fixture
def today(on_day):
    on_day(RELEASE)


def casual(**changes):
    """Duty-free goods (water under UST) for a province of destination: the value for tax is the value."""
    changes = {"gst_code": "99", **changes}
    return line(tariff_treatment="UST", origin="US", origin_state="NY", export_country="US", **changes)


def test_an_ontario_line_pays_13_percent_hst_as_d17_1_10_example_10(maple, alice, tariff_rows, today):
    # Appendix B example 10: its Ontario line of value for duty 2 000,00, duty free, totals 260,00.
    outcome = services.submit(alice, cad(casual(province="ON", value="2000.00")))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.value_for_tax == Decimal("2000.00") and assessed.gst == 0  # GST code 99: no GST in field 93
    assert assessed.details["pst_hst_qst"] == "260.00" and assessed.details["hst_rate"] == "13"
    assert assessed.total == Decimal("260.00")
    entry = LedgerEntry.objects.get(
        entry_type=EntryType.ASSESSMENT, transaction_number=outcome.declaration.transaction_number
    )
    assert entry.amount == outcome.version.total == Decimal("260.00")
    totals = explain.header_totals(outcome.version, [assessed])
    assert totals[100] == Decimal("260.00")  # field 100: total PST/HST
    assert totals[104] == 0  # the GST is paid within the HST, not exempted
    assert not [warning for warning in outcome.warnings if warning.code == "hst_differs"]


def test_commercial_goods_for_an_hst_province_pay_the_gst_alone(maple, alice, tariff_rows, today):
    # ETA s.212.1(3): the HST at the border (s.212.1(2)(b)) leaves out goods accounted for as commercial goods;
    # their provincial part is self-assessed (s.220.07). GST code 1 in Ontario: 5% GST, nothing in field 94.
    outcome = services.submit(alice, cad(casual(province="ON", value="2000.00", gst_code="1")))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.gst == Decimal("100.00") and not assessed.details.get("pst_hst_qst")
    assert assessed.total == Decimal("100.00")


@pytest.mark.parametrize("code", [{"gst_code": "1"}, {}])  # the normal GST code, or none: GST at 5%
def test_an_hst_declared_beside_a_gst_code_that_bills_the_gst_is_refused(maple, alice, tariff_rows, today, code):
    # D17-1-10 field 94: "Si la TVH est applicable, un code d'exception de la TPS est requis": the HST holds the
    # GST (ETA s.212.1(2): "in addition to the tax imposed by section 212"), so field 93's 5% would be paid twice.
    hst = line(tariff_treatment="UST", origin="US", origin_state="NY", export_country="US", province="ON")
    outcome = services.submit(alice, cad(hst | code | {"value": "2000.00", "pst_hst_qst": "260.00"}))
    (error,) = outcome.errors
    assert (error.pointer, error.code) == ("/lines/0/gst_code", "gst_code_with_hst")
    assert "GST code 99" in str(error.message) and "260.00" in str(error.message)
    with translation.override("fr"):
        assert "code de TPS 99" in str(error.message)


def test_a_line_that_bills_the_gst_may_declare_field_94_where_no_hst_is_due(maple, alice, tariff_rows, today):
    # A PST (Manitoba, no HST: D17-1-10 App. B ex. 9, "le code de TPS normal (1) ... et le montant de TVP dans le
    # champ TVP/TVH"), or 0.00 for an HST province (commercial goods: GST alone, ETA s.212.1(3)).
    for province, levy in (("MB", "140.00"), ("ON", "0.00")):
        declared = casual(province=province, value="2000.00", gst_code="1", pst_hst_qst=levy)
        outcome = services.submit(alice, cad(declared))
        assert outcome.code == 39, outcome.errors
        assessed = outcome.version.lines.get()
        assert assessed.gst == Decimal("100.00") and assessed.total == Decimal("100.00") + Decimal(levy)


def test_the_hst_is_rounded_half_up_to_the_cent(maple, alice, tariff_rows, today):
    assessed = services.submit(alice, cad(casual(province="ON", value="12.50"))).version.lines.get()
    assert assessed.details["pst_hst_qst"] == "1.63"  # 12.50 x 13% = 1.625


@pytest.mark.parametrize(("release", "hst"), [(dt.date(2025, 3, 31), "150.00"), (dt.date(2025, 4, 1), "140.00")])
def test_nova_scotia_s_hst_is_14_percent_from_april_2025(maple, alice, tariff_rows, on_day, release, hst):
    on_day(release)  # SOR/2025-77: the provincial part from 10% to 9% on 1 April 2025
    outcome = services.submit(alice, cad(casual(province="NS", value="1000.00"), release_date=release))
    assert outcome.code == 39, outcome.errors
    assert outcome.version.lines.get().details["pst_hst_qst"] == hst


def test_a_declared_hst_that_differs_is_billed_with_a_warning(maple, alice, tariff_rows, today):
    # e.g. Nova Scotia's point-of-sale rebate of its part on children's clothing: 5% instead of 15%
    outcome = services.submit(alice, cad(casual(province="NS", value="1000.00", pst_hst_qst="50.00")))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.total == Decimal("50.00") and assessed.details["hst_computed"] == "150.00"
    (warning,) = [warning for warning in outcome.warnings if warning.code == "hst_differs"]
    assert warning.pointer == "/lines/0/pst_hst_qst" and "150.00" in str(warning.message)
    (why,) = [why for why in explain.line_why(assessed) if "field 94" in str(why.label)]
    assert why.amount == Decimal("50.00") and "150.00" in str(why.text)
    same = services.submit(alice, cad(casual(province="NS", value="1000.00", pst_hst_qst="150.00")))
    assert not [warning for warning in same.warnings if warning.code == "hst_differs"]


def test_the_cad_page_says_why_of_the_hst_in_english_and_french(maple, alice, tariff_rows, today):
    assessed = services.submit(alice, cad(casual(province="ON", value="2000.00"))).version.lines.get()
    said = {
        "en": "13%, the HST of the province of destination ON",
        "fr": "13 %, la TVH de la province de destination ON",
    }
    for language, words in said.items():
        with translation.override(language):
            (why,) = [why for why in explain.line_why(assessed) if why.amount == Decimal("260.00")]
            assert words in str(why.text) and "GI-100" in why.source


def test_no_hst_is_computed_outside_the_periods_read_nor_for_a_non_participating_province():
    assert provincial.hst_rate("PE", dt.date(2013, 3, 31)) is None  # before Prince Edward Island's HST
    assert provincial.hst_rate("NB", dt.date(2012, 6, 28)) is None  # before the Schedule VIII version read
    assert provincial.hst_rate("AB", dt.date(2025, 1, 3)) is None
    assert provincial.hst_rate("PE", dt.date(2013, 4, 1)).total == 14
    assert provincial.hst_rate("NB", dt.date(2016, 6, 30)).total == 13
    assert provincial.hst_rate("NB", dt.date(2016, 7, 1)).total == 15


def test_each_province_s_rates_follow_each_other_without_gap_or_overlap():
    for province in {row.province for row in provincial.hst_rates()}:
        rows = sorted((row for row in provincial.hst_rates() if row.province == province), key=lambda r: r.valid_from)
        assert rows[-1].valid_to is None, province
        for before, after in pairwise(rows):
            assert after.valid_from == before.valid_to + dt.timedelta(days=1), province
        assert all(row.source for row in rows)


def test_gst_code_99_for_a_province_without_hst_rate_still_needs_the_declared_amount(maple, alice, tariff_rows, today):
    assert ("/lines/0/pst_hst_qst", "required") in errors(services.submit(alice, cad(casual(province="AB"))))


def test_tobacco_for_a_province_collecting_its_tobacco_tax_needs_field_97(
    maple, alice, tariff_rows, excise_goods, today
):
    missing = errors(services.submit(alice, cad(smokes() | {"province": "ON"})))
    assert ("/lines/0/provincial_tobacco_tax", "required") in missing
    assert "field 97" in missing[("/lines/0/provincial_tobacco_tax", "required")]
    declared = services.submit(alice, cad(smokes() | {"province": "QC", "provincial_tobacco_tax": "0.00"}))
    assert declared.code == 39, declared.errors
    # Yukon has no tobacco tax agreement with CBSA (D17-1-10 field 97), and water contains no tobacco.
    assert services.submit(alice, cad(smokes() | {"province": "YT"})).code == 39
    assert services.submit(alice, cad(line(province="ON"))).code == 39


def test_goods_containing_tobacco_are_those_of_the_harmonized_system_s_tobacco_headings():
    assert provincial.contains_tobacco(CIGARETTES) and provincial.contains_tobacco("2403110000")
    # Customs Tariff (data/tariff/cbsa-customs-tariff-2021, -2026-partial): every subheading of 24.01,
    # not its first alone, and every tariff item of the others
    assert provincial.contains_tobacco("2401209020")  # 2401.20.90.20 Virginia, flue-cured (stemmed)
    assert provincial.contains_tobacco("2401300000")  # 2401.30.00.00 tobacco refuse
    assert provincial.contains_tobacco(CIGARS) and provincial.contains_tobacco("2402100010")  # hand-rolled cigars
    assert provincial.contains_tobacco("2404111000")  # 2404.11.10.00 homogenized or reconstituted tobacco
    assert provincial.contains_tobacco("2404119000")  # 2404.11.90.00 other tobacco (T2026)
    assert not provincial.contains_tobacco("2402900000")  # cigarettes of tobacco substitutes
    assert not provincial.contains_tobacco("2404120000")  # nicotine products without tobacco


def test_a_published_rate_cannot_be_altered_by_the_code_reading_it():
    # the rows are read once and shared by every declaration assessed after: none may change them
    row = provincial.hst_rate("ON", dt.date(2025, 1, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.rate = Decimal("0")
    assert provincial.hst_rate("ON", dt.date(2025, 1, 3)).total == 13

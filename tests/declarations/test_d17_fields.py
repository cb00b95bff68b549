"""The D17-1-10 fields, code lists and CAD-type rules (issue #18), and the assessment they change
(issue #15 item 4): Chapter 99 tariff code, GST code."""

import datetime as dt
from decimal import Decimal

import pytest

from declarations import codes, services, validation
from declarations.models import CadType, CodeListEntry
from tariff.models import Chapter, Section
from tests.assessment.test_estimate_fixtures import add_rows

from .conftest import RELEASE, cad, line


@pytest.fixture
def today(on_day):
    on_day(RELEASE)


def errors(outcome):
    return {(error.pointer, error.code): str(error.message) for error in outcome.errors}


@pytest.fixture
def fresh_codes():
    codes.clear_cache()
    yield
    codes.clear_cache()


def test_the_code_lists_are_loaded_from_the_project_copy(db, fresh_codes):
    assert CodeListEntry.objects.filter(list="countries", code="PA", name_en="Panama").exists()
    assert codes.entry("tariff_treatments", "002").alias == "MFN"
    assert codes.entry("modes_of_transport", "10").name_en == "Electrical grid"


def test_a_code_is_valid_only_between_its_dates(db, fresh_codes):
    assert codes.entry("cad_types", "AD", dt.date(2024, 10, 20)) is not None
    assert codes.entry("cad_types", "AD", dt.date(2024, 10, 21)) is None  # retired with CARM
    assert codes.entry("cad_types", "TT", dt.date(2024, 10, 20)) is None  # new with CARM


def test_a_retired_cad_type_is_refused_naming_field_11_in_both_languages(maple, alice, tariff_rows, today):
    from django.utils import translation

    outcome = services.submit(alice, cad(cad_type_code="AD"))
    message = errors(outcome)[("/cad_type_code", "unknown_code")]
    assert "field 11" in message and "AD" in message
    with translation.override("fr"):
        french = str(outcome.errors[0].message)
    assert "champ 11" in french


def test_every_coded_field_is_checked_against_its_list(maple, alice, tariff_rows, today):
    outcome = services.submit(
        alice, cad(line(province="ZZ", export_state="XX", incoterms="ABC"), region="9", unlading_region="7")
    )
    found = set(errors(outcome))
    assert {
        ("/lines/0/province", "unknown_code"),
        ("/lines/0/export_state", "unknown_code"),
        ("/lines/0/incoterms", "unknown_code"),
        ("/region", "unknown_code"),
        ("/unlading_region", "unknown_code"),
    } <= found


def test_a_temporary_importation_needs_its_time_limit_dates(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(time_limit_type="4")))
    assert {("/lines/0/time_limit_from", "required"), ("/lines/0/time_limit_to", "required")} <= set(errors(outcome))
    accepted = services.submit(
        alice, cad(line(time_limit_type="4", time_limit_from="2025-01-03", time_limit_to="2025-06-30"))
    )
    assert accepted.code == 39
    assert accepted.version.lines.get().details["time_limit_to"] == "2025-06-30"


def test_sima_details_need_the_sima_subject_and_a_subject_line_its_measure(maple, alice, tariff_rows, today):
    assert ("/lines/0/sima_subject", "required") in errors(services.submit(alice, cad(line(sima_code="1"))))
    subject = errors(services.submit(alice, cad(line(sima_subject="A"))))
    assert {("/lines/0/sima_measure", "required"), ("/lines/0/incoterms", "required")} <= set(subject)


def test_a_warehouse_cad_needs_its_sub_type_and_chain(maple, alice, tariff_rows, today):
    found = set(errors(services.submit(alice, cad(cad_type_code="20", warehouse_subtype="10-1"))))
    assert ("/warehouse_subtype", "subtype_mismatch") in found
    assert {("/original_transaction_number", "required"), ("/previous_transaction_number", "required")} <= found
    assert ("/lines/0/previous_line_number", "required") in found


def test_a_type_c_cad_is_a_cash_cad(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, {k: v for k, v in cad(cad_type_code="C").items() if k != "cad_type"})
    assert outcome.code == 39 and outcome.version.cad_type == CadType.CASH
    refused = services.submit(alice, cad(cad_type_code="C", cad_type="rpp"))
    assert ("/cad_type", "cad_type_mismatch") in errors(refused)


def test_the_tariff_treatment_may_be_given_as_its_appendix_h_code(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(tariff_treatment="002")))
    assert outcome.code == 39 and outcome.version.lines.get().tariff_treatment == "MFN"


def test_header_and_invoice_fields_are_stored_and_returned(maple, alice, tariff_rows, today):
    payload = cad(cad_type_code="AB", carrier_code="1abc", gross_weight="1250", region="3")
    payload["invoices"][0].update(purchase_order="PO-7781", us_port_of_exit="0901")
    outcome = services.submit(alice, payload)
    assert outcome.code == 39
    assert outcome.version.details == {
        "cad_type_code": "AB",
        "carrier_code": "1ABC",
        "gross_weight": "1250",
        "region": "3",
    }
    assert outcome.version.invoices.get().details == {"purchase_order": "PO-7781", "us_port_of_exit": "0901"}


def test_a_gst_code_of_the_list_changes_the_gst(maple, alice, tariff_rows, today, fresh_codes):
    # A code made for the test (the shipped list is empty until its source is in hand): 0% GST.
    CodeListEntry.objects.create(
        list="gst_codes", code="T0", name_en="Test relief", name_fr="Allègement test", alias="0"
    )
    codes.clear_cache()
    taxed = services.submit(alice, cad()).version.lines.get()
    relieved = services.submit(alice, cad(line(gst_code="T0"))).version.lines.get()
    assert taxed.gst == (taxed.value_for_tax * Decimal("0.05")).quantize(Decimal("0.01")) and taxed.gst > 0
    assert relieved.gst == 0 and relieved.details["gst_code"] == "T0"


def test_a_gst_code_that_does_not_exist_is_refused(maple, alice, tariff_rows, today, fresh_codes):
    assert ("/lines/0/gst_code", "unknown_code") in errors(services.submit(alice, cad(line(gst_code="Q9"))))


def test_an_unknown_chapter_99_tariff_code_is_refused(maple, alice, tariff_rows, today):
    outcome = services.submit(alice, cad(line(tariff_code="9999")))
    assert ("/lines/0/tariff_code", "unknown_tariff_code") in errors(outcome)


def test_the_cad_page_shows_every_declared_field_and_why_each_amount_is_what_it_is(
    client, maple, alice, tariff_rows, today
):
    payload = cad(line(export_state="NY"), carrier_code="1ABC")
    payload["invoices"][0]["purchase_order"] = "PO-7781"
    outcome = services.submit(alice, payload)
    client.force_login(alice)
    from django.urls import reverse

    url = reverse("declarations:detail", args=[outcome.declaration.transaction_number])
    page = client.get(url).content.decode()
    assert "Why these amounts" in page
    assert "no GST code relieves the goods" in page and "Customs Tariff s.20" in page
    for shown in ("Field 20: Carrier code</dt><dd>1ABC", "Field 45: State of export</dt><dd>NY", "PO-7781"):
        assert shown in page


def test_the_header_totals_of_fields_99_to_116_sum_the_lines(api, maple, alice, tariff_rows, today):
    levied = line(province="QC", provincial_alcohol_tax="12.00", alcohol_percent="12.50")
    outcome = services.submit(alice, cad(line(), levied, invoices=None))
    version = outcome.version
    answer = api(alice)("get", f"declarations/{outcome.declaration.transaction_number}").json()
    totals = {number: Decimal(amount) for number, amount in answer["d17_totals"].items()}
    assert totals["99"] == version.vfd and totals["109"] == version.gst and totals["106"] == version.customs_duty
    assert totals["102"] == Decimal("12.00")
    # the provincial levy is billed with the duties and taxes (field 116), field 105 leaves it out
    assert totals["116"] == version.total and totals["105"] == version.total - Decimal("12.00")
    assert totals["115"] == version.total + version.interest


def test_a_chapter_99_tariff_code_gives_the_line_its_rate(maple, alice, tariff_rows, today):
    from tariff.models import Chapter, Section
    from tests.assessment.test_estimate_fixtures import add_rows

    section = Section.objects.create(number=22, roman="XXII", title_en="Special classification provisions")
    Chapter.objects.create(number="99", section=section, title_en="Special classification provisions")
    items = [("9971", "99.71", "heading", "99", ""), ("99710000", "9971.00.00", "tariff_item", "9971", "")]
    add_rows(tariff_rows, "99", items, {"99710000": {"MFN": "Free"}})
    classified = services.submit(alice, cad()).version.lines.get()
    special = services.submit(alice, cad(line(tariff_code="9971"))).version.lines.get()
    assert classified.customs_duty == Decimal("1950.00")  # 6.5 % of 30,000.00 under 2201.90.00.00
    assert special.customs_duty == 0 and special.classification == classified.classification


def test_a_warehouse_entry_shows_its_duties_but_bills_none(maple, alice, tariff_rows, today):
    from ledger.models import EntryType, LedgerEntry

    limits = {"time_limit_type": "4", "time_limit_from": "2025-01-03", "time_limit_to": "2026-01-02"}
    stored = services.submit(alice, cad(line(**limits), cad_type_code="10", warehouse_subtype="10-1"))
    billed = services.submit(alice, cad(cad_type_code="AB"))
    assert stored.code == 39 and stored.version.total == billed.version.total > 0
    entries = LedgerEntry.objects.filter(entry_type=EntryType.ASSESSMENT)
    assert not entries.filter(transaction_number=stored.declaration.transaction_number).exists()
    assert entries.get(transaction_number=billed.declaration.transaction_number).amount == billed.version.total


def test_a_remission_order_of_the_list_remits_its_share_of_the_customs_duty(
    maple, alice, tariff_rows, today, fresh_codes
):
    # An order made for the test (the shipped list is empty until a source is in hand): half the duty.
    CodeListEntry.objects.create(list="remission_orders", code="00-000", name_en="Test", name_fr="Test", alias="50")
    codes.clear_cache()
    full = services.submit(alice, cad()).version.lines.get()
    remitted = services.submit(alice, cad(line(special_authority="00-000")))
    line_ = remitted.version.lines.get()
    assert full.customs_duty == Decimal("1950.00") and line_.customs_duty == Decimal("975.00")
    assert line_.total == full.total - Decimal("975.00") and line_.details["remitted_customs_duty"] == "975.00"
    from declarations import explain

    assert explain.header_totals(remitted.version, [line_])[104] == Decimal("975.00")


def test_an_order_in_council_not_in_the_list_is_kept_as_declared_with_a_note_in_both_languages(
    maple, alice, tariff_rows, today, fresh_codes
):
    from django.utils import translation

    from declarations import explain

    full = services.submit(alice, cad()).version.lines.get()
    # D17-1-10 field 54's own example, P.C. 1985-277: any order may be claimed, none is in CARM's list.
    outcome = services.submit(alice, cad(line(special_authority="85-277")))
    assert outcome.code == 39, outcome.errors
    kept = outcome.version.lines.get()
    assert kept.special_authority == "85-277" and kept.customs_duty == full.customs_duty == Decimal("1950.00")
    assert kept.total == full.total and "remitted_customs_duty" not in kept.details
    (warning,) = [w for w in outcome.warnings if w.code == "order_not_listed"]
    assert warning.pointer == "/lines/0/special_authority" and "85-277" in str(warning.message)
    with translation.override("fr"):
        assert "champ 54" in str(warning.message)
        why = [w for w in explain.line_why(kept) if "85-277" in str(w.text)]
        assert why and "liste" in str(why[0].text)


def test_an_order_in_council_not_written_as_field_54_asks_is_refused(maple, alice, tariff_rows, today):
    for malformed in ("P.C. 1985-277", "1985-277", "85/277"):
        found = errors(services.submit(alice, cad(line(special_authority=malformed))))
        assert ("/lines/0/special_authority", "invalid_order_number") in found, malformed
    for written in ("73-1-82", "22-089Z1663"):  # field 54's Treasury Board form; Appendix B example 7
        found = errors(services.submit(alice, cad(line(special_authority=written))))
        assert ("/lines/0/special_authority", "invalid_order_number") not in found, written


def test_a_listed_order_is_checked_on_the_release_date(db, fresh_codes):
    textiles = codes.entry("remission_orders", "14-1299", dt.date(2012, 12, 31))  # SOR/2014-278 s.2(a)
    assert textiles is not None and "2014-278" in textiles.name_en
    assert codes.entry("remission_orders", "14-1299", dt.date(2013, 1, 1)) is None
    assert codes.entry("remission_orders", "97-1993", dt.date(1997, 12, 28)) is None  # before P.C. 1997-1993


VESSEL = "8901909100"


def test_a_vessel_under_order_88_0357_pays_a_120th_of_its_duty_and_gst_a_month_as_d17_1_10_example_6(
    maple, alice, tariff_rows, today
):
    vessel = [("8901", "89.01", "heading", "89", ""), (VESSEL, "8901.90.91.00", "tariff_item", "8901", "NMB")]
    section = Section.objects.create(number=17, roman="XVII", title_en="Vehicles, aircraft, vessels")
    Chapter.objects.create(number="89", section=section, title_en="Ships, boats and floating structures")
    add_rows(tariff_rows, "89", vessel, {VESSEL: {"MFN": "25 %"}})
    limits = {"time_limit_type": "4", "time_limit_from": "2025-01-03", "time_limit_to": "2025-05-02"}  # 4 months
    ship = line(classification=VESSEL, narrative="Cruise ship", quantity="1", unit="NMB", value="11733033.00", **limits)
    outcome = services.submit(alice, cad({**ship, "special_authority": "88-0357"}))
    assert outcome.code == 39, outcome.errors
    assessed = outcome.version.lines.get()
    assert assessed.value_for_tax == Decimal("14666291.25")  # example 6: on the whole duty
    assert assessed.gst == Decimal("24443.82")  # example 6
    assert assessed.customs_duty == Decimal("97775.27")  # example 6: 2,933,258.25 x (4/120), the share first
    assert assessed.total == Decimal("122219.09")  # example 6, "Total des droits et taxes de la ligne"
    assert assessed.details["remitted_customs_duty"] == str(Decimal("2933258.25") - Decimal("97775.27"))
    without = {name: value for name, value in ship.items() if not name.startswith("time_limit")}
    missing = errors(services.submit(alice, cad({**without, "special_authority": "88-0357"})))
    assert ("/lines/0/time_limit_to", "required") in missing and "54" in missing[("/lines/0/time_limit_to", "required")]


def test_the_months_of_a_time_limit_count_a_month_begun_as_a_month():
    assert validation.months_in(dt.date(2025, 1, 5), dt.date(2025, 2, 4)) == 1  # SOR/91-30 s.2(2)
    assert validation.months_in(dt.date(2025, 1, 5), dt.date(2025, 2, 5)) == 2
    assert validation.months_in(dt.date(2025, 1, 31), dt.date(2025, 2, 27)) == 1

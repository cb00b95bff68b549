"""D17-1-10 (CARM edition, 21 Oct 2024) Appendix A rules by CAD type (issue #18): the fields a type
leaves blank, the values a type F CAD gives, the fields a shipment worth over CAD 3,300 exported from
the United States gives, and a type 13/20/21/30 CAD matched to the warehouse CADs it refers to."""

from decimal import Decimal

import pytest
from django.utils import translation

from declarations import services

from .conftest import RELEASE, cad, line
from .test_d17_fields import errors

LIMITS = {"time_limit_type": "4", "time_limit_from": RELEASE.isoformat(), "time_limit_to": "2026-01-02"}


@pytest.fixture
def today(on_day):
    on_day(RELEASE)


def test_a_field_its_cad_type_leaves_blank_is_refused_naming_the_field_in_both_languages(
    maple, alice, tariff_rows, today
):
    payload = cad(line(**LIMITS), cad_type_code="10", warehouse_subtype="10-1", warehouse_in="W1", warehouse_out="W9")
    outcome = services.submit(alice, payload)
    assert list(errors(outcome)) == [("/warehouse_out", "not_applicable")]  # field 10: blank on a type 10
    assert "field 10" in str(outcome.errors[0].message) and "type 10" in str(outcome.errors[0].message)
    with translation.override("fr"):
        assert "champ 10" in str(outcome.errors[0].message)
    assert services.submit(alice, cad(line(**LIMITS), cad_type_code="10", warehouse_subtype="10-1")).code == 39


def test_a_type_f_cad_leaves_the_tariff_code_and_buyer_blank_and_gives_its_fixed_values(
    maple, alice, tariff_rows, today
):
    payload = cad(line(tariff_code="9971"), cad_type_code="F", cargo_control_number="")
    payload["invoices"][0]["buyer_name"] = "Buyer Inc."
    found = set(errors(services.submit(alice, payload)))
    assert {("/lines/0/tariff_code", "not_applicable"), ("/invoices/0/buyer_name", "not_applicable")} <= found
    # fields 16, 22, 23, 24, 28: mode 2, weight 1, freight 1, invoice EFVMS99, US port of exit 1001
    assert {("/gross_weight", "type_f_value"), ("/invoices/0/number", "type_f_value")} <= found
    assert ("/mode_of_transport", "type_f_value") not in found  # the payload's mode is 2
    good = cad(line(invoice="EFVMS99"), cad_type_code="F", cargo_control_number="", gross_weight="1", freight="1")
    good["invoices"][0].update(number="EFVMS99", us_port_of_exit="1001")
    assert services.submit(alice, good).code == 39


def test_the_cargo_control_number_by_cad_type_and_mode_of_transport(maple, alice, tariff_rows, today):
    assert ("/cargo_control_number", "required") in errors(
        services.submit(alice, cad(cad_type_code="AB", cargo_control_number=""))
    )
    marine = services.submit(alice, cad(cad_type_code="AB", mode_of_transport="9"))
    assert ("/cargo_control_number", "not_applicable") in errors(marine)
    assert services.submit(alice, cad(cad_type_code="AB", mode_of_transport="9", cargo_control_number="")).code == 39


def us_line(value="30000.00"):
    return line(origin="US", origin_state="NY", export_country="US", tariff_treatment="UST", value=value)


def test_goods_over_3300_exported_from_the_us_by_air_give_the_port_carrier_weight_and_freight(
    maple, alice, tariff_rows, today
):
    found = set(errors(services.submit(alice, cad(us_line(), cad_type_code="AB", mode_of_transport="1"))))
    header = {"port_of_unlading", "carrier_code", "gross_weight", "freight"}
    assert {(f"/{name}", "required") for name in header} | {("/invoices/0/us_port_of_exit", "required")} <= found
    by_road = set(errors(services.submit(alice, cad(us_line(), cad_type_code="AB"))))
    assert ("/freight", "required") in by_road and ("/carrier_code", "required") not in by_road  # air or sea only
    small = services.submit(alice, cad(us_line("3300.00"), cad_type_code="AB", mode_of_transport="1"))
    assert small.code == 39  # not over CAD 3,300
    from_france = services.submit(alice, cad(cad_type_code="AB", mode_of_transport="1"))
    assert from_france.code == 39  # not exported from the US
    untyped = services.submit(alice, cad(us_line(), mode_of_transport="1"))
    assert untyped.code == 39  # no CAD type (field 11): not coded to Appendix A (e.g. the demo's)


def test_a_type_v_cad_over_3300_from_the_us_gives_no_port_of_unlading_or_freight(maple, alice, tariff_rows, today):
    found = set(errors(services.submit(alice, cad(us_line(), cad_type_code="V", mode_of_transport="1"))))
    assert ("/carrier_code", "required") in found and ("/gross_weight", "required") in found
    assert ("/port_of_unlading", "required") not in found and ("/freight", "required") not in found
    assert ("/invoices/0/us_port_of_exit", "required") not in found  # field 28: AB, C and 10 only


_ENTRY = {"cad_type_code": "10", "warehouse_subtype": "10-1", "warehouse_in": "W1"}


def _entry(alice, **changes):
    header = {**_ENTRY, **changes}
    outcome = services.submit(alice, cad(line(**LIMITS), **header))
    assert outcome.code == 39, outcome.errors
    return outcome.declaration.transaction_number


def _out(number, previous_line="1", **changes):
    header = {
        "cad_type_code": "20",
        "warehouse_subtype": "20-1",
        "original_transaction_number": number,
        "previous_transaction_number": number,
        "cargo_control_number": "",
        **changes,
    }
    return cad(line(previous_line_number=previous_line), **header)


def test_an_ex_warehouse_cad_is_matched_to_its_type_10_entry(maple, alice, tariff_rows, today):
    entry = _entry(alice)
    assert services.submit(alice, _out(entry)).code == 39
    elsewhere = errors(services.submit(alice, _out(entry, release_office="0809")))
    assert ("/release_office", "office_not_original") in elsewhere  # field 13: the type 10's office
    no_line = errors(services.submit(alice, _out(entry, previous_line="2")))
    assert ("/lines/0/previous_line_number", "unknown_previous_line") in no_line  # field 33


def test_an_ex_warehouse_cad_naming_no_type_10_of_the_importer_is_refused(maple, alice, tariff_rows, today):
    unknown = errors(services.submit(alice, _out("12345000000012")))
    assert ("/original_transaction_number", "unknown_warehouse_cad") in unknown
    released = services.submit(alice, cad(cad_type_code="AB")).declaration.transaction_number
    mismatch = errors(services.submit(alice, _out(released)))
    assert ("/original_transaction_number", "warehouse_type_mismatch") in mismatch


def test_an_export_from_warehouse_leaves_the_warehouse_the_entry_put_the_goods_in(maple, alice, tariff_rows, today):
    entry = _entry(alice)
    exported = {"cad_type_code": "21", "warehouse_subtype": "21-1"}
    wrong = errors(services.submit(alice, _out(entry, warehouse_out="W2", **exported)))
    assert ("/warehouse_out", "warehouse_mismatch") in wrong  # field 10
    assert services.submit(alice, _out(entry, warehouse_out="W1", **exported)).code == 39


def _in_usd(payload, shipped=None):
    invoice = payload["invoices"][0]
    invoice["currency"] = "USD"
    if shipped is None:
        del invoice["shipment_date"]
    else:
        invoice["shipment_date"] = shipped
    return payload


def test_an_ex_warehouse_cad_leaves_field_31_blank_and_converts_at_the_rate_of_its_entrys_shipment(
    maple, alice, tariff_rows, usd_rates, today
):
    entry = services.submit(alice, _in_usd(cad(line(**LIMITS), **_ENTRY), shipped="2025-01-02"))
    assert entry.code == 39, entry.errors
    number = entry.declaration.transaction_number
    out = services.submit(alice, _in_usd(_out(number)))
    assert out.code == 39, out.errors
    invoice, assessed = out.version.invoices.get(), out.version.lines.get()
    assert invoice.shipment_date.isoformat() == "2025-01-02"  # D13-2-3: the goods' date of direct shipment
    assert assessed.exchange_rate == Decimal("1.4400") and assessed.vfd == Decimal("43200.00")  # not 1.15 of release
    dated = errors(services.submit(alice, _in_usd(_out(number), shipped=RELEASE.isoformat())))
    assert ("/invoices/0/shipment_date", "not_applicable") in dated  # field 31: "Ne rien indiquer"
    assert "field 31" in dated[("/invoices/0/shipment_date", "not_applicable")]
    in_euros = _out(number)
    in_euros["invoices"][0].update(currency="EUR", number="INV-9")
    del in_euros["invoices"][0]["shipment_date"]
    in_euros["lines"][0]["invoice"] = "INV-9"
    assert ("/invoices/0/currency", "no_original_invoice") in errors(services.submit(alice, in_euros))


def test_a_cad_of_a_type_that_ships_directly_needs_its_date_of_direct_shipment(maple, alice, tariff_rows, today):
    for kind in ({}, {"cad_type_code": "AB"}):
        payload = cad(**kind)
        del payload["invoices"][0]["shipment_date"]
        assert ("/invoices/0/shipment_date", "required") in errors(services.submit(alice, payload))
    low_value = cad(line(invoice="EFVMS99"), cad_type_code="F", cargo_control_number="", gross_weight="1", freight="1")
    low_value["invoices"][0].update(number="EFVMS99", us_port_of_exit="1001")
    del low_value["invoices"][0]["shipment_date"]
    accepted = services.submit(alice, low_value)
    assert accepted.code == 39, accepted.errors
    assert accepted.version.invoices.get().shipment_date == RELEASE  # type F: in CAD, on the release date

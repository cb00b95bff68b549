"""Bad input on a CAD gets a specific error (issue 17, item 5): a quantity of 0, and country codes
that are two letters but no country (ZZ, QQ), are refused, in both languages."""

import datetime as dt

import pytest
from django.utils import translation

from declarations import validation

from .conftest import cad, line


def _errors(alice, payload):
    _checked, errors = validation.check(payload, who=alice, today=dt.date(2025, 1, 6))
    return {(error.code, error.pointer) for error in errors}, errors


def test_a_quantity_of_zero_is_refused(maple, alice, tariff_rows):
    found, _errors_ = _errors(alice, cad(line(quantity="0")))
    assert ("quantity_not_positive", "/lines/0/quantity") in found


@pytest.mark.parametrize("code", ["ZZ", "QQ"])
def test_a_country_code_naming_no_country_is_refused(maple, alice, tariff_rows, code):
    payload = cad(line(origin=code, export_country=code))
    payload["invoices"][0]["vendor_country"] = code
    found, errors = _errors(alice, payload)
    assert {("unknown_code", "/lines/0/export_country"), ("unknown_code", "/invoices/0/vendor_country")} <= found
    with translation.override("fr"):
        messages = [str(error.message) for error in errors if error.code == "unknown_code"]
    assert messages and all(f"{code} n'est pas un code de sa liste en vigueur le 2025-01-03" in m for m in messages)

"""The CAD the API documents is the CAD the validator enforces (issue #14.4): read from the published
OpenAPI schema (/api/v1/schema/), every documented field is accepted, every undocumented one is
refused with a structured error, and each documented limit — required, longest text, format,
choices, digits and decimals of an amount, dates and times — is the one enforced. The test reads
the schema, not declarations.fields: a field added as a row is checked without changing it."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import translation

from declarations import transaction_numbers, validation

from .conftest import RELEASE, cad, line

TODAY = dt.date(2025, 1, 6)
PARTS = {"DeclarationInRequest": "", "InvoiceInRequest": "/invoices/0", "LineInRequest": "/lines/0"}
NESTED = {"invoices", "lines"}
# A value of each field with which the declaration the cases start from is accepted (a field added
# later without one here is checked as a field the validator knows, not for a whole acceptance).
SAMPLES = {
    "/declarant": {"declarant": "123456782RM0002"},
    "/release_time": {"release_time": "10:15"},
    "/cad_type": {"cad_type": "cash"},
    "/invoices/0/vendor_address": {"vendor_address": "1 rue de la Source, Evian"},
    "/lines/0/invoice": {"invoice": "INV-1"},
    "/lines/0/description": {"description": "Mineral waters"},
    "/lines/0/origin_state": {"origin": "US", "origin_state": "VT", "tariff_treatment": "UST"},
    "/lines/0/vfd": {"vfd": "30000.00"},
    "/lines/0/special_authority": {"special_authority": "85-2955"},
    **{f"/lines/0/{name}": {name: "100.00", "vfd_code": "14"} for name in ("add_commissions", "add_packing")},
    **{f"/lines/0/{name}": {name: "100.00", "vfd_code": "14"} for name in ("add_assists", "add_royalties")},
    **{f"/lines/0/{name}": {name: "100.00", "vfd_code": "14"} for name in ("add_proceeds", "deduct_transport")},
    **{f"/lines/0/{name}": {name: "100.00", "vfd_code": "14"} for name in ("deduct_post_import", "deduct_duties")},
    "/lines/0/sima": {"sima": "10.00"},
    "/lines/0/sima_margin": {"sima_margin": "5"},
    "/lines/0/surtax_amount": {"surtax_amount": "100.00", "surtax_code": "S1"},
    "/lines/0/surtax_rate": {"surtax_rate": "25%", "surtax_code": "S1"},
    "/lines/0/surtax_code": {"surtax_rate": "25%", "surtax_code": "S1"},
    "/lines/0/excise_duty": {"excise_duty": "50.00"},
    "/lines/0/excise_duty_rate": {"excise_duty_rate": "5%"},
    "/lines/0/excise_tax": {"excise_tax": "10.00"},
    "/lines/0/excise_tax_rate": {"excise_tax_rate": "1%"},
}
ABSENT = object()
# Fields the schema leaves optional because a CAD type leaves them blank, but which the cases' CAD
# (of no type) needs: D17-1-10 field 31, blank for types 13, 20, 21, 30 and F, as its help says.
REQUIRED_UNLESS_TYPED = {"/invoices/0/shipment_date": "Blank for CAD types 13, 20, 21, 30 and F"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/v1/schema/?format=json").json()["components"]["schemas"]


def documented(schema):
    """(pointer, property schema, required) of every documented field of a CAD, enums resolved."""
    for component, prefix in PARTS.items():
        body = schema[component]
        for name, prop in body["properties"].items():
            if name in NESTED:
                continue
            if "$ref" in prop:
                prop = schema[prop["$ref"].rpartition("/")[2]]
            yield f"{prefix}/{name}", next(iter(prop.get("oneOf", [])), prop), name in body.get("required", [])


def payload_with(pointer: str, value, base=None):
    """The declaration the cases start from, with the field at `pointer` set (or removed: ABSENT)."""
    payload = base or cad()
    *path, name = pointer.strip("/").split("/")
    target = payload
    for part in path:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is ABSENT:
        target.pop(name, None)
    else:
        target[name] = value
    return payload


def check(who, payload):
    return validation.check(payload, who=who, today=TODAY)


def codes_at(who, payload, pointer) -> list[str]:
    return [error.code for error in check(who, payload)[1] if error.pointer == pointer]


@pytest.fixture
def who(maple, alice, tariff_rows):
    return alice


def test_every_documented_field_is_accepted(who, schema, maple):
    own = transaction_numbers.make(transaction_numbers.security_number_of(maple).number, 99)
    samples = {**SAMPLES, "/transaction_number": {"transaction_number": own}}
    for pointer, _prop, _required in documented(schema):
        changes = samples.get(pointer)
        if changes is None:  # already in the declaration the cases start from, or a newer row
            assert "unknown_field" not in codes_at(who, cad(), pointer), pointer
            continue
        payload = cad()
        for name, value in changes.items():
            payload = payload_with(f"{pointer.rpartition('/')[0]}/{name}", value, payload)
        checked, errors = check(who, payload)
        assert errors == [], (pointer, [(error.pointer, error.code) for error in errors])


def test_every_undocumented_field_is_refused_with_a_structured_error(who, schema):
    names = {prefix: set(schema[component]["properties"]) for component, prefix in PARTS.items()}
    every = set().union(*names.values())
    for prefix, known in names.items():
        for name in sorted(every - known) + ["colour"]:
            pointer = f"{prefix}/{name}"
            checked, errors = check(who, payload_with(pointer, "x"))
            assert checked is None and [e.code for e in errors if e.pointer == pointer] == ["unknown_field"], pointer
    errors = check(who, cad(line(**{"a/b~c": "x"})))[1]
    assert [(error.pointer, error.code) for error in errors] == [("/lines/0/a~1b~0c", "unknown_field")]  # RFC 6901


def test_an_undocumented_field_is_a_400_in_the_api(api, broker, tariff_rows, on_day):
    on_day(TODAY)
    response = api(broker)("post", "declarations", cad(line(colour="blue")))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "/lines/0/colour",
            "code": "unknown_field",
            "message": "This field is not part of a CAD (see the API schema): remove it.",
        }
    ]
    with translation.override("fr"):
        french = check(broker, cad(line(colour="blue")))[1][0].as_dict()["message"]
    assert french == "Ce champ ne fait pas partie d'une DDC (voir le schéma de l'API) : retirez-le."


def test_required_fields_are_the_documented_ones(who, schema):
    for pointer, prop, required in documented(schema):
        refused = "required" in codes_at(who, payload_with(pointer, ABSENT), pointer)
        assert refused == (required or pointer in REQUIRED_UNLESS_TYPED), pointer
        if pointer in REQUIRED_UNLESS_TYPED:
            assert REQUIRED_UNLESS_TYPED[pointer] in prop.get("description", ""), pointer


def test_the_longest_text_is_the_documented_one(who, schema):
    limited = [(pointer, prop) for pointer, prop, _ in documented(schema) if "maxLength" in prop]
    assert len(limited) > 20
    for pointer, prop in limited:
        longest = prop["maxLength"]
        assert "too_long" not in codes_at(who, payload_with(pointer, "7" * longest), pointer), pointer
        refused = codes_at(who, payload_with(pointer, "7" * (longest + 1)), pointer)
        if "pattern" in prop:  # refused by its format first, whose message says more
            assert refused and "too_long" not in refused, pointer
        else:
            assert refused == ["too_long"], pointer


def test_a_text_out_of_its_documented_format_is_refused(who, schema):
    formats = [(pointer, prop) for pointer, prop, _ in documented(schema) if prop.get("format") != "decimal"]
    formats = [(pointer, prop) for pointer, prop in formats if "pattern" in prop]
    assert {pointer.rpartition("/")[2] for pointer, _ in formats} >= {"importer", "release_office", "vfd_code"}
    for pointer, prop in formats:
        assert not re.fullmatch(prop["pattern"].strip("^$"), "!")
        assert codes_at(who, payload_with(pointer, "!"), pointer), pointer


def test_the_choices_are_the_documented_ones(who, schema):
    for pointer, prop, _ in documented(schema):
        if "enum" not in prop:
            continue
        for value in prop["enum"]:
            assert "invalid_choice" not in codes_at(who, payload_with(pointer, value), pointer), (pointer, value)
        assert codes_at(who, payload_with(pointer, "zz"), pointer) == ["invalid_choice"], pointer


def test_amounts_have_the_documented_digits_and_decimals(who, schema):
    amounts = [(pointer, prop) for pointer, prop, _ in documented(schema) if prop.get("format") == "decimal"]
    assert len(amounts) >= 12
    for pointer, prop in amounts:
        digits, *decimals = map(int, re.findall(r"\{1,(\d+)\}", prop["pattern"]))
        places = decimals[0] if decimals else 0  # a whole number: a weight in kg, freight to the dollar
        largest = "9" * digits + ("." + "9" * places if places else "")
        assert re.fullmatch(prop["pattern"].strip("^$"), largest)
        assert "invalid_amount" not in codes_at(who, payload_with(pointer, largest), pointer), pointer
        for wrong in ("1" + "0" * digits, "-1", "1." + "1" * (places + 1), "lots"):
            assert not re.fullmatch(prop["pattern"].strip("^$"), wrong)
            assert codes_at(who, payload_with(pointer, wrong), pointer) == ["invalid_amount"], (pointer, wrong)


def test_dates_and_times_are_refused_out_of_their_documented_format(who, schema):
    for pointer, prop, _ in documented(schema):
        if prop.get("format") == "date":
            assert codes_at(who, payload_with(pointer, "03/01/2025"), pointer) == ["invalid_date"], pointer
            assert not codes_at(who, payload_with(pointer, RELEASE.isoformat()), pointer), pointer
        if prop.get("format") == "time":
            assert codes_at(who, payload_with(pointer, "25:99"), pointer) == ["invalid_time"], pointer

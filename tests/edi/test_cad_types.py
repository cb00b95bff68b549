"""An EDI CAD of each CAD type (D17-1-10 field 11) meets the type's rules as the API's does (issue #18,
item 4): the type and the fields its rules read (freight, carrier, port of unlading, warehouse, the
original and previous transactions) travel in both wire formats (edi.mapping), and the answer refuses
the same fields for the same reasons as the API."""

import re

import pytest
from lxml import etree

from edi import edifact, wco_xml
from tests.delegation.conftest import api  # noqa: F401 (fixture)

from .conftest import cad, message

R = "{urn:wco:datamodel:WCO:Response:1}"
TYPE_RULES = {"required", "not_applicable", "type_f_value", "unknown_warehouse_cad", "cad_type_mismatch"}
# A CAD of each type breaking one of its rules: code of the rule at the API, by D17-1-10 field.
BROKEN = {
    "AB": {"cargo_control_number": ""},  # field 21: required for C, TT and AB
    "C": {"cargo_control_number": ""},  # and field 11: a type C is a cash CAD, not the payload's "rpp"
    "TT": {"cargo_control_number": ""},
    "V": {"port_of_unlading": "0809"},  # field 19: blank for type V
    "F": {"cargo_control_number": "", "freight": "5", "carrier_code": "1ABC"},  # fields 20, 23
    "10": {"warehouse_out": "W9"},  # field 14 (sub-type) required, field 10 blank for type 10
    "13": {"warehouse_subtype": "13-1"},  # fields 7, 8: the original and previous transactions
    "20": {"warehouse_subtype": "20-1", "original_transaction_number": "12345000000012"},
    "21": {"warehouse_subtype": "21-1", "gross_weight": "100"},  # field 22: blank for type 21
    "30": {"warehouse_subtype": "30-1", "freight": "100"},  # field 23: blank for type 30
}


def _api_codes(api, broker, payload):
    response = api(broker)("post", "declarations", payload)
    assert response.status_code == 400, response.content
    return sorted(error["code"] for error in response.json()["errors"])


def _xml_codes(send, answer, payload, reference):
    root = etree.fromstring(answer(send(wco_xml.dumps(message(payload, reference=reference)))).content)
    return sorted(error.findtext(f"{R}ValidationCode") for error in root.iter(f"{R}Error"))


def _edifact_codes(send, answer, payload, reference):
    text = answer(send(edifact.dumps(message(payload, reference=reference)))).content.decode()
    return sorted(re.findall(r"ERC\+([a-z_]+)'", text))


@pytest.mark.parametrize("kind", list(BROKEN))
def test_an_edi_cad_of_each_type_is_refused_as_the_api_refuses_it(
    api,
    broker,  # noqa: F811
    send,
    answer,
    kind,
):
    payload = cad(cad_type_code=kind, **BROKEN[kind])
    expected = _api_codes(api, broker, payload)
    assert expected and set(expected) <= TYPE_RULES
    assert _xml_codes(send, answer, payload, f"X-{kind}") == expected
    assert _edifact_codes(send, answer, payload, f"E-{kind}") == expected


def test_the_type_fields_travel_in_both_formats():
    payload = cad(
        cad_type_code="20",
        warehouse_subtype="20-1",
        original_transaction_number="12345000000012",
        previous_transaction_number="12345000000012",
        port_of_unlading="0809",
        carrier_code="1ABC",
        freight="850",
        gross_weight="1250",
    )
    sent = message(payload)
    for codec in (wco_xml, edifact):
        assert codec.loads(codec.dumps(sent)).payload == sent.payload

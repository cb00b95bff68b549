"""One description of a CAD (issue #22.1): every field of declarations.fields has a place in both wire
formats, and the XSD accepts a message using all of them."""

from declarations.fields import BY_PART, Part
from edi import edifact, mapping, wco_xml, wire

from .conftest import NORTHERN


def _every_field(part: Part) -> dict:
    return {name: ("2" if name == "mode_of_transport" else f"v-{name}")[:13] for name in BY_PART[part]}


def test_every_cad_field_has_a_place_in_both_formats():
    for part in Part:
        assert set(mapping.PLACES[part]) == set(BY_PART[part]), f"a {part} field without a row in edi.mapping"


def test_no_two_fields_share_a_place():
    for part in Part:
        places = list(mapping.PLACES[part].values())
        assert len({p.xml for p in places}) == len(places)
        assert len({(p.tag, p.qualifier) for p in places}) == len(places)


def test_a_message_with_every_field_is_valid_against_the_schema_and_reads_back():
    payload = {
        **_every_field(Part.HEADER),
        "invoices": [_every_field(Part.INVOICE)],
        "lines": [_every_field(Part.LINE)],
    }
    sent = wire.Message(mapping.CORRECTION, "R-1", NORTHERN, payload, version="00002", reason="A typo")
    raw = wco_xml.dumps(sent)
    assert wco_xml.schema().validate(__import__("lxml.etree").etree.fromstring(raw))
    assert wco_xml.loads(raw) == sent
    assert edifact.loads(edifact.dumps(sent)) == sent

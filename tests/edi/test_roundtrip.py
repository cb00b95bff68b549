"""Round trips and fuzzing (issue #22.5): a CAD → XML → CAD and → EDIFACT → CAD is the same CAD
(generated from the field table's limits, and a CAD saved by the portal); malformed messages thrown
at both parsers always give a structured refusal (WireError), never another exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declarations.fields import BY_PART, Kind, Part
from edi import edifact, mapping, wco_xml, wire

from .conftest import NORTHERN, cad, message

# Text as a CAD holds it: letters, digits, punctuation, spaces and the EDIFACT service characters;
# no control characters (XML cannot carry them, and the CAD validator refuses them).
TEXT = st.text(st.characters(categories=["L", "N", "P", "Zs", "S"], exclude_characters="\r"), min_size=1)


def _value(field):
    if field.kind is Kind.DATE:
        return st.dates().map(lambda day: day.isoformat())
    if field.kind in (Kind.AMOUNT, Kind.NUMBER):
        return st.decimals(min_value=0, max_value=10**9, places=field.places or 2).map(str)
    if field.kind is Kind.CHOICE:
        return st.sampled_from(list(field.choices.values))
    return TEXT.map(lambda text: text[: min(field.max_length or 40, 40)])


def _part(part: Part):
    fields = BY_PART[part]
    return st.fixed_dictionaries({}, optional={name: _value(field) for name, field in fields.items()})


MESSAGES = st.builds(
    wire.Message,
    function=st.sampled_from(list(mapping.FUNCTION_OF)),
    reference=st.text(st.characters(categories=["L", "N"], max_codepoint=127), min_size=1, max_size=35),
    sender=st.just(NORTHERN),
    payload=st.builds(
        lambda header, invoices, lines: {**header, **({"invoices": invoices} if invoices else {}),
                                         **({"lines": lines} if lines else {})},
        _part(Part.HEADER), st.lists(_part(Part.INVOICE), max_size=3), st.lists(_part(Part.LINE), max_size=4),
    ),
    version=st.sampled_from(["", "00001", "2"]),
    reason=st.one_of(st.just(""), TEXT.map(lambda text: text[:300])),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MESSAGES)
def test_a_cad_to_xml_and_back_is_the_same_cad(sent):
    assert wco_xml.loads(wco_xml.dumps(sent)) == sent


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MESSAGES)
def test_a_cad_to_edifact_and_back_is_the_same_cad(sent):
    assert edifact.loads(edifact.dumps(sent)) == sent


def test_a_cad_saved_in_the_portal_goes_to_both_formats_and_back(maple, alice, tariff_rows, today):
    from declarations import services as cads

    outcome = cads.submit(alice, cad())
    saved = wire.clean_payload(outcome.version.payload)
    sent = message(saved, sender="123456782")
    assert wco_xml.loads(wco_xml.dumps(sent)).payload == saved
    assert edifact.loads(edifact.dumps(sent)).payload == saved


def _mutations(raw: bytes):
    return st.one_of(
        st.binary(max_size=400),
        st.integers(0, len(raw)).map(lambda n: raw[:n]),
        st.tuples(st.integers(0, len(raw) - 1), st.binary(min_size=1, max_size=8)).map(
            lambda cut: raw[: cut[0]] + cut[1] + raw[cut[0] + len(cut[1]) :]
        ),
        st.tuples(st.integers(0, len(raw) - 1), st.integers(1, 40)).map(
            lambda cut: raw[: cut[0]] + raw[cut[0] + cut[1] :]
        ),
    )


SAMPLE = message(cad(), reference="FUZZ-1")
XML, EDI = wco_xml.dumps(SAMPLE), edifact.dumps(SAMPLE)


@pytest.mark.parametrize("codec, raw", [(wco_xml, XML), (edifact, EDI)], ids=["xml", "edifact"])
def test_a_malformed_message_is_always_a_structured_refusal(codec, raw):
    @settings(max_examples=400, deadline=None)
    @given(_mutations(raw))
    def check(mutated):
        try:
            parsed = codec.loads(mutated)
        except wire.WireError as error:
            assert error.code and isinstance(error.as_dict()["message"], str)
            return
        assert isinstance(parsed, wire.Message) and isinstance(parsed.payload, dict)  # a mutation that is still valid

    check()


@pytest.mark.parametrize("codec", [wco_xml, edifact], ids=["xml", "edifact"])
def test_a_malformed_message_filed_gets_a_structured_answer_and_saves_no_partial_cad(
    codec, broker, northern, today, tariff_rows
):
    """Through the whole inbound service: every mutated message gets one stored response; unless it
    was accepted, no declaration, version, line or ledger entry exists after it."""
    from declarations.models import Declaration, DeclarationLine, DeclarationVersion
    from edi import services
    from ledger.models import LedgerEntry

    raw = codec.dumps(message(cad(), reference="FUZZ-2"))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_mutations(raw))
    def check(mutated):
        before = [model.objects.count() for model in (Declaration, DeclarationVersion, DeclarationLine, LedgerEntry)]
        reply = services.process(services.receive(northern, broker, mutated, source="api"))
        after = [model.objects.count() for model in (Declaration, DeclarationVersion, DeclarationLine, LedgerEntry)]
        assert reply.status in {"accepted", "rejected", "syntax_error"} and reply.raw
        if reply.status != "accepted" or reply.original_id:
            assert after == before

    check()

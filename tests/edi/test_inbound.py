"""Inbound EDI (issue #22.2): acknowledged at once, filed through the CAD services, answered in the
message's format; every message and response stored raw; bad input refused with a structured answer
and nothing saved."""

import pytest
from lxml import etree

from declarations.models import Declaration, DeclarationVersion
from declarations.transaction_numbers import check_digit
from edi import edifact, wco_xml
from edi.models import Direction, Kind, Message
from ledger.models import LedgerEntry

from .conftest import NORTHERN, cad, line, message

R = "{urn:wco:datamodel:WCO:Response:1}"


def _xml(response):
    return etree.fromstring(response.content) if response.content.startswith(b"<") else None


def test_an_xml_cad_is_acknowledged_then_accepted_with_duties_per_line_and_header(send, answer):
    receipt = send(wco_xml.dumps(message(cad(line(value="100.00"), line(value="300.00")))))
    assert receipt.status_code == 202 and receipt.json()["status"] == "received"
    response = answer(receipt)
    root = _xml(response)
    assert root.findtext(f"{R}FunctionCode") == "39"
    declaration = Declaration.objects.get(transaction_number=root.findtext(f"{R}Declaration/{R}ID"))
    version = declaration.version()
    header = {
        d.findtext(f"{R}TypeCode"): d.findtext(f"{R}PaymentAmount")
        for d in root.find(f"{R}Declaration").iterchildren(f"{R}DutyTaxFee")
    }  # noqa: E501
    assert header["total"] == str(version.total) and header["gst"] == str(version.gst)
    items = root.findall(f"{R}Declaration/{R}GovernmentAgencyGoodsItem")
    line_totals = [
        next(
            d.findtext(f"{R}PaymentAmount")
            for d in item.iterchildren(f"{R}DutyTaxFee")
            if d.findtext(f"{R}TypeCode") == "total"
        )
        for item in items
    ]  # noqa: E501
    assert line_totals == [str(line.total) for line in version.lines.all()]
    assert version.submitted_by_business.bn9 == NORTHERN
    assert LedgerEntry.objects.filter(transaction_number=declaration.transaction_number).count() == 1


def test_an_edifact_cusdec_is_answered_with_a_cusres(send, answer):
    receipt = send(edifact.dumps(message()))
    text = answer(receipt).content.decode()
    assert "UNH+1+CUSRES:D:96B:UN'" in text and "GIS+39'" in text
    assert Declaration.objects.count() == 1


def test_a_rejected_cad_names_the_code_and_the_element(send, answer):
    root = _xml(answer(send(wco_xml.dumps(message(cad(line(), line(classification="9999999999")))))))
    assert root.findtext(f"{R}FunctionCode") == "41"
    error = root.find(f"{R}Error")
    assert error.findtext(f"{R}ValidationCode") == "unknown_classification"
    assert (
        error.findtext(f"{R}Pointer")
        == "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Commodity/Classification/ID"
    )
    assert Declaration.objects.count() == 0


def test_a_repeated_interchange_reference_is_answered_with_the_original_response(send, answer):
    raw = wco_xml.dumps(message(reference="ICR-7"))
    first, again = answer(send(raw)), answer(send(raw))
    assert again.content == first.content
    assert Declaration.objects.count() == 1 and LedgerEntry.objects.count() == 1
    assert Message.objects.filter(direction=Direction.IN).count() == 2  # both stored


def test_a_sender_that_may_not_transact_for_the_importer_is_refused_as_sender_info_inconsistent(
    send, answer, tidewater
):
    from businesses.models import ProgramAccount

    ProgramAccount.objects.create(number="876543216RM0001", business=tidewater, account_type="importer")
    raw = wco_xml.dumps(message(cad(importer="876543216RM0001")))
    root = _xml(answer(send(raw)))
    codes = [e.findtext(f"{R}ValidationCode") for e in root.iter(f"{R}Error")]
    assert root.findtext(f"{R}FunctionCode") == "41" and codes == ["sender_info_inconsistent"]
    assert Declaration.objects.count() == 0


def test_a_message_claiming_another_sender_is_refused_as_sender_info_inconsistent(send, answer):
    root = _xml(answer(send(wco_xml.dumps(message(sender="876543216")))))
    assert root.find(f"{R}Error").findtext(f"{R}ValidationCode") == "sender_info_inconsistent"
    assert Declaration.objects.count() == 0


def test_a_correction_of_an_unknown_transaction_number_is_rejected(send, answer):
    number = "1230266350001" + check_digit("1230266350001")
    raw = wco_xml.dumps(message(cad(transaction_number=number), function="correction", version="1"))
    root = _xml(answer(send(raw)))
    error = root.find(f"{R}Error")
    assert error.findtext(f"{R}ValidationCode") == "unknown_transaction"
    assert error.findtext(f"{R}Pointer") == "/Declaration/ID"
    assert DeclarationVersion.objects.count() == 0


def test_a_correction_by_edi_makes_version_2(send, answer):
    first = _xml(answer(send(wco_xml.dumps(message(reference="A")))))
    number = first.findtext(f"{R}Declaration/{R}ID")
    raw = wco_xml.dumps(message(cad(line(value="20000.00"), transaction_number=number), reference="B",
                                function="correction", version="00001"))  # fmt: skip
    second = _xml(answer(send(raw)))
    assert second.findtext(f"{R}FunctionCode") == "39" and second.findtext(f"{R}Declaration/{R}VersionID") == "00002"


def test_a_segment_count_mismatch_is_a_syntax_error_with_its_position_and_nothing_saved(send, answer):
    text = edifact.dumps(message()).decode()
    count = text.split("UNT+")[1].split("+")[0]
    root = _xml_or_text = answer(
        send(text.replace(f"UNT+{count}+", f"UNT+{int(count) + 1}+").encode())
    ).content.decode()
    assert "GIS+SYN'" in root and "ERC+segment_count_mismatch'" in root and "segment " in root
    assert Declaration.objects.count() == 0 and _xml_or_text


def test_a_wrong_namespace_is_rejected(send, answer):
    raw = wco_xml.dumps(message()).replace(b"urn:wco:datamodel:WCO:Declaration:1", b"urn:example:other")
    root = _xml(answer(send(raw)))
    assert root.find(f"{R}Error").findtext(f"{R}ValidationCode") == "wrong_namespace"


def test_a_truncated_interchange_is_a_syntax_error(send, answer):
    text = answer(send(edifact.dumps(message())[:200])).content.decode()
    assert "GIS+SYN'" in text and "ERC+truncated'" in text
    assert Declaration.objects.count() == 0


def test_an_oversized_message_is_refused_and_kept_as_its_size(send, answer, settings):
    from edi import wire

    raw = b"<" + b"x" * (wire.MAX_BYTES + 1)
    root = _xml(answer(send(raw)))
    assert root.find(f"{R}Error").findtext(f"{R}ValidationCode") == "too_large"
    stored = Message.objects.get(direction=Direction.IN)
    assert stored.raw == "" and stored.size == len(raw)


@pytest.mark.parametrize("codec", [wco_xml, edifact], ids=["xml", "edifact"])
def test_a_message_with_a_nul_byte_is_a_syntax_error_kept_as_its_digest(send, answer, codec):
    raw = codec.dumps(message())
    raw = raw[:40] + b"\x00" + raw[40:]
    response = answer(send(raw)).content
    assert b"nul_byte" in response
    stored = Message.objects.get(direction=Direction.IN)
    assert stored.raw == "" and stored.size == len(raw)  # PostgreSQL text holds no NUL
    assert Declaration.objects.count() == 0


def test_every_message_and_response_is_audited(send, answer):
    from audit.models import AuditEntry

    answer(send(wco_xml.dumps(message())))
    assert AuditEntry.objects.filter(action="edi.received").count() == 1
    assert AuditEntry.objects.filter(action="edi.answered").count() == 1
    assert Message.objects.filter(kind=Kind.RESPONSE).count() == 1


def test_a_token_not_narrowed_to_a_business_is_refused(client, broker):
    from accounts import services as account_services

    key = account_services.create_api_token(broker, name="x", days=30)[1]
    response = client.post("/api/v1/edi/messages", b"<x/>", content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Token {key}")  # fmt: skip
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "business_required"
    assert Message.objects.count() == 0


def test_an_adjustment_after_the_payment_due_date_is_answered_pending_approval(send, answer, on_day, interest_rate):
    import datetime as dt

    first = _xml(answer(send(wco_xml.dumps(message(reference="ADJ-A")))))
    number = first.findtext(f"{R}Declaration/{R}ID")
    on_day(dt.date(2025, 2, 10))  # after the payment due date of 31 January 2025
    changed = cad(line(value="20000.00"), transaction_number=number)
    reason = "Price reduced by the vendor"
    raw = wco_xml.dumps(message(changed, reference="ADJ-B", function="adjustment", version="00001", reason=reason))
    second = _xml(answer(send(raw)))
    assert second.findtext(f"{R}FunctionCode") == "42"
    assert Declaration.objects.get().versions.get(number=2).status == "pending"


def test_a_withdrawal_by_edi_reverses_the_assessment(send, answer):
    assert "GIS+39'" in answer(send(edifact.dumps(message(reference="W-A")))).content.decode()
    declaration = Declaration.objects.get()
    raw = edifact.dumps(message({"transaction_number": declaration.transaction_number}, reference="W-B",
                                function="withdrawal", version="00001", reason="Goods returned"))  # fmt: skip
    text = answer(send(raw)).content.decode()
    assert "GIS+WDN'" in text
    declaration.refresh_from_db()
    assert declaration.status == "withdrawn"
    assert sum(entry.amount for entry in LedgerEntry.objects.all()) == 0


def test_an_unknown_function_code_is_refused_with_the_element(send, answer):
    raw = wco_xml.dumps(message()).replace(b"<FunctionCode>9</FunctionCode>", b"<FunctionCode>7</FunctionCode>")
    error = _xml(answer(send(raw))).find(f"{R}Error")
    assert error.findtext(f"{R}ValidationCode") == "schema_invalid"
    assert error.findtext(f"{R}Pointer") == "/Declaration/FunctionCode"
    assert Declaration.objects.count() == 0

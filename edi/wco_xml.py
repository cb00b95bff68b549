"""A CAD message as WCO-style XML (namespace urn:wco:datamodel:WCO:Declaration:1), both ways, by the
rows of edi.mapping; validated against edi/schemas/declaration.xsd (lxml) before it is read. The
parser refuses DTDs, entities and network access (no XXE), and anything over wire.MAX_BYTES."""

import re
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from lxml import etree

from declarations.fields import Part

from . import mapping
from .wire import MAX_BYTES, NESTED, STATUS_CODES, TOO_LARGE, Answer, Message, WireError

NS = mapping.NAMESPACE
RESPONSE_NS = mapping.RESPONSE_NAMESPACE
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_STEP = re.compile(r"(\w+)(?:\[(\w+)\])?$")


def q(name: str, namespace: str = NS) -> str:
    return f"{{{namespace}}}{name}"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(__file__).with_name("schemas") / "declaration.xsd")))


# --- writing -------------------------------------------------------------------------------------


def _split(path: str) -> tuple[list[tuple[str, str | None]], str | None]:
    element_path, _at, attribute = path.partition("@")
    steps = [_STEP.match(step).groups() for step in element_path.split("/")]
    return steps, attribute or None


def _child(node, name: str, key: str | None, create: bool):
    """The child `name` of `node` (the one whose TypeCode is `key`); made when `create`."""
    found = [c for c in node.iterchildren(q(name)) if key is None or c.findtext(q("TypeCode")) == key]
    if len(found) > 1:
        raise WireError("duplicate_element", _pointer(found[1]), _("This element is given more than once."))
    if found or not create:
        return found[0] if found else None
    child = etree.SubElement(node, q(name))
    if key is not None:
        etree.SubElement(child, q("TypeCode")).text = key
    return child


def _put(node, path: str, value: str) -> None:
    steps, attribute = _split(path)
    for name, key in steps:
        node = _child(node, name, key, create=True)
    if attribute:
        node.set(attribute, value)
    else:
        node.text = value


def _write_part(node, part: Part, values: dict) -> None:
    for name, place in mapping.PLACES[part].items():
        value = values.get(name)
        if value not in (None, ""):
            _put(node, place.xml, str(value))


def dumps(message: Message) -> bytes:
    root = etree.Element(q("Declaration"), nsmap={None: NS})
    etree.SubElement(root, q("FunctionCode")).text = mapping.FUNCTION_OF[message.function]
    etree.SubElement(root, q("FunctionalReferenceID")).text = message.reference
    etree.SubElement(etree.SubElement(root, q("Submitter")), q("ID")).text = message.sender
    if message.version:
        etree.SubElement(root, q("VersionID")).text = message.version
    if message.reason:
        information = etree.SubElement(root, q("AdditionalInformation"))
        etree.SubElement(information, q("StatementDescription")).text = message.reason
    _write_part(root, Part.HEADER, message.payload)
    for list_name, part in zip(NESTED, (Part.INVOICE, Part.LINE), strict=True):
        for index, item in enumerate(message.payload.get(list_name) or []):
            shipment = _child(root, mapping.SHIPMENT, None, create=True)
            node = etree.SubElement(shipment, q(mapping.PART_XML[part]))
            if part is Part.LINE:
                etree.SubElement(node, q("SequenceNumeric")).text = str(index + 1)
            _write_part(node, part, item)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading -------------------------------------------------------------------------------------


def _pointer(node) -> str:
    """An element's place as an XPath without namespaces: /Declaration/GoodsShipment/Invoice[2]/ID."""
    steps = []
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        same = [] if parent is None else list(parent.iterchildren(node.tag))
        steps.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/" + "/".join(reversed(steps))


def _get(node, path: str) -> str | None:
    steps, attribute = _split(path)
    for name, key in steps:
        node = _child(node, name, key, create=False)
        if node is None:
            return None
    text = node.get(attribute) if attribute else node.text
    return text if text not in (None, "") else None


def _read_part(node, part: Part) -> dict:
    values = {}
    for name, place in mapping.PLACES[part].items():
        value = _get(node, place.xml)
        if value is not None:
            values[name] = value
    keyed_elements = node.iter(q("ChargeDeduction"), q("DutyTaxFee")) if part is Part.LINE else ()
    for keyed in keyed_elements:  # a type code no field has
        code = keyed.findtext(q("TypeCode"))
        if code not in mapping.PLACES[part]:
            raise WireError("unknown_code", _pointer(keyed) + "/TypeCode", _("This type code is not in the code list."))
    return values


def loads(raw: bytes) -> Message:
    """The message in `raw`, or WireError: too large, not well formed (syntax, with line and column),
    wrong namespace or not valid against the schema (with the element), an element twice."""
    if len(raw) > MAX_BYTES:
        raise WireError("too_large", "", TOO_LARGE % {"limit": MAX_BYTES})
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (0, 0)
        raise WireError(
            "syntax_error", "", _("The XML is not well formed."), f"line {line}, column {column}", syntax=True
        ) from None
    if root is None or etree.QName(root).namespace != NS or etree.QName(root).localname != "Declaration":
        raise WireError(
            "wrong_namespace",
            "/" + str(getattr(root, "tag", "")),
            _("The root must be Declaration in %(ns)s.") % {"ns": NS},
        )
    validator = schema()
    if not validator.validate(root):
        error = validator.error_log.filter_from_errors()[0]
        at = next((node for node in root.iter() if node.sourceline == error.line), root)
        raise WireError(
            "schema_invalid",
            _pointer(at),
            _("Not valid against the schema: %(detail)s") % {"detail": error.message},
            f"line {error.line}, column {error.column}",
        )
    payload = _read_part(root, Part.HEADER)
    shipment = _child(root, mapping.SHIPMENT, None, create=False)
    for list_name, part in zip(NESTED, (Part.INVOICE, Part.LINE), strict=True):
        items = [] if shipment is None else list(shipment.iterchildren(q(mapping.PART_XML[part])))
        if items:
            payload[list_name] = [_read_part(item, part) for item in items]
    reason = root.find(q("AdditionalInformation"))
    return Message(
        function=mapping.FUNCTION_CODES[root.findtext(q("FunctionCode"))],
        reference=root.findtext(q("FunctionalReferenceID")),
        sender=_get(root, "Submitter/ID") or "",
        payload=payload,
        version=root.findtext(q("VersionID")) or "",
        reason=(reason.findtext(q("StatementDescription")) or "") if reason is not None else "",
    )


def pointer(json_pointer: str) -> str:
    """A CAD validator's JSON pointer (/lines/2/classification) as the XML element it names."""
    parts = [p for p in (json_pointer or "").split("/") if p]
    base = "/Declaration"
    if len(parts) >= 2 and parts[0] in NESTED and parts[1].isdigit():
        part = Part.INVOICE if parts[0] == "invoices" else Part.LINE
        base = f"{base}/{mapping.SHIPMENT}/{mapping.PART_XML[part]}[{int(parts[1]) + 1}]"
        parts = parts[2:]
    else:
        part = Part.HEADER
    if not parts:
        return base
    place = mapping.PLACES[part].get(parts[0])
    if place is None:
        return {"expected_version": f"{base}/VersionID", "reason": f"{base}/AdditionalInformation"}.get(parts[0], base)
    return f"{base}/{place.xml}"


# --- the response --------------------------------------------------------------------------------


def dump_answer(answer: Answer) -> bytes:
    def sub(node, name, text=None, **attributes):
        child = etree.SubElement(node, q(name, RESPONSE_NS), **attributes)
        if text is not None:
            child.text = str(text)
        return child

    root = etree.Element(q("Response", RESPONSE_NS), nsmap={None: RESPONSE_NS})
    sub(root, "FunctionCode", STATUS_CODES[answer.status])
    sub(root, "FunctionalReferenceID", answer.reference)
    declaration = sub(root, "Declaration")
    if answer.transaction_number:
        sub(declaration, "ID", answer.transaction_number)
        sub(declaration, "VersionID", answer.version)
    for name, amount in answer.totals.items():
        duty = sub(declaration, "DutyTaxFee")
        sub(duty, "TypeCode", name)
        sub(duty, "PaymentAmount", amount, currencyID="CAD")
    for line in answer.lines:
        item = sub(declaration, "GovernmentAgencyGoodsItem")
        sub(item, "SequenceNumeric", line["number"])
        for name, amount in line["amounts"].items():
            duty = sub(item, "DutyTaxFee")
            sub(duty, "TypeCode", name)
            sub(duty, "PaymentAmount", amount, currencyID="CAD")
    for error in answer.errors:
        node = sub(root, "Error")
        sub(node, "ValidationCode", error["code"])
        sub(node, "Pointer", error["field"] or "")
        sub(node, "Description", error["message"])
        if error.get("position"):
            sub(node, "Position", error["position"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

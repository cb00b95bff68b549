"""One description of a CAD on the wire: each row of declarations.fields has a place in the WCO-style
XML (an element path) and in the UN/EDIFACT CUSDEC subset (a segment tag and qualifier). Both
formats read and write through these rows, so a field added to the CAD table needs only its row here
(tests/edi/test_mapping.py fails on a field without one). Fields of a group (additions, deductions,
other duties and taxes) and the other D17-1-10 fields take a derived place and need no row.

Sources: element names follow the WCO Data Model's declaration vocabulary (Declaration, FunctionCode,
FunctionalReferenceID, Importer, Declarant, GoodsShipment, Invoice, GovernmentAgencyGoodsItem,
Commodity, Classification, Origin, CustomsValuation, DutyTaxFee), as public WCO DM 3.x declarations
(e.g. HMRC's CDS samples) use them; segment tags follow the UN/EDIFACT CUSDEC and CUSRES segment tables
(UNTDID D.96B/D.98A). CBSA's own CARM EDI implementation guides (ECCRD chapters) are distributed on
request and were not available: the paths, qualifiers and codes below marked [OURS] are this
project's, not CBSA's.
"""

from dataclasses import dataclass

from declarations.fields import BY_PART, Group, Part

NAMESPACE = "urn:wco:datamodel:WCO:Declaration:1"
RESPONSE_NAMESPACE = "urn:wco:datamodel:WCO:Response:1"  # [OURS]

# UNTDID 1225 (message function code): 9 original, 5 replace, 4 change, 1 cancellation. [OURS]: which
# of them CARM uses for a correction and an adjustment was not verified; the service decides which
# a change is by its date (declarations.services.is_adjustment), whatever code the sender used.
ORIGINAL, CORRECTION, ADJUSTMENT, WITHDRAWAL = "original", "correction", "adjustment", "withdrawal"
FUNCTION_CODES = {"9": ORIGINAL, "5": CORRECTION, "4": ADJUSTMENT, "1": WITHDRAWAL}
FUNCTION_OF = {function: code for code, function in FUNCTION_CODES.items()}


@dataclass(frozen=True)
class Place:
    """Where a field goes: `xml`, a path below its part's element ("A/B", "A/B@attribute", "A[key]/B"
    for a repeated A told apart by its TypeCode); `tag` and `qualifier`, its EDIFACT segment."""

    xml: str
    tag: str
    qualifier: str


# The parts' elements and EDIFACT groups: a header is the Declaration element; an invoice a
# GoodsShipment/Invoice, opened by DOC+380 (UNTDID 1001: commercial invoice); a line a
# GoodsShipment/GovernmentAgencyGoodsItem, opened by CST+<line number>.
PART_XML = {Part.INVOICE: "Invoice", Part.LINE: "GovernmentAgencyGoodsItem"}
SHIPMENT = "GoodsShipment"

ROWS = {
    Part.HEADER: {
        "transaction_number": Place("ID", "RFF", "ABT"),
        "importer": Place("Importer/ID", "NAD", "IM"),
        "declarant": Place("Declarant/ID", "NAD", "DT"),
        "mode_of_transport": Place("BorderTransportMeans/ModeCode", "TDT", "MOT"),  # [OURS]
        "release_office": Place("PresentationOffice/ID", "LOC", "22"),
        "release_date": Place("ReleaseDateTime/Date", "DTM", "REL"),  # [OURS]
        "release_time": Place("ReleaseDateTime/Time", "DTM", "RLT"),  # [OURS]
        "cargo_control_number": Place("GoodsShipment/Consignment/TransportContractDocument/ID", "RFF", "CCN"),
        "cad_type": Place("TypeCode", "GIS", "CAD"),  # [OURS]
    },
    Part.INVOICE: {
        "number": Place("ID", "RFF", "IV"),
        "amount": Place("TotalAmount", "MOA", "39"),
        "currency": Place("TotalAmount@currencyID", "CUX", "2"),
        "shipment_date": Place("ShipmentDate", "DTM", "SHP"),  # [OURS]
        "vendor_name": Place("Seller/Name", "NAD", "SE"),
        "vendor_address": Place("Seller/Address/Line", "FTX", "SEA"),  # [OURS]
        "vendor_country": Place("Seller/Address/CountryCode", "LOC", "SEC"),  # [OURS]
    },
    Part.LINE: {
        "invoice": Place("InvoiceLine/ID", "RFF", "IV"),
        "narrative": Place("Commodity/Description", "FTX", "AAA"),
        "description": Place("Commodity/TariffDescription", "FTX", "TDE"),  # [OURS]
        "classification": Place("Commodity/Classification/ID", "PIA", "HS"),
        "tariff_treatment": Place("Commodity/TariffTreatmentCode", "GIS", "TT"),  # [OURS]
        "origin": Place("Origin/CountryCode", "LOC", "27"),
        "origin_state": Place("Origin/SubdivisionCode", "LOC", "ST"),  # [OURS]
        "export_country": Place("ExportCountry/ID", "LOC", "35"),
        "vfd_code": Place("CustomsValuation/MethodCode", "GIS", "VFD"),  # [OURS]
        "quantity": Place("GoodsMeasure/TariffQuantity", "QTY", "47"),
        "unit": Place("GoodsMeasure/TariffQuantity@unitCode", "MEA", "UN"),  # [OURS]
        "value": Place("InvoiceLine/ItemChargeAmount", "MOA", "146"),
        "vfd": Place("CustomsValuation/CustomsValueAmount", "MOA", "40"),
        "special_authority": Place("SpecialAuthority/ID", "RFF", "SA"),  # [OURS]
        "ruling": Place("AdvanceRuling/ID", "RFF", "ARL"),  # [OURS]
    },
}


def _derived(field) -> Place | None:
    """The place of a field without a row: CustomsValuation/ChargeDeduction[name] for an addition or
    deduction (EDIFACT MOA+name), DutyTaxFee[name] for another duty or tax (TAX+name), D17Field[name]
    for any other field D17-1-10 numbers (FTX+name). [OURS]"""
    if field.group in (Group.ADDITION, Group.DEDUCTION):
        return Place(f"CustomsValuation/ChargeDeduction[{field.name}]/OtherChargeDeductionAmount", "MOA", field.name)
    if field.group is Group.CHARGE:
        return Place(f"DutyTaxFee[{field.name}]/Declared", "TAX", field.name)
    if field.d17 is not None:  # any other D17-1-10 field: a D17Field element, FTX+name in EDIFACT
        return Place(f"D17Field[{field.name}]/Content", "FTX", field.name)
    return None


def places(part: Part) -> dict[str, Place]:
    """Every field of `part` with its place; a field of no row and no group is left out (the test
    that every field has a place names it)."""
    found = {}
    for name, field in BY_PART[part].items():
        place = ROWS[part].get(name) or _derived(field)
        if place is not None:
            found[name] = place
    return found


PLACES = {part: places(part) for part in Part}
BY_SEGMENT = {part: {(p.tag, p.qualifier): name for name, p in PLACES[part].items()} for part in Part}

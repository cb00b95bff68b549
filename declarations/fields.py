"""The fields of a CAD, declared once (issue #14.4; house style habit 14): one row per field with its
part (header, invoice, line), kind, whether it is required, its limits (longest text, most decimals,
largest amount, choices, format) and its bilingual label, help and format message. Everything
else derives from these rows:

- the API's request schema (`serializer`: the DRF serializers drf-spectacular documents),
- the portal's CAD forms (`form_field`, used by declarations.forms),
- the columns of the CSV/Excel line upload (`names(Part.LINE)`, declarations.uploads),
- the first pass of the validator (`read`: kind, required, limits, format, unknown fields; the
  rules across fields and with the tariff, rates and rights stay named rules in
  declarations.validation).

Why a table that generates the serializer, and not a DRF serializer that validates: the validator
must answer with CARM's structured errors (a `code`, an RFC 6901 JSON pointer, a lazily translated
message) for every error of the declaration at once, check a batch of 1,000 CADs within the ingest
bench (a DRF serializer per CAD is several times slower than reading the rows), and serve the portal
form and the file upload as well as the API. A DRF serializer generated from the rows gives the
documented schema; tests/declarations/test_schema_agreement.py proves the documented schema and the
enforced rules agree. Adding a field of D17-1-10 (117 fields) is adding a row here (and a model column
when it is stored as its own column).
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, cached_property, lru_cache

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .models import CadType, ModeOfTransport


class Part(StrEnum):
    HEADER = "header"
    INVOICE = "invoice"
    LINE = "line"


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"  # one of `choices` (a TextChoices)
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # HH:MM
    AMOUNT = "amount"  # not negative, to the cent, at most DIGITS digits before the point
    NUMBER = "number"  # not negative, at most `decimal_places` decimals and DIGITS digits before the point


class Indicator(models.TextChoices):
    """A yes/no indicator of D17-1-10 (fields 66, 78, 83, 88): the memorandum gives no code for
    them, so the API takes "yes" or "no"."""

    YES = "yes", _("Yes")
    NO = "no", _("No")


class Group(StrEnum):
    """What a line field is to the assessment, beside its plain meaning."""

    NONE = ""
    CHARGE = "charge"  # other duties and taxes: assessment.services.parse_charges reads them
    ADDITION = "addition"  # added to the price: Customs Act s.48(5)(a)
    DEDUCTION = "deduction"  # deducted from the price: Customs Act s.48(5)(b)


DIGITS = 13  # before the point, in an amount or a number: the model's money columns hold 15 digits, 2 decimals
REQUIRED = _("This field is required.")
# A translated message with its values, rendered in the language active when shown (an API answer
# or a page), not in the one active when the rule was checked.
interpolate = lazy(lambda message, values: str(message) % values, str)


@dataclass(frozen=True)
class Field:
    name: str  # the payload's (API, form, upload column)
    part: Part
    kind: Kind
    label: object  # lazy translations, rendered in the person's language
    help: object = ""
    required: bool = False
    max_length: int | None = None
    decimal_places: int | None = None  # AMOUNT: 2
    choices: type | None = None  # a TextChoices
    default: str | None = None  # CHOICE taken when absent
    upper: bool = False  # text kept in upper case
    pattern: str | None = None  # the text's format (a regular expression, whole text)
    code: str = ""  # the error code of a value not in `pattern`
    message: object = ""  # and its message
    example: str = ""
    group: Group = Group.NONE
    d17: int | None = None  # the field's number in D17-1-10 Appendix A, where it has one
    codelist: str = ""  # the declarations/codelists list its value must be in on the release date
    open_list: bool = False  # a well-formed code not in `codelist` is accepted as declared, not refused
    details: bool = False  # stored in its part's `details` JSON, not a column of its own

    @cached_property
    def regex(self) -> re.Pattern | None:
        return re.compile(self.pattern) if self.pattern else None

    @property
    def places(self) -> int | None:
        return 2 if self.kind is Kind.AMOUNT else self.decimal_places

    @cached_property
    def quantum(self) -> Decimal | None:
        return None if self.places is None else Decimal(1).scaleb(-self.places)


_BN15 = r"\d{9}RM\d{4}"
_COUNTRY = {
    "codelist": "countries",
    "upper": True,
    "max_length": 2,
    "pattern": r"[A-Z]{2}",
    "code": "invalid_country",
    "message": _("Give a two-letter ISO country code, e.g. US."),
}


def _h(name, kind, label, **options):
    return Field(name, Part.HEADER, kind, label, **options)


def _i(name, kind, label, **options):
    return Field(name, Part.INVOICE, kind, label, **options)


def _l(name, kind, label, **options):
    return Field(name, Part.LINE, kind, label, **options)


T, C, D, A, N = Kind.TEXT, Kind.CHOICE, Kind.DATE, Kind.AMOUNT, Kind.NUMBER

FIELDS = [
    # --- header ----------------------------------------------------------------------------------------
    _h("transaction_number", T, _("Transaction number"), max_length=20, d17=15,
       help=_("Yours (from your account security number) or omitted: CARM gives the next one"),
       example="10000000000012"),
    _h("importer", T, _("Importer (program account)"), required=True, upper=True, max_length=15, d17=1,
       pattern=_BN15, code="invalid_importer", example="123456782RM0001",
       message=_("Give the importer's import-export program account, e.g. 123456782RM0001.")),
    _h("declarant", T, _("Declarant (your RM account, when you file as a broker)"), upper=True, max_length=15, d17=3,
       pattern=_BN15, code="invalid_declarant", help=_("e.g. 123026635RM0001"),
       message=_("Give the declarant's RM program account, e.g. 123026635RM0001."), example="123026635RM0001"),
    _h("mode_of_transport", C, _("Mode of transport"), required=True, choices=ModeOfTransport, d17=16, example="2"),
    _h("release_office", T, _("Release office"), required=True, max_length=4, d17=13, pattern=r"\d{4}",
       code="invalid_office", message=_("A CBSA office is 4 digits, e.g. 0453."), help=_("4 digits, e.g. 0453"),
       example="0453"),
    _h("release_date", D, _("Release date"), required=True, help=_("YYYY-MM-DD"), d17=17, example="2025-03-20"),
    _h("release_time", Kind.TIME, _("Release time (optional)"), help=_("HH:MM"), example="14:30"),
    _h("cargo_control_number", T, _("Cargo control number"), upper=True, max_length=25, d17=21,
       example="8000ABC123456"),
    _h("cad_type", C, _("Billing (RPP or cash)"), choices=CadType, default=CadType.RPP,
       help=_("How the CAD is paid: on the statement (RPP) or at release (cash, D17-1-10 type C)"), example="rpp"),
    _h("cad_type_code", T, _("Type of CAD"), upper=True, max_length=2, d17=11, codelist="cad_types", details=True,
       example="AB", help=_("D17-1-10 field 11: AB, C, F, TT, V, 10, 13, 20, 21 or 30")),
    _h("original_transaction_number", T, _("Original transaction number"), max_length=14, d17=7, details=True,
       pattern=r"\d{14}", code="invalid_transaction_number", example="12345000000012",
       message=_("A transaction number is 14 digits."), help=_("The type 10 warehouse entry (types 13, 20, 21, 30)")),
    _h("previous_transaction_number", T, _("Previous transaction number (warehouse)"), max_length=14, d17=8,
       details=True, pattern=r"\d{14}", code="invalid_transaction_number", example="12345000000012",
       message=_("A transaction number is 14 digits.")),
    _h("warehouse_in", T, _("Warehouse in"), upper=True, max_length=10, d17=9, details=True, example="W123"),
    _h("warehouse_out", T, _("Warehouse out"), upper=True, max_length=10, d17=10, details=True, example="W123"),
    _h("region", T, _("CBSA region"), max_length=1, d17=12, codelist="regions", details=True, example="3"),
    _h("warehouse_subtype", T, _("Customs bonded warehouse sub-type"), max_length=4, d17=14,
       codelist="warehouse_subtypes", details=True, example="10-1", help=_("e.g. 10-1, for warehouse types")),
    _h("unlading_region", T, _("Region of the port of unlading"), max_length=1, d17=18, codelist="regions",
       details=True, example="4"),
    _h("port_of_unlading", T, _("Port of unlading"), max_length=4, d17=19, pattern=r"\d{4}", details=True,
       code="invalid_office", message=_("A CBSA office is 4 digits, e.g. 0453."), example="0809"),
    _h("carrier_code", T, _("Carrier code"), upper=True, max_length=4, d17=20, pattern=r"[A-Z0-9]{3}[A-Z0-9-]",
       code="invalid_carrier_code", details=True, example="1ABC",
       message=_("A carrier code is 4 characters, or 3 and a hyphen, e.g. 1ABC or 081-.")),
    _h("gross_weight", N, _("Gross weight (kg)"), decimal_places=0, d17=22, details=True, example="1250"),
    _h("freight", N, _("Freight charges (CAD)"), decimal_places=0, d17=23, details=True, example="850",
       help=_("To the nearest dollar, from the place of direct shipment in the US")),
    # --- invoice ---------------------------------------------------------------------------------------
    _i("number", T, _("Invoice number"), required=True, max_length=35, d17=24, example="INV-1"),
    _i("amount", A, _("Invoice amount"), required=True, help=_("The sum of its lines' prices"), d17=25,
       example="30000.00"),
    _i("currency", T, _("Currency"), required=True, upper=True, max_length=3, help=_("e.g. USD"), d17=26,
       codelist="currencies",
       pattern=r"[A-Z]{3}", code="invalid", message=_("Give the currency as a three-letter ISO code, e.g. USD."),
       example="CAD"),
    _i("shipment_date", D, _("Date of direct shipment"), d17=31, example="2025-03-18",
       help=_("YYYY-MM-DD, on or before release: the exchange rate's date. Blank for CAD types 13, 20, 21, 30 "
              "and F")),
    _i("vendor_name", T, _("Vendor name"), required=True, max_length=200, d17=30, example="Eaux de France SA"),
    _i("vendor_address", T, _("Vendor address"), max_length=300, d17=30, example="1 rue de la Source, Evian"),
    _i("vendor_country", T, _("Vendor country"), required=True, help=_("2 letters, e.g. US"), d17=30, **_COUNTRY,
       example="FR"),
    _i("purchase_order", T, _("Purchase order number"), max_length=35, d17=27, details=True, example="PO-7781"),
    _i("us_port_of_exit", T, _("US port of exit"), max_length=4, d17=28, pattern=r"\d{4}", details=True,
       codelist="us_ports_of_exit", code="invalid_port", message=_("A US port of exit is 4 digits, e.g. 0901."),
       example="0901"),
    _i("buyer_name", T, _("Buyer name"), max_length=200, d17=29, details=True, example="Maple Retail Inc."),
    _i("buyer_address", T, _("Buyer address"), max_length=300, d17=29, details=True,
       example="1 King St W, Toronto ON M5H 1A1"),
    # --- line ------------------------------------------------------------------------------------------
    _l("invoice", T, _("Invoice number"), max_length=35, help=_("Optional with one invoice"), example="INV-1"),
    _l("narrative", T, _("Description of the goods"), required=True, max_length=300, d17=36,
       example="Men's T-shirts, 100% cotton"),
    _l("description", T, _("Tariff description (optional)"), max_length=300, d17=35, example="Mineral waters"),
    _l("classification", T, _("Classification number"), required=True, max_length=13, d17=34,
       help=_("10 digits, e.g. 6109.10.00.12"), example="6109.10.00.11"),
    _l("tariff_treatment", T, _("Tariff treatment"), required=True, upper=True, max_length=6, d17=46,
       help=_("e.g. MFN, UST"), example="MFN"),
    _l("origin", T, _("Country of origin"), required=True, help=_("2 letters"), d17=42, example="BD", **_COUNTRY),
    _l("origin_state", T, _("State of origin"), upper=True, max_length=2, d17=43,  # US states: checked in validation
       help=_("US and Mexico only, e.g. NY"), example="NY"),
    _l("export_country", T, _("Country of export"), required=True, help=_("2 letters"), d17=44, example="BD",
       **_COUNTRY),
    _l("vfd_code", T, _("VFD code"), required=True, max_length=2, d17=48, pattern=r"[12][3-9]",
       code="invalid_vfd_code", help=_("e.g. 13; 14 when the price is adjusted"), example="13",
       message=_("A VFD code is 2 digits: 1 or 2 (parties related or not), then 3 to 9 (valuation method), e.g. 13.")),
    _l("quantity", N, _("Quantity"), decimal_places=4, d17=37, example="1200"),
    _l("unit", T, _("Unit of measure"), upper=True, max_length=3, help=_("e.g. NMB, LTR, KGM"), d17=38, example="NMB"),
    _l("value", A, _("Price for conversion"), required=True, help=_("In the invoice's currency"), d17=39,
       example="4800.00"),
    _l("vfd", A, _("Value for duty (optional)"), d17=49,
       help=_("In CAD: checked against the adjusted price converted at the exchange rate"), example="30000.00"),
    _l("previous_line_number", N, _("Previous line number (warehouse)"), decimal_places=0, d17=33, details=True,
       example="1"),
    _l("export_state", T, _("State of export"), upper=True, max_length=2, d17=45, codelist="us_states",
       details=True, example="NY", help=_("When exported from the US, e.g. NY")),
    _l("tariff_code", T, _("Tariff code (Chapter 99)"), max_length=10, d17=47, details=True, example="9971",
       help=_("The Chapter 99 tariff item claimed, its first 4 digits or all 8: its rate applies")),
    _l("appeal_case", T, _("Appeal case number"), max_length=20, d17=51, details=True, example="APL-2026-000001"),
    _l("observation_case", T, _("Observation case number"), max_length=20, d17=52, details=True,
       example="OBS-2026-000001"),
    _l("duty_relief_permit", T, _("Special authority: duty relief permit"), upper=True, max_length=20, d17=53,
       details=True, example="87-016W0001", help=_("e.g. 87-016W0001 (D7-4-1)")),
    # D17-1-10 field 54: "C.P. 1973-1/82 ... sous la forme 73-1-82", "C.P. 1985-277 ... sous la forme 85-277"
    # (and Appendix B's 88-0357, 22-089Z1663); any order may be claimed, its conditions proved by the importer.
    _l("special_authority", T, _("Special authority: Order in Council"), upper=True, max_length=20, d17=54,
       codelist="remission_orders", open_list=True, example="88-0357", pattern=r"\d{2}-\d{1,4}(-\d{1,4}|[A-Z]\d{1,6})?",
       code="invalid_order_number",
       message=_("An Order in Council is written as D17-1-10 field 54 asks: P.C. 1985-277 as 85-277, P.C. 1973-1/82 "
                 "as 73-1-82."),
       help=_("The Order in Council, e.g. 88-0357 (D8-4-1): an order of the list is applied by the assessment, "
              "another is kept as declared")),
    _l("special_permit", T, _("Special authority permit"), upper=True, max_length=20, d17=55, details=True,
       example="TRQ-0001", help=_("Tariff rate quota or Kimberley Process permit (D10-18-1)")),
    _l("time_limit_type", T, _("Time limit type"), max_length=1, d17=56, codelist="time_limit_types",
       details=True, example="4"),
    _l("extension_date", D, _("Extension date"), d17=57, details=True, example="2026-12-31"),
    _l("time_limit_from", D, _("Time limit from"), d17=58, details=True, example="2026-01-05"),
    _l("time_limit_to", D, _("Time limit to"), d17=59, details=True, example="2026-06-30"),
    _l("province", T, _("Province of destination"), upper=True, max_length=2, d17=60, codelist="provinces",
       details=True, example="ON"),
    _l("excise_tax_code", T, _("Excise tax code"), upper=True, max_length=10, d17=62, details=True, example="44.0"),
    _l("excise_duty_code", T, _("Excise duty code"), upper=True, max_length=10, d17=64, details=True, example="1"),
    _l("surtax_subject", C, _("Subject to surtax"), choices=Indicator, d17=66, details=True, example="no"),
    _l("sima_subject", T, _("Subject to SIMA"), upper=True, max_length=1, d17=69, codelist="sima_subjects",
       details=True, example="A", help=_("A (subject) or D (countervailing duties); blank when not subject")),
    _l("sima_code", T, _("SIMA code"), max_length=3, d17=70, details=True, example="1"),
    _l("sima_quantity", N, _("SIMA quantity"), decimal_places=4, d17=71, details=True, example="1200"),
    _l("sima_unit", T, _("SIMA unit of measure"), upper=True, max_length=3, d17=72, details=True, example="KGM"),
    _l("sima_measure", T, _("SIMA measure in force"), upper=True, max_length=20, d17=73, details=True,
       example="STR4"),
    _l("sima_sale_date", D, _("SIMA date of sale"), d17=74, details=True, example="2026-01-02"),
    _l("sima_exporter", T, _("SIMA exporter ID"), upper=True, max_length=15, d17=75, details=True,
       example="123456789RM0001"),
    _l("model_id", T, _("Model ID"), max_length=35, d17=76, details=True, example="M-100"),
    _l("incoterms", T, _("SIMA Incoterms"), upper=True, max_length=3, d17=77, codelist="incoterms", details=True,
       example="FOB"),
    _l("surety", C, _("Surety"), choices=Indicator, d17=78, details=True, example="no"),
    _l("sima_export_deduction", A, _("SIMA export value deduction"), d17=79, details=True, example="100.00"),
    _l("sima_export_deduction_currency", T, _("Currency of the SIMA export deduction"), upper=True, max_length=3,
       d17=80, codelist="currencies", details=True, example="USD"),
    _l("sima_invoiced_price", A, _("SIMA invoiced price"), d17=81, details=True, example="4800.00"),
    _l("sima_invoiced_price_currency", T, _("Currency of the SIMA invoiced price"), upper=True, max_length=3,
       d17=82, codelist="currencies", details=True, example="USD"),
    _l("sima_self_declared", C, _("SIMA duties self-declared"), choices=Indicator, d17=83, details=True,
       example="no"),
    _l("sima_ad_declared", A, _("Self-declared net anti-dumping duty"), d17=84, details=True, example="0.00"),
    _l("sima_cvd_declared", A, _("Self-declared net countervailing duty"), d17=85, details=True, example="0.00"),
    _l("safeguard_subject", C, _("Subject to safeguard"), choices=Indicator, d17=88, details=True, example="no"),
    _l("safeguard_code", T, _("Safeguard code"), upper=True, max_length=10, d17=89, details=True, example="S1"),
    _l("safeguard", A, _("Safeguard (CAD)"), d17=90, details=True, example="0.00",
       help=_("The safeguard surtax payable (D17-1-10 field 90), billed with the line")),
    _l("gst_code", T, _("GST code"), upper=True, max_length=10, d17=92, details=True, codelist="gst_codes",
       help=_("Blank: GST at 5%. A GST relief code the assessment applies (Excise Tax Act Schedule VII)"), example=""),
    _l("pst_hst_qst", A, _("PST/HST/QST (declared)"), d17=94, details=True, example="0.00"),
    _l("provincial_alcohol_tax", A, _("Provincial alcohol tax (declared)"), d17=95, details=True, example="0.00"),
    _l("alcohol_percent", T, _("Alcohol (%)"), max_length=6, d17=96, details=True, example="12.50",
       pattern=r"(?:\d{1,2}(?:\.\d{1,2})?|100(?:\.00?)?)", code="invalid_percentage",
       message=_("Give a percentage from 0 to 100, at most 2 decimals, e.g. 12.50.")),
    _l("provincial_tobacco_tax", A, _("Provincial tobacco tax (declared)"), d17=97, details=True, example="0.00"),
    _l("provincial_cannabis_duty", A, _("Provincial cannabis excise duty (declared)"), d17=98, details=True,
       example="0.00"),
    _l("ruling", T, _("Ruling number (optional)"), max_length=20, d17=50,
       help=_("A ruling the line relies on, e.g. ARC-2026-000001: checked against the classification"),
       example="ARC-2026-000001"),
    # Customs Act s.48(5)(a); D13-4-1 para 11: added to the price when not already in it (invoice currency).
    _l("add_commissions", A, _("Commissions and brokerage"), group=Group.ADDITION,
       help=_("Added to the price, except buying commissions (Customs Act s.48(5)(a)(i))"), example="0.00"),
    _l("add_packing", A, _("Packing and containers"), group=Group.ADDITION,
       help=_("Added to the price (Customs Act s.48(5)(a)(i))"), example="120.00"),
    _l("add_assists", A, _("Assists"), group=Group.ADDITION,
       help=_("Goods and services the buyer supplied for the production (Customs Act s.48(5)(a)(ii))"), example="0.00"),
    _l("add_royalties", A, _("Royalties and licence fees"), group=Group.ADDITION,
       help=_("Paid as a condition of the sale (Customs Act s.48(5)(a)(iii))"), example="0.00"),
    _l("add_proceeds", A, _("Subsequent proceeds"), group=Group.ADDITION,
       help=_("Of a resale or use of the goods, going to the vendor (Customs Act s.48(5)(a)(iv))"), example="0.00"),
    # Customs Act s.48(5)(b); D13-4-1 para 12: deducted from the price when included in it.
    _l("deduct_transport", A, _("Transportation and insurance from the place of direct shipment"),
       group=Group.DEDUCTION, help=_("Deducted when included in the price (Customs Act s.48(5)(b)(i))"),
       example="150.00"),
    _l("deduct_post_import", A, _("Costs after importation"), group=Group.DEDUCTION,
       help=_("Construction, assembly, maintenance or technical help after import (Customs Act s.48(5)(b)(ii))"),
       example="0.00"),
    _l("deduct_duties", A, _("Canadian duties and taxes"), group=Group.DEDUCTION,
       help=_("Deducted when included in the price (Customs Act s.48(5)(b)(iii))"), example="0.00"),
    # Other duties and taxes: their rules are assessment.services.parse_charges' (amount or rate, not both).
    _l("sima", T, _("SIMA duty (CAD)"), max_length=40, group=Group.CHARGE, d17=86, example="125.00"),
    _l("sima_margin", T, _("SIMA margin of dumping (%)"), max_length=40, group=Group.CHARGE, example="12.5"),
    _l("surtax_amount", T, _("Surtax (CAD)"), max_length=40, group=Group.CHARGE, d17=68, example="80.00"),
    _l("surtax_rate", T, _("Surtax rate"), max_length=40, group=Group.CHARGE, example="25%"),
    _l("surtax_code", T, _("Surtax code"), max_length=40, group=Group.CHARGE, d17=67, example="S1"),
    _l("excise_duty", T, _("Excise duty (CAD)"), max_length=40, group=Group.CHARGE, d17=65, example="0.00"),
    _l("excise_duty_rate", T, _("Excise duty rate"), max_length=40, group=Group.CHARGE, example="0.0"),
    _l("excise_tax", T, _("Excise tax (CAD)"), max_length=40, group=Group.CHARGE, d17=63, example="0.00"),
    _l("excise_tax_rate", T, _("Excise tax rate"), max_length=40, group=Group.CHARGE, example="0.0"),
]  # fmt: skip
BY_PART = {part: {field.name: field for field in FIELDS if field.part is part} for part in Part}
NESTED = {"invoices": Part.INVOICE, "lines": Part.LINE}  # the header's lists


CODED = {part: {name: field for name, field in fields.items() if field.codelist} for part, fields in BY_PART.items()}
DETAILS = {part: [field.name for field in fields.values() if field.details] for part, fields in BY_PART.items()}
_ORDER = {part: {name: index for index, name in enumerate(names)} for part, names in DETAILS.items()}
_DETAILED = {part: frozenset(names) for part, names in DETAILS.items()}


def details(values: dict, part: Part, given=None) -> dict:
    """The `details` JSON of `part` (fields stored without a column of their own): those given, as
    text (dates ISO, numbers as read), in the rows' order. `given`: the payload read, whose keys
    bound the search (a line of the ingest bench gives a dozen of the hundred fields)."""
    if given is not None and _DETAILED[part].isdisjoint(given):  # most lines give none
        return {}
    names = DETAILS[part] if given is None else _details_given(part, tuple(given))
    return {name: str(values[name]) for name in names if values[name] not in (None, "")}


@lru_cache(maxsize=4096)  # a batch's lines give the same few sets of fields (in the same order)
def _details_given(part: Part, given: tuple) -> tuple[str, ...]:
    order = _ORDER[part]
    return tuple(sorted(order.keys() & given, key=order.__getitem__))


def titled(field: Field) -> object:
    """The field as D17-1-10 names it in a message: "field 60, Province of destination"."""
    if field.d17 is None:
        return field.label
    return interpolate(_("field %(number)s, %(title)s"), {"number": field.d17, "title": field.label})


def names(part: Part, group: Group | None = None) -> list[str]:
    return [name for name, field in BY_PART[part].items() if group is None or field.group is group]


# --- reading a payload: the first pass of the validator ------------------------------------------


def read(found, data: dict, part: Part, pointer: str, *, strict: bool = True) -> dict:
    """The values of `data`'s fields of `part`, each by its row (None or "" when absent or wrong; a
    choice's default when absent), every error added to `found` (a declarations.validation
    collector) under `pointer`/name. `strict`: required fields and fields of no row are errors (not
    for a draft). Only the fields given are read: a line gives a dozen of its 30-odd fields."""
    readers, values, known = _READER_OF[part], dict(_ABSENT[part]), _KNOWN[part]
    for name, value in data.items():
        if type(value) is str:  # a text read before (only fields of a row are kept): its value, one look-up
            value_read = known.get((name, value), _UNREAD)
            if value_read is not _UNREAD:
                values[name] = value_read
                continue
        reader = readers.get(name)
        if reader is None:
            if strict and (part is not Part.HEADER or name not in NESTED):
                found.add(
                    "unknown_field",
                    f"{pointer}/{_escaped(name)}",
                    _("This field is not part of a CAD (see the API schema): remove it."),
                )
        elif value is not None and value != "":
            errors = len(found.errors)
            values[name] = reader[0](found, reader[1], value, f"{pointer}/{name}")
            if type(value) is str and len(found.errors) == errors:
                if len(known) > 100_000:
                    known.clear()
                known[name, value] = values[name]
    if strict:
        for name in _REQUIRED[part]:
            value = data.get(name)
            if value is None or value == "":
                found.add("required", f"{pointer}/{name}", REQUIRED)
    return values


def read_one(found, data: dict, part: Part, name: str) -> object:
    """One field of `data` by its row (a draft's importer)."""
    field, value = BY_PART[part][name], data.get(name)
    if value is None or value == "":
        if field.required:
            found.add("required", f"/{name}", REQUIRED)
        return _absent(field)
    return _READERS[field.kind](found, field, value, f"/{name}")


def _escaped(key) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")  # RFC 6901


def _absent(field: Field):
    """A field's value when not given: its default choice, else blank."""
    return field.default if field.default is not None else None if field.kind in _NUMERIC else ""


def _text(found, field, value, pointer) -> str:
    if type(value) is not str and (not isinstance(value, int) or isinstance(value, bool)):
        found.add("invalid", pointer, _("Give this field as text."))
        return ""
    text = (value if type(value) is str else str(value)).strip()
    if "\x00" in text:  # PostgreSQL refuses NUL in text: say so rather than fail at the insert
        found.add("invalid_character", pointer, _("Remove the NUL character from this field."))
        return ""
    if field.upper:
        text = text.upper()
    if text and field.regex and not field.regex.fullmatch(text):  # the format first: its message says more
        found.add(field.code, pointer, field.message)
        return ""
    if field.max_length and len(text) > field.max_length:
        found.add("too_long", pointer, _("Use at most %(limit)s characters.") % {"limit": field.max_length})
        return ""
    return text


def _choice(found, field, value, pointer) -> str:
    text = str(value).strip().lower()
    if text not in field.choices.values:
        found.add(
            "invalid_choice",
            pointer,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(field.choices.values)},
        )
        return ""
    return text


def _number(found, field, value, pointer) -> Decimal | None:
    try:
        number = None if isinstance(value, bool) else Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number >= _TOO_LARGE:
        found.add("invalid_amount", pointer, _("Enter a number that is not negative, e.g. 1250.00."))
        return None
    if field.quantum is not None and number != number.quantize(field.quantum):
        message = (
            _("Enter an amount to the cent, e.g. 1250.00.")
            if field.kind is Kind.AMOUNT
            else _("Use at most %(places)s decimals.") % {"places": field.places}
        )
        found.add("invalid_amount", pointer, message)
        return None
    return number


FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)  # [DESIGN] beyond: a typo, and date sums overflow


def _date(found, field, value, pointer) -> dt.date | None:
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        found.add("invalid_date", pointer, _("Give a date as YYYY-MM-DD."))
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        found.add("date_out_of_range", pointer, _("Give a date from 1900-01-01 to 2999-12-31."))
        return None
    return day


def _time(found, field, value, pointer) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        found.add("invalid_time", pointer, _("Give a time as HH:MM."))
        return None


_TOO_LARGE = Decimal(10) ** DIGITS
_NUMERIC = {Kind.AMOUNT, Kind.NUMBER, Kind.DATE, Kind.TIME}
_ABSENT = {part: {name: _absent(field) for name, field in fields.items()} for part, fields in BY_PART.items()}
_REQUIRED = {part: [name for name, field in fields.items() if field.required] for part, fields in BY_PART.items()}
_READERS = {
    Kind.TEXT: _text,
    Kind.CHOICE: _choice,
    Kind.AMOUNT: _number,
    Kind.NUMBER: _number,
    Kind.DATE: _date,
    Kind.TIME: _time,
}
# (reader, field) by part and name: what `read` calls for each field given
_READER_OF = {part: {name: (_READERS[f.kind], f) for name, f in fields.items()} for part, fields in BY_PART.items()}
# {(name, text): value} by part: the texts read without error, each read once (a batch's lines repeat
# most of theirs: invoice, classification, treatment, countries, units). The readers depend on nothing else.
_KNOWN: dict = {part: {} for part in Part}
_UNREAD = object()


# --- the API's schema ----------------------------------------------------------------------------


def serializer_field(field: Field):
    """The DRF field documenting `field` in the API schema, with the limits `read` enforces."""
    from rest_framework import serializers

    common = {"required": field.required, "help_text": field.help or None}
    if field.kind is Kind.CHOICE:
        return serializers.ChoiceField(choices=field.choices.choices, **common)
    if field.kind is Kind.DATE:
        return serializers.DateField(**common)
    if field.kind is Kind.TIME:
        return serializers.TimeField(**common)
    if field.kind in (Kind.AMOUNT, Kind.NUMBER):
        return _decimal_field(field.places)(
            max_digits=DIGITS + field.places, decimal_places=field.places, min_value=Decimal(0), **common
        )
    text = {"max_length": field.max_length, "allow_blank": not field.required, **common}  # blank: not given
    if field.pattern:
        return serializers.RegexField(f"^{field.pattern}$", **text)
    return serializers.CharField(**text)


def decimal_pattern(places: int) -> str:
    """What an amount or a number of `places` decimals may be, as text: not negative, at most DIGITS
    digits before the point."""
    if not places:  # a whole number (a weight in kg, freight to the dollar)
        return rf"^\d{{1,{DIGITS}}}$"
    return rf"^\d{{1,{DIGITS}}}(?:\.\d{{1,{places}}})?$"


@cache
def _decimal_field(places: int):
    from drf_spectacular.utils import extend_schema_field
    from rest_framework import serializers

    schema = {"type": "string", "format": "decimal", "pattern": decimal_pattern(places)}
    return extend_schema_field(schema)(type(f"Decimal{places}", (serializers.DecimalField,), {}))


def serializer(part: Part, name: str, nested: dict | None = None):
    """A DRF serializer class named `name` with a field per row of `part` (and `nested` ones)."""
    from rest_framework import serializers

    attributes = {field.name: serializer_field(field) for field in BY_PART[part].values()}
    return type(name, (serializers.Serializer,), {**attributes, **(nested or {})})

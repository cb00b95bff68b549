"""Pre-CARM B3s converted to "as declared" CADs (issue #18, item 5), so that they can be corrected
or adjusted in the portal like any CAD: a broker uploads a CSV file (or Excel workbook) of B3
lines, one row a line, the rows of one B3 sharing its transaction number.

"As declared": the B3's amounts (VFD, duties, GST) are kept as declared, not assessed again, and
nothing is posted to the ledger: they were accounted for and paid before CARM. A later correction
or adjustment is assessed as usual and posts only its difference with these amounts.

The type: the issue asked for type F; D17-1-10 (CARM edition, field 11) gives F to courier low value
shipments, so a converted B3 keeps the type it was declared under (`cad_type_code`, checked against
the code list on its release date) and is marked by its channel, "legacy". A B3 is one released
before CARM replaced it (21 Oct 2024); one released since is a CAD, submitted as such.
Converting the same file twice converts nothing twice: a transaction number already converted is
skipped when its content is the same, refused when it differs or belongs to another CAD.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from businesses.models import ProgramAccount

from . import fields, transaction_numbers, validation
from .fields import Part, interpolate
from .models import (
    AMOUNT_FIELDS,
    CadType,
    Channel,
    Declaration,
    DeclarationLine,
    DeclarationVersion,
    Invoice,
    Kind,
    Status,
)

CARM_START = dt.date(2024, 10, 21)  # CARM Release 2: the CAD replaces the B3 (D17-1-10, CARM edition of that day)
HEADER = ["transaction_number", "importer", "cad_type_code", "release_date", "release_office", "mode_of_transport"]
INVOICE = {"invoice": "number", "currency": "currency", "shipment_date": "shipment_date",
           "vendor_name": "vendor_name", "vendor_country": "vendor_country"}  # fmt: skip
LINE = ["narrative", "classification", "tariff_treatment", "origin", "origin_state", "export_country", "vfd_code",
        "quantity", "unit", "value", "description"]  # fmt: skip
AMOUNTS = ["exchange_rate", "vfd", "customs_duty", "sima", "surtax", "excise_duty", "excise_tax", "gst"]
COLUMNS = [*HEADER, *INVOICE, *LINE, *AMOUNTS]
# What each row must give.
REQUIRED = ["invoice", "currency", "shipment_date", "classification", "origin", "value", "exchange_rate", "vfd"]
EXAMPLE = {
    "transaction_number": "12345000000012", "importer": "123456782RM0001", "cad_type_code": "AB",
    "release_date": "2024-06-03", "release_office": "0453", "mode_of_transport": "2", "invoice": "INV-1",
    "currency": "USD", "shipment_date": "2024-06-01", "vendor_name": "Acme Corp", "vendor_country": "US",
    "narrative": "Men's T-shirts", "classification": "6109100011", "tariff_treatment": "UST", "origin": "US",
    "origin_state": "NY", "export_country": "US", "vfd_code": "13", "quantity": "100", "unit": "NMB",
    "value": "1000.00", "exchange_rate": "1.3700", "vfd": "1370.00", "customs_duty": "0.00", "gst": "68.50",
}  # fmt: skip


@dataclass
class Converted:
    created: list = field(default_factory=list)  # transaction numbers converted
    skipped: list = field(default_factory=list)  # already converted, the same
    errors: list = field(default_factory=list)  # (row, column, message)


def convert(who, rows: list[tuple[int, dict]], *, request=None) -> Converted:
    """Convert the B3s in `rows` ((row number, {column: text}) as declarations.uploads reads them).
    Each B3 is converted whole or not at all; the errors name the row and column."""
    result, groups = Converted(), defaultdict(list)
    for number, row in rows:
        groups[row.get("transaction_number", "").strip()].append((number, row))
    for transaction_number, group in groups.items():
        errors, built = _build(who, transaction_number, group)
        if errors:
            result.errors.extend(errors)
            continue
        outcome = _save(who, built, request)
        if outcome is None:
            result.created.append(transaction_number)
        elif outcome == "same":
            result.skipped.append(transaction_number)
        else:
            result.errors.append((group[0][0], "transaction_number", str(outcome)))
    return result


def _build(who, transaction_number, group):
    errors = []
    first_row, first = group[0]

    def error(row, column, message):
        errors.append((row, column, str(message)))

    try:  # with its check digit, as a CAD's: a correction of the converted B3 checks it again
        transaction_numbers.validate(transaction_number)
    except transaction_numbers.TransactionNumberError as refused:
        error(first_row, "transaction_number", refused.message)
        return errors, None
    collector = validation.Collector()
    header = fields.read(
        collector, {k: first.get(k, "") for k in HEADER if k != "transaction_number"}, Part.HEADER, "", strict=False
    )
    release = header["release_date"]
    if release is not None and release >= CARM_START:
        error(first_row, "release_date", _("Released under CARM (from 2024-10-21): submit it as a CAD, not a B3."))
    for name in ("importer", "release_date", "release_office", "mode_of_transport", "cad_type_code"):
        if not header[name] and not first.get(name, "").strip():
            error(first_row, name, fields.REQUIRED)
    validation.check_codes(collector, Part.HEADER, header, "", release)
    account = None
    if header["importer"]:
        account = (
            ProgramAccount.objects.visible_to(who, rights.Action.TRANSACT).filter(number=header["importer"]).first()
        )
        if account is None:
            error(first_row, "importer", _("You may not account for imports of this program account."))
    invoices, lines = {}, []
    for row_number, row in group:
        for column in HEADER:
            if row.get(column, "").strip() != first.get(column, "").strip():
                error(row_number, column, _("The rows of one transaction number give the same header."))
        invoice = fields.read(
            collector, {INVOICE[c]: row.get(c, "") for c in INVOICE}, Part.INVOICE, f"/{row_number}", strict=False
        )
        invoice.update(vendor_address="", details=fields.details(invoice, Part.INVOICE))
        invoices.setdefault(invoice["number"], invoice)
        data = {name: row.get(name, "") for name in LINE}
        line = fields.read(collector, data, Part.LINE, f"/{row_number}", strict=False)
        for name in REQUIRED:
            if not row.get(name, "").strip():
                error(row_number, name, fields.REQUIRED)
        validation.check_codes(collector, Part.LINE, line, f"/{row_number}", release)
        amounts = {name: _amount(row.get(name, ""), name, row_number, error) for name in AMOUNTS}
        lines.append((row_number, invoice["number"], line, amounts))
    for problem in collector.errors:
        row, _slash, column = problem.pointer.lstrip("/").partition("/")
        error(int(row) if row.isdigit() else first_row, column or row, problem.message)
    if errors:
        return errors, None
    return [], (transaction_number, account, header, invoices, lines)


def _amount(text, name, row, error) -> Decimal:
    text = str(text or "").strip().replace(",", "")
    try:
        value = Decimal(text or "0")
    except InvalidOperation:
        value = None
    places = 8 if name == "exchange_rate" else 2
    if value is None or not value.is_finite() or value < 0 or value != value.quantize(Decimal(1).scaleb(-places)):
        error(row, name, interpolate(_("Give an amount that is not negative, at most %(places)s decimals."),
                                     {"places": places}))  # fmt: skip
        return Decimal(0)
    return value


def _save(who, built, request):
    """None when saved; "same" when this B3 was converted before as it is now; else the refusal."""
    transaction_number, account, header, invoices, lines = built
    payload = _payload(account, header, invoices, lines)
    earlier = Declaration.objects.filter(transaction_number=transaction_number).first()
    if earlier is not None:
        version = earlier.versions.order_by("number").first()
        if version.channel == Channel.LEGACY and version.payload == payload:
            return "same"
        return _("This transaction number is already used by another declaration.")
    submitter, context = validation.acting(who, account)
    line_rows = []
    for number, (_row, invoice_number, line, amounts) in enumerate(lines, start=1):
        duties = sum((amounts[n] for n in ("customs_duty", "sima", "surtax", "excise_duty", "excise_tax")), Decimal(0))
        line_rows.append({
            "number": number, "invoice_number": invoice_number, "description": line["description"],
            "narrative": line["narrative"], "quantity": line["quantity"], "unit": line["unit"],
            "classification": line["classification"].replace(".", ""), "tariff_treatment": line["tariff_treatment"],
            "origin": line["origin"], "origin_state": line["origin_state"], "export_country": line["export_country"],
            "vfd_code": line["vfd_code"], "value": line["value"] or Decimal(0),
            "currency": invoices[invoice_number]["currency"], "exchange_rate": amounts["exchange_rate"],
            "rate": "", "value_for_tax": amounts["vfd"] + duties, "total": duties + amounts["gst"],
            **{n: amounts[n] for n in ("vfd", "customs_duty", "sima", "surtax", "excise_duty", "excise_tax", "gst")},
        })  # fmt: skip
    totals = {name: sum((row[name] for row in line_rows), Decimal("0.00")) for name in AMOUNT_FIELDS}
    user, now = rights.actor_of(who).user, timezone.now()
    with transaction.atomic():
        declaration = Declaration.objects.create(
            transaction_number=transaction_number, program_account=account, submitted_by_business=submitter,
            status=Status.ACCEPTED, release_date=header["release_date"], total=totals["total"],
        )  # fmt: skip
        version = DeclarationVersion.objects.create(
            declaration=declaration, number=1, kind=Kind.ORIGINAL, status=Status.ACCEPTED,
            importer_number=account.number, mode_of_transport=header["mode_of_transport"],
            release_office=header["release_office"], release_date=header["release_date"], cad_type=CadType.RPP,
            details=fields.details(header, Part.HEADER), payload=payload, channel=Channel.LEGACY,
            submitted_by_business=submitter, submitted_by=user, submitted_at=now, delta=0, **totals,
        )  # fmt: skip
        for number, invoice in invoices.items():
            amount = sum((row["value"] for row in line_rows if row["invoice_number"] == number), Decimal("0.00"))
            Invoice.objects.create(
                version=version, **{**{k: invoice[k] for k in validation.INVOICE_STORED}, "amount": amount}
            )
        DeclarationLine.objects.bulk_create([DeclarationLine(version=version, **row) for row in line_rows])
        record(
            "declarations.legacy_converted", actor=user, obj=version, request=request, **context,
            after={"transaction_number": transaction_number, "version": version.label, "total": str(version.total)},
        )  # fmt: skip
    return None


def _payload(account, header, invoices, lines) -> dict:
    """The CAD payload the converted B3 reads as: what a correction starts from."""

    def text(value):
        return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)

    return {
        "importer": account.number,
        **{name: text(header[name]) for name in HEADER[2:]},
        "invoices": [
            {**{k: text(invoice[k]) for k in ("number", "currency", "shipment_date", "vendor_name", "vendor_country")},
             "amount": text(sum((line["value"] or 0 for _r, n, line, _a in lines if n == number), Decimal("0.00")))}
            for number, invoice in invoices.items()
        ],
        "lines": [
            {"invoice": number, **{name: text(line[name]) for name in LINE if line[name] not in (None, "")}}
            for _row, number, line, _amounts in lines
        ],
    }  # fmt: skip

"""Payments made outside the portal (online banking bill payment, wire, cheque at a bank) arrive as a
remittance file, imported by an officer (page) or a scheduled job (`import_remittance` command).

Format: CSV, UTF-8, comma-separated, one header line, then one payment per line:

    bn15,amount,payment_date,reference,method
    123456782RM0001,1500.00,2025-05-01,BNK-20250501-0001,bank

bn15: the program account paid; amount: dollars and cents, more than 0 (13 digits at most before the
point); payment_date: YYYY-MM-DD, not in the future; reference: the bank's unique reference (1 to 64
characters); method: bank, wire or cheque. A malformed line is reported with its number and the rest
are imported; a reference already imported is skipped, so importing the same file again posts nothing
twice. At most MAX_ROWS lines."""

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import rights
from audit.services import record
from businesses.models import ProgramAccount
from rights import Action

from .models import Method, Payment, PaymentLine, RemittanceImport
from .services import complete, new_reference

HEADER = ["bn15", "amount", "payment_date", "reference", "method"]
METHODS = {Method.BANK, Method.WIRE, Method.CHEQUE}
MAX_ROWS = 10000  # [DESIGN] payments in one file: a day's bank remittances, one transaction each
MAX_AMOUNT = Decimal("9999999999999.99")  # what Payment.amount (15 digits, 2 decimals) holds


def _parse(row: dict, today: dt.date) -> tuple[ProgramAccount, Decimal, dt.date, str, str]:
    if any(isinstance(value, str) and "\x00" in value for value in row.values()):  # PostgreSQL refuses NUL
        raise ValidationError(_("the line contains a NUL character"))
    problems = []
    number = (row.get("bn15") or "").strip().upper().replace(" ", "")
    account = ProgramAccount.objects.filter(number=number).first()
    if account is None:
        problems.append(_("unknown program account “%(number)s”") % {"number": number})
    try:
        amount = Decimal((row.get("amount") or "").strip())
        if not amount.is_finite() or not 0 < amount <= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        problems.append(_("the amount must be more than 0 and at most 9999999999999.99, in dollars and cents"))
        amount = None
    try:
        day = dt.date.fromisoformat((row.get("payment_date") or "").strip())
        if day > today:
            problems.append(_("the payment date is in the future"))
    except ValueError:
        problems.append(_("the payment date must be YYYY-MM-DD"))
        day = None
    reference = (row.get("reference") or "").strip()
    if not 1 <= len(reference) <= 64:
        problems.append(_("the reference must be 1 to 64 characters"))
    method = (row.get("method") or "").strip().lower()
    if method not in METHODS:
        problems.append(_("the method must be bank, wire or cheque"))
    if problems:
        raise ValidationError("; ".join(problems))
    return account, amount, day, reference, method


def _rows(reader, errors):
    """The file's rows, at most MAX_ROWS; a line the csv module cannot read (a field over its size
    limit, a NUL character) ends the file with an error on that line."""
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS + 1:
                errors.append(
                    {"line": reader.line_num, "error": _("A file holds at most %(max)s payments.") % {"max": MAX_ROWS}}
                )
                return
            yield row
    except csv.Error as error:
        errors.append(
            {
                "line": reader.line_num + 1,
                "error": _("The line cannot be read as CSV: %(problem)s.") % {"problem": error},
            }
        )


def _post(account, amount, day, reference, method, remittance) -> bool:
    """One line, all or nothing. False when its reference was already imported."""
    if Payment.objects.filter(external_reference=reference).exists():
        return False
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                reference=new_reference(),
                method=method,
                amount=amount,
                idempotency_key=f"REMIT:{reference}",
                fingerprint="",
                channel="file",
                remittance_import=remittance,
                external_reference=reference,
            )
            PaymentLine.objects.create(payment=payment, program_account=account, amount=amount)
            complete(payment, day=day)
    except IntegrityError:  # imported at the same moment by another run
        return False
    return True


def import_remittance(content: bytes, file_name: str, *, user=None, request=None) -> RemittanceImport:
    """Post a bank's remittance file. A person importing it needs the officer action; the scheduled
    job and the command (user None) run as CBSA itself."""
    if user is not None:
        rights.require(request or user, Action.IMPORT_REMITTANCES, request=request)
    remittance = RemittanceImport.objects.create(
        file_name=file_name[:200], checksum=hashlib.sha256(content).hexdigest(), imported_by=user
    )
    try:
        # newline="": the csv module reads line ends itself (a bare CR, as old bank files end lines)
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except (UnicodeDecodeError, csv.Error):  # a header the csv module cannot read is no header (it was a 500)
        reader, header = None, []
    if header != HEADER:
        remittance.errors = [{"line": 1, "error": _("The header must be: %(header)s") % {"header": ",".join(HEADER)}}]
    else:
        reader.fieldnames = header
        today = timezone.localdate()
        for row in _rows(reader, remittance.errors):
            try:
                fields = _parse(row, today)
                if _post(*fields, remittance):
                    remittance.posted += 1
                else:
                    remittance.skipped += 1
            except ValidationError as error:
                remittance.errors.append({"line": reader.line_num, "error": error.messages[0]})
    remittance.save()
    record(
        "payments.remittance_imported",
        actor=user,
        request=request,
        obj=remittance,
        after={
            "file": file_name,
            "posted": remittance.posted,
            "skipped": remittance.skipped,
            "errors": len(remittance.errors),
        },
    )
    return remittance

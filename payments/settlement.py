"""The bank's PAD settlement file: one line per debit sent, `reference,outcome` (outcome `settled` or
`nsf`), with a header line. Each line settles its payment or returns it (services.settle_pad); a bad line
is reported with its number and the rest are applied; applying a file again changes nothing."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Method, Payment, Status
from .services import settle_pad

HEADER = ["reference", "outcome"]
MAX_ROWS = 10000  # [DESIGN] debits in one bank file, as for remittances


def apply_settlement_file(content: bytes, request=None) -> dict:
    result = {"settled": 0, "returned": 0, "unchanged": 0, "errors": []}
    try:
        reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        header = [name.strip().lower() for name in next(reader, [])]
    except UnicodeDecodeError:
        header = []
    if header != HEADER:
        result["errors"].append(
            {"line": 1, "error": _("The header must be: %(header)s") % {"header": ",".join(HEADER)}}
        )
        return result
    today = timezone.localdate()
    try:
        rows = list(reader)
    except csv.Error as error:  # a field over the csv module's size limit, a NUL character
        result["errors"].append({"line": reader.line_num + 1, "error": str(error)})
        return result
    if len(rows) > MAX_ROWS:
        result["errors"].append(
            {"line": MAX_ROWS + 2, "error": _("A file holds at most %(max)s payments.") % {"max": MAX_ROWS}}
        )
        return result
    for line, row in enumerate(rows, start=2):
        reference, outcome = (row + ["", ""])[:2]
        if "\x00" in reference:  # PostgreSQL refuses NUL in a query's text
            result["errors"].append({"line": line, "error": _("the line contains a NUL character")})
            continue
        payment = Payment.objects.filter(method=Method.PAD, reference=reference.strip()).first()
        if payment is None:
            result["errors"].append({"line": line, "error": _("unknown PAD payment reference")})
            continue
        before = payment.status
        try:
            payment = settle_pad(payment, outcome.strip().lower(), today, request=request)
        except ValidationError as error:
            result["errors"].append({"line": line, "error": error.messages[0]})
            continue
        if payment.status == before:
            result["unchanged"] += 1
        else:
            result["returned" if payment.status == Status.RETURNED else "settled"] += 1
    return result

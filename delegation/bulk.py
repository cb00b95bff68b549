"""Bulk relationship requests from a CSV file: one importer BN9 a row, optionally followed by the
program accounts (BN15) asked for (business-level access when none). Every row gets a line in the
report: sent, or refused and why (malformed BN, unknown BN, duplicate in the file, already related or
pending...). The whole file is one transaction: a crash leaves nothing sent."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import rights
from registry.bn import compact, parse_bn9
from rights import Action

from . import services
from .models import Relationship

MAX_ROWS = 1000


@dataclass
class RowResult:
    line: int
    bn: str
    accounts: list
    sent: bool
    code: str = ""
    message: str = ""


def _rows(text: str):
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells or (line == 1 and cells[0].lower() in {"bn", "bn9", "business number"}):
            continue
        accounts = [compact(n) for cell in cells[1:] for n in cell.replace(";", " ").split()]
        yield line, cells[0], accounts


def bulk_request(who, provider, text: str, request=None) -> list[RowResult]:
    """Send one request per row on behalf of `provider` (its BAM only)."""
    rights.require(who, Action.ADMINISTER, provider, request)
    try:
        rows = list(_rows(text))
    except csv.Error as error:  # e.g. a field over the csv module's size limit, a NUL character
        raise ValidationError(
            _("The file cannot be read as CSV: %(problem)s.") % {"problem": error}, code="unreadable"
        ) from error
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Send at most %(max)s rows at a time.") % {"max": MAX_ROWS}, code="too_many_rows")
    results, seen = [], set()
    with transaction.atomic():
        for line, bn, accounts in rows:
            result = RowResult(line, bn, accounts, sent=False)
            try:
                bn9 = parse_bn9(bn)
                if bn9 in seen:
                    raise ValidationError(_("This business number is already in the file."), code="duplicate")
                seen.add(bn9)
                scope = Relationship.Scope.PROGRAM if accounts else Relationship.Scope.BUSINESS
                services.request_relationship(who, provider, bn9, scope=scope, accounts=accounts, request=request)
            except ValidationError as error:
                result.code, result.message = error.code or "invalid", error.messages[0]
            else:
                result.sent = True
            results.append(result)
    return results

"""Load the local registry from CSV files in one folder (UTF-8, header row, one file per kind):

  entities.csv          bn9, legal_name, operating_name, address_line, city, province, postal_code
  program_accounts.csv  number (BN15), account_type (importer/exporter/both, blank outside RM), status (active/closed)
  transactions.csv      bn9, number (14 digits), accounted_on (YYYY-MM-DD), duties_and_taxes (dollars.cents)
  payments.csv          bn9, paid_on (YYYY-MM-DD), amount
  statements.csv        bn9, issued_on (YYYY-MM-DD), balance

Only entities.csv is required. Loading again updates entities and accounts in place and replaces
the history of every business named in a history file, so a load is safe to repeat.
"""

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .bn import parse_bn9, parse_bn15
from .models import ImportTransaction, Payment, RegisteredEntity, RegisteredProgramAccount, StatementBalance


class RegistryFileError(Exception):
    pass


def _rows(path: Path):
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                yield {key: (value or "").strip() for key, value in row.items()}
            except AttributeError as error:  # a row with more cells than the header
                raise RegistryFileError(f"{path.name}:{line}: too many cells") from error


def _parse(path, line, parse, value):
    try:
        return parse(value)
    except (ValidationError, ValueError, InvalidOperation) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else f"bad value {value!r}"
        raise RegistryFileError(f"{path.name}:{line}: {message}") from None


def _history(folder: Path, name: str, model, fields):
    """Replace the history rows of every business named in `name`; `fields` maps column → parser."""
    path = folder / name
    if not path.exists():
        return 0
    entities = {e.bn9: e for e in RegisteredEntity.objects.all()}
    rows = []
    for line, row in enumerate(_rows(path), start=2):
        bn9 = _parse(path, line, parse_bn9, row.get("bn9", ""))
        if bn9 not in entities:
            raise RegistryFileError(f"{path.name}:{line}: {bn9} is not in entities.csv")
        values = {column: _parse(path, line, parse, row.get(column, "")) for column, parse in fields.items()}
        rows.append(model(entity=entities[bn9], **values))
    model.objects.filter(entity__in={row.entity for row in rows}).delete()
    model.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def load_registry(folder) -> dict[str, int]:
    """Load the CSV files in `folder`; returns the number of rows loaded per file."""
    folder = Path(folder)
    if not (folder / "entities.csv").exists():
        raise RegistryFileError(f"{folder}/entities.csv is missing")
    counts = {"entities.csv": 0, "program_accounts.csv": 0}
    columns = ["legal_name", "operating_name", "address_line", "city", "province", "postal_code"]
    path = folder / "entities.csv"
    for line, row in enumerate(_rows(path), start=2):
        bn9 = _parse(path, line, parse_bn9, row.get("bn9", ""))
        if not row.get("legal_name"):
            raise RegistryFileError(f"{path.name}:{line}: legal_name is empty")
        RegisteredEntity.objects.update_or_create(bn9=bn9, defaults={c: row.get(c, "") for c in columns})
        counts["entities.csv"] += 1
    path = folder / "program_accounts.csv"
    if path.exists():
        for line, row in enumerate(_rows(path), start=2):
            number = _parse(path, line, parse_bn15, row.get("number", ""))
            entity = RegisteredEntity.objects.filter(bn9=number[:9]).first()
            if entity is None:
                raise RegistryFileError(f"{path.name}:{line}: {number[:9]} is not in entities.csv")
            RegisteredProgramAccount.objects.update_or_create(
                number=number,
                defaults={
                    "entity": entity,
                    "program": number[9:11],
                    "account_type": row.get("account_type", ""),
                    "status": row.get("status") or RegisteredProgramAccount.Status.ACTIVE,
                },
            )
            counts["program_accounts.csv"] += 1
    money = Decimal
    counts["transactions.csv"] = _history(
        folder,
        "transactions.csv",
        ImportTransaction,
        {"number": str, "accounted_on": date.fromisoformat, "duties_and_taxes": money},
    )
    counts["payments.csv"] = _history(folder, "payments.csv", Payment, {"paid_on": date.fromisoformat, "amount": money})
    counts["statements.csv"] = _history(
        folder, "statements.csv", StatementBalance, {"issued_on": date.fromisoformat, "balance": money}
    )
    return counts

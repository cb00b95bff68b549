"""The code lists of D17-1-10 (CARM edition, 21 Oct 2024) as data: declarations/codelists/*.csv (its
README names the sources and licences), each code valid from and to a day, named in English and French.
`sync` brings `CodeListEntry` to the CSVs after every `migrate` (post_migrate, declarations/apps.py) and
in `manage.py load_codelists`: an edited CSV needs no migration.

`entry(name, code, day)` answers from a per-process cache of the whole table (about 1,100 rows),
so that checking a batch of CADs asks the database once; `sync` empties the cache."""

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils.translation import get_language

FOLDER = Path(__file__).resolve().parent / "codelists"
COLUMNS = ["code", "name_en", "name_fr", "valid_from", "valid_to", "alias"]


@dataclass(frozen=True)
class Code:
    code: str
    name_en: str
    name_fr: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    alias: str

    @property
    def name(self) -> str:
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en

    def valid_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def lists() -> list[str]:
    return sorted(path.stem for path in FOLDER.glob("*.csv"))


def read_csv(name: str) -> list[dict]:
    with (FOLDER / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        return [
            {
                **row,
                "valid_from": dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            }
            for row in csv.DictReader(file)
        ]


def sync(model=None, using: str = DEFAULT_DB_ALIAS) -> int:
    """Bring the table (`model`: CodeListEntry, or a migration state's) to the CSVs: read it in one
    query and, only when it differs, replace its rows in one transaction, so that a failure half-way
    keeps the old rows. Returns the number of codes written (0: the table already matched)."""
    if model is None:
        from .models import CodeListEntry as model
    # A state before declarations 0012 (codes of 10 characters) takes the codes that fit its column;
    # 0012, which widened it to 20, takes them all.
    longest = model._meta.get_field("code").max_length
    wanted = [{"list": name, **row} for name in lists() for row in read_csv(name) if len(row["code"]) <= longest]
    fields = ["list", *COLUMNS]
    table = model.objects.using(using)
    if Counter(table.values_list(*fields)) == Counter(tuple(row[field] for field in fields) for row in wanted):
        return 0
    with transaction.atomic(using=using):
        table.all().delete()
        table.bulk_create([model(**row) for row in wanted], batch_size=500)
    clear_cache()
    return len(wanted)


def load(model=None) -> int:
    """The loader data migrations 0005, 0009, 0012 and 0013 call (kept as history): `sync`."""
    return sync(model)


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    """post_migrate: the code lists of the migrated state. The migrate command sends its state's
    `apps`, a flush sends none (the project's models then). Migrated back to before 0004, there is no
    table to fill: its state has no CodeListEntry, or has one without a table (after unapplying the
    two 0004s, Django's state is the one before the last unapplied, which may follow the other)."""
    try:
        model = (apps or sender.apps).get_model("declarations", "CodeListEntry")
    except LookupError:
        return
    connection = connections[using]
    if router.allow_migrate_model(using, model) and model._meta.db_table in connection.introspection.table_names():
        sync(model, using)


_cache: dict | None = None


def clear_cache() -> None:
    global _cache
    _cache = None
    entry.cache_clear()


def _table() -> dict:
    global _cache
    if _cache is None:
        from .models import CodeListEntry

        rows = list(CodeListEntry.objects.values_list("list", *COLUMNS))
        if not rows:  # emptied without a post_migrate (a flush that inhibits it): the project's own files
            rows = [(name, *(row[column] for column in COLUMNS)) for name in lists() for row in read_csv(name)]
        table: dict = {}
        for row in rows:
            table.setdefault(row[0], {}).setdefault(row[1], []).append(Code(*row[1:]))
        _cache = table
    return _cache


@lru_cache(maxsize=100_000)  # a batch's lines ask the same few codes
def entry(name: str, code: str, day: dt.date | None = None) -> Code | None:
    """The code `code` of list `name` valid on `day` (any day when None), else None."""
    return next((found for found in _table().get(name, {}).get(code, ()) if found.valid_on(day)), None)


def by_alias(name: str, alias: str, day: dt.date | None = None) -> Code | None:
    for versions in _table().get(name, {}).values():
        for found in versions:
            if found.alias == alias and found.valid_on(day):
                return found
    return None


def codes(name: str, day: dt.date | None = None) -> list[Code]:
    """Every code of list `name` valid on `day`, by code (the forms' choices, the API's examples)."""
    return [found for versions in _table().get(name, {}).values() for found in versions if found.valid_on(day)]

"""Small helpers to post entries in tests."""

import datetime as dt
import itertools
from decimal import Decimal

from ledger.models import EntryType, InterestRate
from ledger.posting import post_entry

_keys = itertools.count(1)


def post(account, kind=EntryType.ASSESSMENT, amount="100.00", day=dt.date(2025, 3, 20), **fields):
    fields.setdefault("source_key", f"TEST:{next(_keys)}")
    return post_entry(account, kind, Decimal(amount), effective_date=day, **fields)


def rate(percent="7", since=dt.date(2024, 1, 1)):
    return InterestRate.objects.create(effective_from=since, prescribed_rate=Decimal(percent))

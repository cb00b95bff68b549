"""core.bulk.update: per-row values, added values and one value for every row, in one statement; the
JSON text COPY writes."""

import datetime as dt
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import bulk
from ledger.models import LedgerAccount


def test_update_sets_each_rows_value_adds_to_a_column_and_gives_every_row_the_one_value(maple):
    accounts = [maple.program_accounts.create(number=f"123456782RM{n:04d}", account_type="importer") for n in (21, 22)]
    ledgers = [LedgerAccount.objects.create(program_account=account, balance=Decimal("10.00")) for account in accounts]
    day = dt.date(2026, 1, 7)
    with CaptureQueriesContext(connection) as queries:
        bulk.update(
            LedgerAccount,
            [ledger.pk for ledger in ledgers],
            {"balance": [Decimal("1.25"), Decimal("-2.50")], "interest_carry": [Decimal("0.25"), Decimal("0.5")]},
            add={"balance"},
            same={"interest_through": day},
        )
    assert len(queries) == 1
    rows = LedgerAccount.objects.filter(pk__in=[ledger.pk for ledger in ledgers]).order_by("pk")
    assert [(row.balance, row.interest_carry, row.interest_through) for row in rows] == [
        (Decimal("11.25"), Decimal("0.25"), day),
        (Decimal("7.50"), Decimal("0.5"), day),
    ]


def test_a_json_value_goes_to_copy_as_the_encoder_writes_it_an_empty_object_without_it():
    assert bulk._json({}, None) == json.dumps({}) == "{}"
    assert bulk._json(None, None) is None  # SQL NULL, not the JSON null
    assert bulk._json([], None) == "[]"
    assert bulk._json({"rate": "5%", "n": [1, 2]}, None) == json.dumps({"rate": "5%", "n": [1, 2]})
    assert bulk._json({"day": dt.date(2025, 6, 2)}, DjangoJSONEncoder) == '{"day": "2025-06-02"}'

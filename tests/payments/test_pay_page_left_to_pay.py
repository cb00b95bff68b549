"""The pay page's open transactions add up to the balance, never more: a credit the daily offsetting
has not applied yet (it waits for the debits' due dates) is a line of its own. It did not show (the
demo's column summed to 9,529.15 on a 7,270.70 balance)."""

import datetime as dt
from decimal import Decimal

import pytest

from ledger import offsetting
from ledger.models import EntryType
from tests.ledger.factories import post

from .conftest import N


def _column(response):
    (line,) = response.context["lines"]
    return sum(entry.left for entry in line.entries) + line.unapplied, line.owing.balance


@pytest.mark.parametrize("paid", ["120.00", "400.00"])
def test_an_unapplied_credit_is_a_line_and_the_column_adds_up_to_the_balance(client, bam, owed, rm0001, paid):
    post(rm0001, EntryType.PAYMENT, f"-{paid}", day=dt.date(2025, 4, 21))  # not cleared yet
    client.force_login(bam)
    for language, label in [("en", "Credit not applied yet"), ("fr", "Crédit pas encore imputé")]:
        response = client.get(f"/{language}/payments/pay/?account={N}")
        column, balance = _column(response)
        assert column == balance == Decimal("350.00") - Decimal(paid)
        assert label in response.content.decode()


def test_once_the_credit_is_applied_the_line_goes_and_the_rows_show_what_is_left(client, bam, owed, rm0001):
    post(rm0001, EntryType.PAYMENT, "-120.00", day=dt.date(2025, 4, 21))
    offsetting.clear_account(rm0001, dt.date(2025, 6, 30))  # both debits fell due: oldest first
    client.force_login(bam)
    response = client.get(f"/en/payments/pay/?account={N}")
    (line,) = response.context["lines"]
    assert [entry.left for entry in line.entries] == [Decimal("230.00")] and line.unapplied == 0
    assert _column(response) == (Decimal("230.00"), Decimal("230.00"))
    assert "Credit not applied yet" not in response.content.decode()

"""Payment fixtures on top of tests/conftest.py: Maple's RM0001 owing two assessments, and cards of
the sandbox gateway."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ledger.models import EntryType
from payments import services
from payments.gateways import gateway
from tests.ledger.factories import post

N = "123456782RM0001"
N2 = "123456782RM0002"
APPROVE, DECLINE, INSUFFICIENT, THREE_DS, TIMEOUT = (
    "4242424242424242",
    "4000000000000002",
    "4000000000009995",
    "4000000000003220",
    "4000000000000119",
)


@pytest.fixture(autouse=True)
def _reconcile_at_once(settings):
    settings.CARM_PAYMENT_RECONCILE_AFTER = 0
    settings.CARM_PAYMENT_3DS_EXPIRY = 3600


@pytest.fixture
def owed(rm0001):
    """RM0001 owes 100.00 (older, due first) and 250.00."""
    old = post(rm0001, EntryType.ASSESSMENT, "100.00", day=dt.date(2025, 3, 20))
    new = post(rm0001, EntryType.ASSESSMENT, "250.00", day=dt.date(2025, 4, 20))
    return old, new


@pytest.fixture
def rm0002(maple):
    return maple.program_accounts.get(number=N2)


def card(number=APPROVE):
    year = timezone.localdate().year + 2
    return gateway().tokenize(number, 12, year, "123")


def rows(*given):
    """given: (number, kind[, amount[, transaction ids]])"""
    return [
        {
            "program_account": row[0],
            "kind": row[1],
            "amount": Decimal(row[2]) if len(row) > 2 and row[2] is not None else None,
            "transactions": row[3] if len(row) > 3 else [],
        }
        for row in given
    ]


def lines(who, *given):
    return services.build_lines(who, rows(*given))


def pay(who, *given, number=APPROVE, key="key-1"):
    return services.request_payment(who, rows(*given), card=card(number), key=key)[0]


def bank_details(**changes):
    details = {"holder_name": "Maple Leaf Imports Inc.", "institution": "001", "transit": "12345"}
    return details | {"account_number": "1234567", "text_version": 1} | changes


def agreement(who, account, **changes):
    return services.set_up_agreement(who, account, bank_details(**changes))


def balance(account):
    account.ledger.refresh_from_db()
    return account.ledger.balance

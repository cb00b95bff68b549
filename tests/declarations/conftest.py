"""Declarations personas and data on top of the shared ones: Maple (alice, rita), Northern's broker
staff (bob, brenda) through tests/delegation, the estimator's small tariff (chapter 22: water per
litre MFN 6.5 % / UST Free / CEUT Free; wine MFN 4.68 ¢/litre) and USD rates, an interest rate, and
`cad(...)` building a valid payload."""

import datetime as dt
from decimal import Decimal

import pytest

from ledger.models import InterestRate
from tests.assessment.test_estimate_fixtures import WATER, WINE, tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.delegation.conftest import api, bob, brenda, northern, relate, tidewater, tina  # noqa: F401 (fixtures)

RELEASE = dt.date(2025, 1, 3)  # a Friday with a USD rate: period 18 Dec–17 Jan, payment due 31 Jan 2025
RM1, RM2 = "123456782RM0001", "123456782RM0002"


def line(**changes):
    return {
        "invoice": "INV-1",
        "narrative": "Spring water, 500 mL bottles",
        "classification": WATER,
        "tariff_treatment": "MFN",
        "origin": "FR",
        "export_country": "FR",
        "vfd_code": "13",
        "quantity": "3000",
        "unit": "LTR",
        "value": "30000.00",
        **changes,
    }


def cad(*lines, importer=RM1, release_date=RELEASE, invoices=None, **changes):
    lines = list(lines) or [line()]
    if invoices is None:
        total = sum(Decimal(str(item["value"])) for item in lines if str(item.get("value")).replace(".", "").isdigit())
        invoices = [
            {
                "number": "INV-1",
                "amount": f"{total:.2f}",
                "currency": "CAD",
                "vendor_name": "Eaux de France SA",
                "vendor_address": "1 rue de la Source, Evian",
                "vendor_country": "FR",
            }
        ]
    for invoice in invoices:  # shipped the day of release unless the case says otherwise
        if isinstance(invoice, dict):
            invoice.setdefault("shipment_date", release_date.isoformat())
    return {
        "importer": importer,
        "mode_of_transport": "2",
        "release_office": "0453",
        "release_date": release_date.isoformat(),
        "cargo_control_number": "8000ABC123456",
        "cad_type": "rpp",
        "invoices": invoices,
        "lines": lines,
        **changes,
    }


@pytest.fixture
def interest_rate(db):
    return InterestRate.objects.create(effective_from=dt.date(2024, 1, 1), prescribed_rate=Decimal("7.000"))


@pytest.fixture
def broker(relate, brenda):  # noqa: F811 (fixtures)
    """Brenda of Northern, Editor on every Maple account through an approved business relationship."""
    relate("business", role="editor", person=brenda)
    return brenda


@pytest.fixture
def on_day(monkeypatch):
    """on_day(date): make `today` that date for the services and the ledger."""
    from django.utils import timezone

    def move(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)

    return move

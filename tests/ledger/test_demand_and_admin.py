"""Officers record a demand (for collections: it no longer changes the rate), and read the ledger in
the admin without being able to change it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from ledger import interest, services
from ledger.models import EntryType, LedgerEntry
from ledger.posting import ledger_of
from tests.conftest import sign_in

from .factories import post, rate

DUE = dt.date(2025, 1, 31)


def test_the_specified_rate_runs_from_the_day_after_the_due_date_with_or_without_a_demand(rm0001, olivia):
    # Customs Act s.33.4(1); D11-6-5 para. 2: prescribed 7 % + 6 points, before and after a demand.
    rate("7")
    post(rm0001, amount="36500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    interest.nightly_run(DUE + dt.timedelta(days=1))  # 36,500 × 13 % / 365
    services.set_demand(rm0001, DUE + dt.timedelta(days=1), officer=olivia)
    interest.nightly_run(DUE + dt.timedelta(days=2))  # (36,500 + 13) × 13 % / 365 = 13.0046…
    first, second = LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).order_by("effective_date")
    assert first.amount == second.amount == Decimal("13.00")
    assert {first.explanation["rate_kind"], second.explanation["rate_kind"]} == {"specified"}
    assert Decimal(first.explanation["rate"]) == 13
    audit = AuditEntry.objects.get(action="ledger.demand_issued")
    assert audit.actor == olivia and audit.after["demand_issued_on"] == "2025-02-01"


def test_only_officers_record_demands_and_never_twice_or_in_the_future(rm0001, olivia, alice):
    with pytest.raises(PermissionDenied):
        services.set_demand(rm0001, DUE, officer=alice)
    with pytest.raises(ValidationError):
        services.set_demand(rm0001, dt.date.today() + dt.timedelta(days=2), officer=olivia)
    services.set_demand(rm0001, DUE, officer=olivia)
    with pytest.raises(ValidationError):
        services.set_demand(rm0001, DUE + dt.timedelta(days=3), officer=olivia)
    assert ledger_of(rm0001).demand_issued_on == DUE


@pytest.fixture
def admin_client(client, olivia):
    olivia.is_superuser = True
    olivia.save()
    sign_in(client, olivia)
    return client


def test_officers_read_ledger_records_in_the_admin_but_cannot_change_them(admin_client, rm0001):
    entry = post(rm0001, amount="100.00")
    for model in ("ledgerentry", "statement", "allocation", "dailynotice", "ledgeraccount", "refundrequest"):
        assert admin_client.get(f"/en/admin/ledger/{model}/").status_code == 200, model
        assert admin_client.get(f"/en/admin/ledger/{model}/add/").status_code == 403, model
    assert admin_client.get(f"/en/admin/ledger/ledgerentry/{entry.pk}/change/").status_code == 200
    response = admin_client.post(f"/en/admin/ledger/ledgerentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
    for model in ("interestrate", "holiday"):
        assert admin_client.get(f"/en/admin/ledger/{model}/add/").status_code == 200, model


def test_an_officer_records_a_demand_from_the_admin(admin_client, rm0001):
    ledger = ledger_of(rm0001)
    response = admin_client.post(
        "/en/admin/ledger/ledgeraccount/", {"action": "record_demand", "_selected_action": [ledger.pk]}
    )
    assert response.status_code == 302
    assert ledger_of(rm0001).demand_issued_on == dt.date.today()
    assert AuditEntry.objects.filter(action="ledger.demand_issued", object_id=str(ledger.pk)).exists()

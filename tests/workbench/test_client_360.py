"""The client 360: search by BN9, BN15 or name; every panel; notes audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEntry
from ledger.models import EntryType, LedgerEntry
from ledger.posting import post_entry
from rights import OfficerRole
from workbench import extensions, panels, services
from workbench.models import OfficerNote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["123456782", "123456782RM0001", "123 456 782", "maple leaf", "MAPLE"])
def test_a_business_is_found_by_bn9_bn15_or_name(officers, query):
    found = services.search_clients(officers[OfficerRole.AUDITOR], query)
    assert [business.bn9 for business in found] == ["123456782"]


def test_a_person_without_an_officer_role_cannot_search_clients(alice, maple):
    with pytest.raises(PermissionDenied):
        services.search_clients(alice, "maple")


def test_the_360_shows_every_panel_with_the_clients_accounts_people_and_ledger(officers, as_person, rm0001):
    post_entry(
        rm0001, EntryType.ASSESSMENT, Decimal("150.00"), effective_date=dt.date(2025, 1, 6), source_key="test-360"
    )
    page = as_person(officers[OfficerRole.REVENUE]).get("/en/cbsa/clients/123456782/").content.decode()
    for panel in extensions.panels.values():
        assert f'id="panel-{panel.key}"' in page
    assert "123456782RM0001" in page and "alice@maple.example" in page and "150.00" in page


def test_the_ledger_panel_shows_the_sum_of_every_entry_of_each_account(officers, as_person, maple, rm0001):
    # read from the running balance (balances.running): posted out of date order, and dated after today
    rm0002, today = maple.program_accounts.get(number="123456782RM0002"), timezone.localdate()
    history = [
        (rm0001, "150.00", -20),
        (rm0001, "-40.00", -50),  # dated before the entry posted first
        (rm0001, "75.25", 30),  # after today
        (rm0002, "-12.50", 10),  # a credit after today
        (rm0002, "30.00", -40),
    ]
    for number, (account, amount, days) in enumerate(history):
        kind = EntryType.PAYMENT if amount.startswith("-") else EntryType.ASSESSMENT
        day = today + dt.timedelta(days=days)
        post_entry(account, kind, Decimal(amount), effective_date=day, source_key=f"panel-{number}")
    rows = panels.ledger(maple, officers[OfficerRole.REVENUE])["rows"]
    shown = {row["account"].number: row["balance"] for row in rows}
    full = {account.number: Decimal(0) for account in maple.program_accounts.all()}
    for entry in LedgerEntry.objects.select_related("program_account"):
        full[entry.program_account.number] += entry.amount
    assert shown == full and shown["123456782RM0001"] == Decimal("185.25") and shown["123456782RM0002"] == 17.5
    page = as_person(officers[OfficerRole.REVENUE]).get("/en/cbsa/clients/123456782/").content.decode()
    assert "185.25" in page and "17.50" in page


def test_opening_a_clients_360_is_recorded(officers, as_person, maple):
    as_person(officers[OfficerRole.AUDITOR]).get("/en/cbsa/clients/123456782/")
    entry = AuditEntry.objects.get(action="officer.client_viewed")
    assert entry.actor == officers[OfficerRole.AUDITOR] and entry.object_id == str(maple.pk)


def test_a_note_is_kept_and_audited(officers, as_person, maple):
    response = as_person(officers[OfficerRole.TRADE]).post("/en/cbsa/clients/123456782/", {"text": "Called them."})
    assert response.status_code == 302
    note = OfficerNote.objects.get(business=maple)
    assert note.text == "Called them." and note.written_by == officers[OfficerRole.TRADE]
    assert AuditEntry.objects.filter(action="officer.note_added", actor=officers[OfficerRole.TRADE]).exists()


def test_an_empty_note_is_refused_with_the_form_not_a_crash(officers, as_person, maple):
    page = as_person(officers[OfficerRole.TRADE]).post("/en/cbsa/clients/123456782/", {"text": " "})
    assert page.status_code == 200 and not OfficerNote.objects.exists()


def test_an_unknown_business_number_is_not_found(officers, as_person):
    assert as_person(officers[OfficerRole.TRADE]).get("/en/cbsa/clients/999999999/").status_code == 404

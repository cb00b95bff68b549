"""post_entry: the one way money enters the ledger; entries are never changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from ledger.models import AppendOnlyError, EntryType, LedgerEntry
from ledger.posting import post_entry, reverse_entry

from .factories import post


def test_an_assessment_is_due_on_the_harmonized_due_date(rm0001):
    entry = post(rm0001, day=dt.date(2025, 3, 20))
    assert entry.billing_period_end == dt.date(2025, 4, 17)
    assert entry.due_date == dt.date(2025, 5, 1)
    rm0001.ledger.refresh_from_db()
    assert rm0001.ledger.balance == Decimal("100.00")
    assert AuditEntry.objects.filter(action="ledger.posted", object_id=str(entry.pk)).exists()


def test_posting_the_same_source_document_twice_returns_the_first_entry(rm0001):
    first = post(rm0001, source_key="CAD:12345678901234:00001")
    again = post(rm0001, amount="999.00", source_key="CAD:12345678901234:00001")
    assert again.pk == first.pk and again.amount == Decimal("100.00")
    assert LedgerEntry.objects.count() == 1
    rm0001.ledger.refresh_from_db()
    assert rm0001.ledger.balance == Decimal("100.00")


@pytest.mark.parametrize(
    "amount, code", [("0", "zero"), ("0.00", "zero"), ("10.005", "not_cents"), ("NaN", "not_cents")]
)
def test_a_zero_or_non_cent_amount_is_refused(rm0001, amount, code):
    with pytest.raises(ValidationError) as refused:
        post(rm0001, amount=amount)
    assert refused.value.code == code
    assert not LedgerEntry.objects.exists()


def test_a_float_amount_is_refused(rm0001):
    with pytest.raises(TypeError):
        post_entry(rm0001, EntryType.PAYMENT, 10.5, effective_date=dt.date(2025, 3, 1), source_key="X")


def test_posting_to_a_closed_or_unknown_program_account_is_refused(rm0001):
    from businesses.models import ProgramAccount

    with pytest.raises(ValidationError) as refused:
        post(ProgramAccount(number="999999999RM0001"))
    assert refused.value.code == "unknown_account"
    rm0001.is_active = False
    with pytest.raises(ValidationError) as refused:
        post(rm0001)
    assert refused.value.code == "account_closed"
    assert not LedgerEntry.objects.exists()


def test_an_entry_is_never_updated_or_deleted(rm0001):
    entry = post(rm0001)
    entry.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()


def test_a_correction_is_a_new_entry_that_reverses_the_first(rm0001):
    entry = post(rm0001, amount="250.00")
    reversal = reverse_entry(entry, effective_date=dt.date(2025, 3, 25))
    assert reversal.amount == Decimal("-250.00") and reversal.reverses == entry
    assert reverse_entry(entry, effective_date=dt.date(2025, 3, 26)).pk == reversal.pk
    rm0001.ledger.refresh_from_db()
    assert rm0001.ledger.balance == 0


def test_the_database_refuses_raw_updates_on_postgresql(rm0001):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    entry = post(rm0001)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])


@pytest.mark.parametrize(
    "table",
    ["ledger_ledgerentry", "ledger_allocation", "ledger_statement", "ledger_dailynotice", "audit_auditentry"],
)
def test_each_append_only_table_has_its_one_declared_trigger_on_postgresql(db, table):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
        names = [name for (name,) in cursor.fetchall()]
    assert len(names) == 1 and names[0].startswith("pgtrigger_append_only_")

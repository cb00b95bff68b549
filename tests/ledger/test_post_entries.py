"""post_entries: many entries at once (a batch of CADs) by the same rules as post_entry one by one:
amounts, due dates, closed-period redating, idempotency by (account, source key), balances, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from ledger.models import EntryType, LedgerEntry
from ledger.posting import ledger_of, post_entries, post_entry

COMPARED = ["program_account_id", "entry_type", "amount", "effective_date", "due_date", "billing_period_end"]
DAY = dt.date(2025, 4, 1)


@pytest.fixture
def accounts(maple):
    rm1, rm2 = maple.program_accounts.filter(number__in=["123456782RM0001", "123456782RM0002"]).order_by("number")
    ledger = ledger_of(rm1)
    ledger.closed_through = dt.date(2025, 4, 17)  # RM0001's March-April statement is issued
    ledger.save()
    return rm1, rm2


def postings(rm1, rm2, tag):
    given = [
        (rm1, EntryType.ASSESSMENT, "100.00", DAY, None),  # redated into the open period
        (rm2, EntryType.ASSESSMENT, Decimal("250.10"), DAY, None),
        (rm1, EntryType.PENALTY, "50.00", DAY, None),  # due at once
        (rm2, EntryType.PAYMENT, "-40.00", DAY, None),  # a credit: due at once
        (rm1, EntryType.ASSESSMENT, "10.00", dt.date(2025, 5, 2), dt.date(2025, 5, 3)),  # due date given
    ]
    return [
        {
            "program_account": account,
            "entry_type": kind,
            "amount": amount,
            "effective_date": day,
            "due_date": due,
            "source_key": f"{tag}-{n}",
            "explanation": {"n": n},
        }
        for n, (account, kind, amount, day, due) in enumerate(given)
    ]


def fields(entry):
    return [getattr(entry, name) for name in COMPARED] + [entry.explanation]


def test_a_batch_posts_what_posting_one_by_one_posts(accounts):
    rm1, rm2 = accounts
    alone = [post_entry(**posting) for posting in postings(rm1, rm2, "ONE")]
    batch = post_entries(postings(rm1, rm2, "BATCH"))
    assert [fields(entry) for entry in batch] == [fields(entry) for entry in alone]
    assert batch[0].effective_date == dt.date(2025, 4, 18) and batch[0].explanation["document_date"] == "2025-04-01"
    assert batch[1].due_date == dt.date(2025, 5, 1) and batch[2].due_date == batch[2].effective_date
    assert batch[4].due_date == dt.date(2025, 5, 3)
    for account, expected in ((rm1, Decimal("320.00")), (rm2, Decimal("420.20"))):
        assert ledger_of(account).balance == expected
    assert AuditEntry.objects.filter(action="ledger.posted").count() == 10
    audited = AuditEntry.objects.get(action="ledger.posted", object_id=str(batch[1].pk))
    assert audited.after["amount"] == "250.10" and audited.after["source"] == "BATCH-1"


def test_a_batch_is_idempotent_by_account_and_source_key(accounts):
    rm1, rm2 = accounts
    first = post_entries(postings(rm1, rm2, "B")[:2])
    again = post_entries(postings(rm1, rm2, "B"))
    assert [entry.pk for entry in again[:2]] == [entry.pk for entry in first]
    twice = post_entries([postings(rm1, rm2, "C")[0], {**postings(rm1, rm2, "C")[0], "amount": "999.00"}])
    assert twice[0].pk == twice[1].pk and twice[1].amount == Decimal("100.00")
    assert LedgerEntry.objects.count() == 6
    assert ledger_of(rm1).balance == Decimal("260.00")


def test_a_bad_posting_refuses_the_whole_batch(accounts):
    rm1, rm2 = accounts
    with pytest.raises(ValidationError) as refused:
        post_entries([*postings(rm1, rm2, "B"), {**postings(rm1, rm2, "X")[0], "amount": "1.005"}])
    assert refused.value.code == "not_cents"
    with pytest.raises(TypeError):
        post_entries([{**postings(rm1, rm2, "X")[0], "amount": 1.5}])
    assert not LedgerEntry.objects.exists() and post_entries([]) == []

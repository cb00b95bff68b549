"""End to end through the API: a broker with delegation submits → accepted → ledger entries → the
statement shows it → a correction before the due date → its credit on the next statement → an
adjustment after the due date → pending → an officer approves → posted with interest."""

import datetime as dt
from decimal import Decimal

from declarations import services
from declarations.models import Declaration, Kind, Status
from ledger import statements
from ledger.models import EntryType, LedgerEntry, Statement
from penalties import services as penalties

from .conftest import RM1, cad, line


def test_broker_submits_corrects_and_adjusts_and_the_ledger_follows(
    api, broker, northern, olivia, tariff_rows, interest_rate, on_day
):
    call = api(broker)
    on_day(dt.date(2025, 1, 6))
    response = call("post", "declarations", cad(declarant="123026635RM0001"), Idempotency_Key="NCB-0001")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["carm_status"], data["version"], data["submitted_by"]) == (39, "00001", "123026635")
    assert data["totals"]["total"] == "3547.50" and data["payment_due_date"] == "2025-01-31"
    number = data["transaction_number"]

    entry = LedgerEntry.objects.get(transaction_number=number)
    assert (entry.entry_type, entry.amount, entry.due_date) == (
        EntryType.ASSESSMENT,
        Decimal("3547.50"),
        dt.date(2025, 1, 31),
    )
    assert entry.submitted_by_business == northern and entry.document_version == "00001"

    statements.close_period(dt.date(2025, 1, 17))
    january = Statement.objects.get(program_account__number=RM1, period_end=dt.date(2025, 1, 17))
    assert [e.transaction_number for e in statements.statement_entries(january)] == [number]
    assert january.amount_due == Decimal("3547.50")

    on_day(dt.date(2025, 1, 20))  # before the due date: a correction, accepted at once
    cheaper = cad(line(value="20000.00"), declarant="123026635RM0001")
    response = call("post", f"declarations/{number}/versions", {"expected_version": 1, "declaration": cheaper})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["carm_status"], data["version_kind"], data["delta"]) == (39, "correction", "-1182.50")
    statements.close_period(dt.date(2025, 2, 17))
    february = Statement.objects.get(program_account__number=RM1, period_end=dt.date(2025, 2, 17))
    credit = [e for e in statements.statement_entries(february) if e.transaction_number == number]
    assert [(e.amount, e.document_version) for e in credit] == [(Decimal("-1182.50"), "00002")]

    on_day(dt.date(2025, 3, 10))  # after the due date: an adjustment, for an officer
    dearer = cad(line(value="40000.00"), declarant="123026635RM0001")
    response = call(
        "post",
        f"declarations/{number}/versions",
        {"expected_version": 2, "declaration": dearer, "reason": "Price revised by the vendor"},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["carm_status"], response.json()["version_status"]) == (42, "pending")
    assert LedgerEntry.objects.filter(transaction_number=number).count() == 2  # nothing posted yet
    pending = services.pending_adjustments().get()

    on_day(dt.date(2025, 3, 12))
    outcome = services.decide_adjustment(pending, approve=True, officer=olivia, reason="Invoice seen")
    assert outcome.code == 39
    posted = LedgerEntry.objects.filter(transaction_number=number, document_version="00003")
    delta = posted.get(entry_type=EntryType.ASSESSMENT)
    interest = posted.get(entry_type=EntryType.INTEREST)
    assert (delta.amount, delta.effective_date) == (Decimal("2365.00"), dt.date(2025, 3, 12))
    # 40 days from 31 Jan at 7 %, compounded daily
    expected = (Decimal("2365.00") * ((1 + Decimal("0.07") / 365) ** 40 - 1)).quantize(Decimal("0.01"))
    assert interest.amount == expected == Decimal("18.21")
    declaration = Declaration.objects.get(transaction_number=number)
    assert (declaration.current_version, declaration.total) == (3, Decimal("4730.00"))
    assert call("get", f"declarations/{number}").json()["version"] == "00003"
    assert call("get", f"declarations/{number}", {"version": 1}).json()["totals"]["total"] == "3547.50"


def test_a_rejected_adjustment_posts_nothing(maple, alice, olivia, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    first = services.submit(alice, cad())
    on_day(dt.date(2025, 2, 10))
    pending = services.amend(
        alice,
        first.declaration.transaction_number,
        cad(line(value="40000.00")),
        expected_version=1,
        reason="Price revised",
    )
    assert pending.code == 42
    refused = services.decide_adjustment(pending.version, approve=False, officer=olivia)
    assert refused.errors[0].code == "reason_required"
    outcome = services.decide_adjustment(pending.version, approve=False, officer=olivia, reason="No evidence")
    assert outcome.version.status == Status.REJECTED
    assert LedgerEntry.objects.filter(transaction_number=first.declaration.transaction_number).count() == 1
    assert outcome.declaration.current_version == 1
    again = services.decide_adjustment(pending.version, approve=True, officer=olivia)
    assert again.errors[0].code == "not_pending"


def test_only_an_officer_decides(maple, alice, tariff_rows, on_day):
    import pytest
    from django.core.exceptions import PermissionDenied

    on_day(dt.date(2025, 1, 6))
    first = services.submit(alice, cad())
    on_day(dt.date(2025, 2, 10))
    pending = services.amend(
        alice,
        first.declaration.transaction_number,
        cad(line(value="40000.00")),
        expected_version=1,
        reason="Price revised",
    )
    with pytest.raises(PermissionDenied):
        services.decide_adjustment(pending.version, approve=True, officer=alice)


def test_withdrawal_reverses_what_was_posted_and_ends_changes(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    first = services.submit(alice, cad())
    number = first.declaration.transaction_number
    on_day(dt.date(2025, 1, 8))
    services.amend(alice, number, cad(line(value="20000.00")), expected_version=1)
    assert services.withdraw(alice, number, expected_version=2, reason="").errors[0].code == "reason_required"
    outcome = services.withdraw(alice, number, expected_version=2, reason="Goods returned")
    assert outcome.version.kind == Kind.WITHDRAWAL and outcome.declaration.status == Status.WITHDRAWN
    entries = LedgerEntry.objects.filter(transaction_number=number)
    assert sum(e.amount for e in entries) == 0 and entries.filter(entry_type=EntryType.REVERSAL).count() == 2
    again = services.amend(alice, number, cad(), expected_version=3)
    assert again.errors[0].code == "withdrawn"
    assert services.withdraw(alice, number, expected_version=3, reason="x").errors[0].code == "withdrawn"


def test_late_accounting_is_flagged_and_draws_the_c288_penalty_at_the_nightly_run(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 14))  # released Fri 3 Jan: due Fri 10 Jan
    outcome = services.submit(alice, cad())
    assert outcome.code == 39 and outcome.version.is_late
    assert [w.code for w in outcome.warnings] == ["tariff_schedule", "late_accounting"]  # fixture schedule of 2020
    number = outcome.declaration.transaction_number
    assert not LedgerEntry.objects.filter(transaction_number=number, entry_type=EntryType.PENALTY)
    penalties.late_accounting_run(dt.date(2025, 1, 14))
    penalty = LedgerEntry.objects.get(transaction_number=number, entry_type=EntryType.PENALTY)
    assert (penalty.amount, penalty.reference) == (Decimal("100.00"), "C288")


def test_on_time_accounting_is_not_flagged(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 10))
    outcome = services.submit(alice, cad())
    assert not outcome.version.is_late
    assert [w.code for w in outcome.warnings] == ["tariff_schedule"]  # the fixture's schedule is of 2020


def test_a_draft_is_kept_unfinished_then_submitted_under_its_number(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    draft = services.save_draft(alice, {"importer": RM1, "release_date": "2025-01-03", "lines": [{"value": "abc"}]})
    assert draft.code == 200 and draft.declaration.status == Status.DRAFT
    number = draft.declaration.transaction_number
    assert not LedgerEntry.objects.filter(transaction_number=number).exists()
    again = services.save_draft(alice, {"importer": RM1, "release_office": "0453"}, transaction_number=number)
    assert again.version.release_office == "0453"
    outcome = services.submit(alice, cad(transaction_number=number))
    assert outcome.code == 39 and outcome.declaration.transaction_number == number
    assert outcome.declaration.versions.count() == 1
    assert services.save_draft(alice, {"importer": RM1}, transaction_number=number).errors[0].code == "not_a_draft"


def test_versions_are_kept_and_compared(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    first = services.submit(alice, cad())
    number = first.declaration.transaction_number
    second = services.amend(
        alice, number, cad(line(value="20000.00"), line(narrative="Sparkling water", value="10.00")), expected_version=1
    )
    assert second.code == 39, second.errors
    changes = services.diff(first.version, second.version)
    assert changes["totals"]["total"] == second.version.total - first.version.total
    assert [(row["key"], row["change"]) for row in changes["lines"]] == [(1, "changed"), (2, "added")]
    assert {"field": "value", "before": Decimal("30000.00"), "after": Decimal("20000.00")} in changes["lines"][0][
        "fields"
    ]
    assert changes["invoices"][0]["change"] == "changed"
    assert list(first.declaration.versions.values_list("number", flat=True)) == [1, 2]


def test_a_broker_corrects_the_importer_s_cad_sending_its_number_in_the_body(maple, alice, broker, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    outcome = services.amend(broker, number, cad(line(value="20000.00"), transaction_number=number), expected_version=1)
    assert outcome.code == 39, outcome.errors
    assert outcome.version.submitted_by_business.bn9 == "123026635"

"""Affinity questions are asked from the business's own history: the revenue ledger once it has
any, the registry's recorded history before (a business with no portal history yet)."""

import datetime as dt
from decimal import Decimal

from businesses import affinity
from ledger import statements
from ledger.posting import reverse_entry
from registry.adapters import registry
from tests.ledger.factories import post

T1, T2, T3 = "11111111111111", "22222222222222", "33333333333333"


def _ledger_history(maple):
    rm0001, rm0002 = maple.program_accounts.order_by("number")[:2]
    post(rm0001, amount="1000.00", day=dt.date(2025, 3, 3), transaction_number=T1, document_version="00001")
    post(rm0001, amount="50.00", day=dt.date(2025, 3, 5), transaction_number=T1, document_version="00002")
    cancelled = post(rm0001, amount="200.00", day=dt.date(2025, 3, 6), transaction_number=T2)
    reverse_entry(cancelled, effective_date=dt.date(2025, 3, 7))
    post(rm0002, amount="500.00", day=dt.date(2025, 3, 10), transaction_number=T3)
    post(rm0001, "payment", "-300.00", day=dt.date(2025, 3, 28))
    bounced = post(rm0001, "payment", "-99.00", day=dt.date(2025, 4, 2))
    reverse_entry(bounced, effective_date=dt.date(2025, 4, 3))
    statements.close_period(dt.date(2025, 4, 17))


def test_the_questions_come_from_the_ledger_once_it_has_history(maple):
    _ledger_history(maple)
    history = affinity.import_history(maple.bn9)
    assert [(t.number, t.duties_and_taxes) for t in history.transactions] == [
        (T1, Decimal("1050.00")),  # both CAD versions
        (T3, Decimal("500.00")),
    ]  # T2 was corrected to nothing
    assert history.payments[-1] == (dt.date(2025, 3, 28), Decimal("300.00"))  # the bounced one is not a payment
    assert affinity.last_statement_balances(history) == {Decimal("750.00"), Decimal("500.00")}
    assert affinity.questions(history) == [affinity.TRANSACTION, affinity.PAYMENT, affinity.STATEMENT]


def test_right_answers_are_the_ledger_s_and_the_registry_s_no_longer_pass(maple):
    _ledger_history(maple)
    history = affinity.import_history(maple.bn9)
    right = affinity.Answers(T1, Decimal("1050.00"), Decimal("300.00"), Decimal("500.00"))
    assert affinity.answers_are_right(history, right)
    assert affinity.answers_are_right(history, affinity.Answers(f"{T3[:7]} {T3[7:]}", "500", "300", "750.00"))
    registry_answers = affinity.Answers("10207003502332", Decimal("3547.50"), Decimal("1210.58"), Decimal("1210.58"))
    assert not affinity.answers_are_right(history, registry_answers)
    assert not affinity.answers_are_right(history, affinity.Answers(T2, Decimal("200.00"), "300", "500"))


def test_without_ledger_history_the_registry_s_recorded_history_is_used(maple):
    history = affinity.import_history(maple.bn9)
    assert history == registry().history(maple.bn9) and not history.is_empty
    assert affinity.answers_are_right(
        history, affinity.Answers("10207003502332", Decimal("3547.50"), Decimal("1210.58"), Decimal("1210.58"))
    )


def test_a_zero_last_statement_balance_is_not_asked(maple, rm0001):
    post(rm0001, amount="100.00", day=dt.date(2025, 3, 3), transaction_number=T1)
    post(rm0001, "payment", "-100.00", day=dt.date(2025, 3, 28))
    statements.close_period(dt.date(2025, 4, 17))
    assert affinity.questions(affinity.import_history(maple.bn9)) == [affinity.TRANSACTION, affinity.PAYMENT]

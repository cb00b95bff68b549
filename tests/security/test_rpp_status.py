"""RPP status in one place (issue 19): security's Enrolment, with its dated history, is the truth that
CAD acceptance, positions, pages, the API and billing's due date all read; the status businesses held
was moved into it (security 0003) and dropped (businesses 0004)."""

import datetime as dt

import pytest

from businesses import account_programs
from security import services
from security.models import Enrolment, RppStatus
from tests.migrations import migrate_to, migrate_to_latest

from .conftest import enrol

D = dt.date
BEFORE, AFTER = D(2025, 5, 19), D(2025, 5, 20)  # the transition's last day, the first day security is required


def test_billing_asks_the_enrolment_the_one_source_security_registered(rm0001, ravi):
    assert account_programs._rpp_sources == [services.rpp_enrolled]
    enrol(rm0001, D(2025, 1, 1))
    services.decide_enrolment(ravi, rm0001, RppStatus.SUSPENDED, "security not posted", today=D(2025, 6, 2))
    assert account_programs.rpp_enrolled(rm0001, D(2025, 6, 1))
    assert not account_programs.rpp_enrolled(rm0001, D(2025, 6, 2))  # suspended from that day: payable on release


def test_without_a_decision_an_account_was_in_rpp_only_until_security_was_required_cn_25_22(rm0001, alice):
    assert services.rpp_enrolled(rm0001, BEFORE) and not services.rpp_enrolled(rm0001, AFTER)
    services.request_enrolment(alice, rm0001, today=D(2025, 5, 1))  # a pending request decides nothing
    assert services.rpp_enrolled(rm0001, BEFORE) and not services.rpp_enrolled(rm0001, AFTER)


def test_an_officer_s_decision_holds_before_and_after_the_transition(rm0001, ravi, settings):
    services.decide_enrolment(ravi, rm0001, RppStatus.ENROLLED, "own security", today=D(2025, 3, 1))
    assert services.rpp_enrolled(rm0001, AFTER)
    services.decide_enrolment(ravi, rm0001, RppStatus.ENDED, "closed", today=D(2025, 4, 1))
    assert not services.rpp_enrolled(rm0001, BEFORE)
    settings.CARM_RPP_SECURITY_FROM = None  # security never required: still ended
    assert not services.rpp_enrolled(rm0001, AFTER)


@pytest.mark.django_db(transaction=True)
def test_the_rpp_changes_businesses_recorded_become_enrolment_rows_and_only_they(maple):
    """Migrating back to the column, recording RPP changes on it, then forward again."""
    old = migrate_to([("businesses", "0003_csa_period"), ("security", "0002_bond_program_cashdeposit_program")])
    Account, Record = old.get_model("businesses", "ProgramAccount"), old.get_model("businesses", "AccountProgramRecord")
    OldEnrolment = old.get_model("security", "Enrolment")
    one, two = (Account.objects.get(number=f"123456782RM000{n}") for n in (1, 2))
    for account, day, program, rpp in [
        (one, D(2025, 1, 1), "csa", "enrolled"),  # a change of program only: the old default, nothing to copy
        (one, D(2025, 6, 1), "csa", "suspended"),
        (one, D(2025, 7, 1), "regular", "suspended"),  # the same status again
        (one, D(2025, 8, 1), "regular", "enrolled"),
        (two, D(2025, 6, 1), "regular", "not_enrolled"),
    ]:
        Record.objects.create(
            program_account=account, effective_from=day, accounting_program=program, rpp_status=rpp, reason="D17-1-4"
        )
    OldEnrolment.objects.create(program_account=two, status="enrolled", effective_from=D(2025, 6, 1), reason="own")

    migrate_to_latest()
    rows = Enrolment.objects.order_by("program_account__number", "effective_from")
    assert [(row.program_account.number[-1], row.effective_from, row.status) for row in rows] == [
        ("1", D(2025, 6, 1), RppStatus.SUSPENDED),
        ("1", D(2025, 8, 1), RppStatus.ENROLLED),
        ("2", D(2025, 6, 1), RppStatus.ENROLLED),  # the enrolment's own row of that day stands
    ]
    assert rows.first().reason == "recorded with the accounting program: D17-1-4"

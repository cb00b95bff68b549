"""The annual review (issue 19 item 5; CBSA bulletin 5404)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from notifications.models import Notification
from security import review, services
from security.models import Requirement, RppStatus

from .conftest import duties, enrol, secured

D = dt.date
REVIEW = D(2025, 10, 20)


def _grown(rm0001, alice, sam, sureco):
    """Secured for a new importer's $5,000 in May; a $30,000 month in August raises it to $15,000."""
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    duties(rm0001, D(2025, 8, 5), "30000.00", "AUG")


def test_the_review_recalculates_over_20_october_to_19_october_and_tells_only_those_whose_requirement_rose(
    maple, rm0001, rm0002, alice, sam, sureco
):
    _grown(rm0001, alice, sam, sureco)
    enrol(rm0002)
    services.calculate(rm0002, today=D(2025, 5, 1))
    # RM0002 held a new importer's $5,000; its only duties fall outside the period:
    duties(rm0002, D(2025, 10, 20), "90000.00", "LATE")  # released on the review day
    duties(rm0002, D(2024, 10, 19), "90000.00", "EARLY")  # the day before the period: not in it either
    seen = []
    run = review.annual_review(REVIEW, progress=lambda done, total: seen.append((done, total)))
    assert (run.period_start, run.period_end, run.due_by) == (D(2024, 10, 20), D(2025, 10, 19), D(2026, 1, 15))
    assert seen[-1] == (2, 2)
    raised = services.requirement_of(rm0001, REVIEW)
    assert (raised.highest_month, raised.bond_amount) == (D(2025, 8, 1), Decimal("15000.00"))
    assert services.requirement_of(rm0002, REVIEW).bond_amount == 0  # nothing dutiable in the period
    told = AuditEntry.objects.filter(action="security.review_increase")
    assert [entry.after["account"] for entry in told] == [rm0001.pk]
    assert Notification.objects.filter(kind="security.review_increase", recipient=alice).count() == 1


def test_the_review_is_idempotent_and_resumes_where_it_stopped(maple, rm0001, rm0002, alice, sam, sureco, monkeypatch):
    _grown(rm0001, alice, sam, sureco)
    enrol(rm0002)
    monkeypatch.setattr(review, "CHUNK", 1)

    def stop(done, total):
        raise KeyboardInterrupt  # the worker stopped after the first chunk

    with pytest.raises(KeyboardInterrupt):
        review.annual_review(REVIEW, progress=stop)
    assert Requirement.objects.filter(effective_from=REVIEW).count() == 1
    seen = []
    run = review.annual_review(REVIEW, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 2)] and run.finished_at is not None
    assert Requirement.objects.filter(effective_from=REVIEW).count() == 2
    review.annual_review(REVIEW)
    assert Requirement.objects.filter(program_account=rm0001, effective_from=REVIEW).count() == 1
    assert AuditEntry.objects.filter(action="security.review_increase").count() == 1


def test_rpp_is_suspended_after_a_missed_deadline_and_reinstated_when_the_security_is_posted(
    maple, rm0001, alice, sam, sureco
):
    _grown(rm0001, alice, sam, sureco)
    review.annual_review(REVIEW)
    assert review.enforce_deadlines(D(2026, 1, 15)) == 0  # the deadline day itself is still in time
    assert review.enforce_deadlines(D(2026, 1, 16)) == 1
    assert services.status_of(rm0001, D(2026, 1, 16)) == RppStatus.SUSPENDED
    assert review.enforce_deadlines(D(2026, 1, 17)) == 0  # idempotent
    bond = services.provider_bonds(sam).get()
    services.amend(sam, bond, amount="15000.00")
    services.allocate(sam, bond, rm0001, "15000.00")
    assert services.status_of(rm0001) == RppStatus.ENROLLED


def test_an_account_that_posts_the_increase_in_time_keeps_rpp(maple, rm0001, alice, sam, sureco):
    _grown(rm0001, alice, sam, sureco)
    review.annual_review(REVIEW)
    bond = services.provider_bonds(sam).get()
    services.amend(sam, bond, amount="15000.00")
    services.allocate(sam, bond, rm0001, "15000.00")
    assert review.enforce_deadlines(D(2026, 1, 16)) == 0
    assert services.status_of(rm0001, D(2026, 1, 16)) == RppStatus.ENROLLED


def test_the_review_command_runs_for_any_day(maple, rm0001, alice, sam, sureco, capsys):
    _grown(rm0001, alice, sam, sureco)
    call_command("security_review", "--day", "2025-10-20")
    out = capsys.readouterr().out
    assert "review of 2025-10-20: 1 accounts, 1 rose, deadline 2026-01-15" in out

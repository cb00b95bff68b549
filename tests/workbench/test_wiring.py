"""The apps built beside the workbench plug into it: their queues and their scheduled jobs."""

import datetime as dt

import pytest

from rights import Action, OfficerRole
from tests.security.conftest import enrol
from workbench import extensions, services

pytestmark = pytest.mark.django_db


def test_security_appeals_and_outages_have_their_queues_worked_by_their_officer_action():
    assert {"penalties", "security_review"} <= set(extensions.jobs)
    wired = {key: extensions.queues[key].action for key in ("security", "appeals", "outages")}
    assert wired == {
        "security": Action.MANAGE_SECURITY,
        "appeals": Action.DECIDE_APPEALS,
        "outages": Action.DECLARE_OUTAGES,
    }


def test_the_annual_security_review_runs_from_the_workbench_and_a_re_run_has_nothing_to_do(
    officers, rm0001, django_capture_on_commit_callbacks
):
    enrol(rm0001)
    olivia, review_day = officers[OfficerRole.SUPERVISOR], dt.date(2025, 10, 20)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.launch("security_review", review_day, by=olivia, reason="Annual review")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.launch("security_review", review_day, by=olivia, reason="Checking it is done")
    first.refresh_from_db(), again.refresh_from_db()
    assert (first.status, first.count) == ("done", 1)
    assert (again.status, again.count) == ("done", 0)

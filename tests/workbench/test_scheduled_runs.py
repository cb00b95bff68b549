"""The Celery beat runs the officers' jobs through the workbench: each scheduled run is a `Run` in the
list of runs, like a launched one, for the day the job works for; run again, it has nothing to do."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from audit.models import AuditEntry
from ledger.models import LedgerRun
from penalties.models import PenaltyRun
from rights import OfficerRole
from workbench import extensions
from workbench.models import Run
from workbench.tasks import scheduled

pytestmark = pytest.mark.django_db

BEAT = {
    "ledger-daily-clearing": "offsetting",
    "ledger-nightly-interest": "interest",
    "ledger-close-billing-period": "billing_close",
    "penalties-late-accounting": "penalties",
    "security-annual-review": "security_review",
}


def test_the_beat_runs_every_officer_job_through_the_workbench_task():
    for entry, job in BEAT.items():
        beat = settings.CELERY_BEAT_SCHEDULE[entry]
        assert (beat["task"], beat["args"]) == (scheduled.name, [job]), entry
    assert set(BEAT.values()) <= set(extensions.jobs)


def test_a_beat_run_of_the_late_accounting_penalties_is_a_run_for_the_day_that_ended_and_then_nothing_to_do():
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    scheduled.apply(args=["penalties"])
    scheduled.apply(args=["penalties"])
    runs = list(Run.objects.order_by("pk"))
    assert [(run.job, run.day, run.status, run.launched_by) for run in runs] == [
        ("penalties", yesterday, Run.Status.DONE, None)
    ] * 2
    assert runs[1].count == 0
    assert list(PenaltyRun.objects.values_list("day", flat=True)) == [yesterday]
    assert AuditEntry.objects.filter(action="run.scheduled").count() == 2


def test_the_nightly_interest_beat_run_works_for_yesterday_and_the_clearing_for_today():
    today = timezone.localdate()
    scheduled.apply(args=["interest"])
    scheduled.apply(args=["offsetting"])
    assert list(Run.objects.order_by("pk").values_list("job", "day", "status")) == [
        ("interest", today - dt.timedelta(days=1), "done"),
        ("offsetting", today, "done"),
    ]
    assert LedgerRun.objects.filter(job=LedgerRun.Job.INTEREST, day=today - dt.timedelta(days=1)).exists()


def test_the_runs_page_lists_a_scheduled_run_as_launched_by_the_schedule(officers, as_person):
    scheduled.apply(args=["offsetting"])
    page = as_person(officers[OfficerRole.AUDITOR]).get("/fr/cbsa/runs/").content.decode()
    assert "Compensation (apurement quotidien)" in page and "Exécution planifiée" in page


def test_the_account_clean_up_is_a_workbench_job_run_nightly_by_the_beat():
    beat = settings.CELERY_BEAT_SCHEDULE["accounts-clean-up"]
    assert (beat["task"], beat["args"]) == (scheduled.name, ["account_cleanup"])
    scheduled.apply(args=["account_cleanup"])
    run = Run.objects.get()
    assert (run.job, run.status, run.count) == ("account_cleanup", Run.Status.DONE, 0)

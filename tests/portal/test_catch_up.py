"""A living demo (issue 17, item 2): where no beat runs, the scheduled work is caught up — every
missed night of interest and penalties, the statement close on the 25th — idempotently, by
`manage.py catch_up` (make demo) and by the portal on the first request of each new day."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from ledger import tasks
from ledger.models import EntryType, LedgerEntry, LedgerRun, Statement
from portal import catch_up
from tests.ledger.factories import post, rate
from workbench.models import Run

TODAY = dt.date.today()


@pytest.fixture
def left_off(rm0001):
    """RM0001 owes an amount overdue since long ago; the ledger's nights last ran 40 days ago."""
    rate("5", since=dt.date(2022, 1, 1))
    post(rm0001, amount="10000.00", day=TODAY - dt.timedelta(days=90), due_date=TODAY - dt.timedelta(days=60))
    LedgerRun.objects.create(job=LedgerRun.Job.INTEREST, day=TODAY - dt.timedelta(days=41))
    LedgerRun.objects.create(job=LedgerRun.Job.STATEMENTS, day=_period_end_before(TODAY - dt.timedelta(days=41)))
    return rm0001


def _period_end_before(day):
    """The latest billing period end (the 17th) whose statement day (the 25th) came by `day`."""
    month = day.replace(day=1) if day.day >= 25 else (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return month.replace(day=17)


def test_every_missed_night_gets_its_interest_once(left_off):
    tasks.catch_up_until(TODAY)
    nights = LedgerEntry.objects.filter(program_account=left_off, entry_type=EntryType.INTEREST)
    assert sorted(nights.values_list("effective_date", flat=True)) == [
        TODAY - dt.timedelta(days=n) for n in range(40, 0, -1)
    ]
    assert LedgerRun.objects.filter(job=LedgerRun.Job.INTEREST).latest("day").day == TODAY - dt.timedelta(days=1)
    counts = LedgerEntry.objects.count(), Statement.objects.count()
    tasks.catch_up_until(TODAY)
    assert (LedgerEntry.objects.count(), Statement.objects.count()) == counts


def test_a_statement_day_missed_closes_its_period(left_off):
    tasks.catch_up_until(TODAY)
    closed = set(Statement.objects.filter(program_account=left_off).values_list("period_end", flat=True))
    assert _period_end_before(TODAY - dt.timedelta(days=1)) in closed
    assert _period_end_before(TODAY - dt.timedelta(days=41)) not in closed  # closed before the gap


def test_the_command_runs_every_job_and_a_failing_one_does_not_stop_the_others(left_off, settings):
    settings.CARM_CATCH_UP_JOBS = ["portal.no_such_job", "workbench.tasks.ledger_catch_up"]
    results = catch_up.run()
    assert isinstance(results["portal.no_such_job"], ImportError)
    assert results["workbench.tasks.ledger_catch_up"] == 40
    call_command("catch_up")
    assert LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).count() == 40


def test_the_portal_starts_the_catch_up_on_the_first_request_of_a_new_day_only(client, monkeypatch, rm0001):
    started = []

    class InlineThread:  # the background thread, run in the test's own thread and counted
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            started.append(1)
            self.target()

    monkeypatch.setattr(catch_up.threading, "Thread", InlineThread)
    monkeypatch.setattr(catch_up, "close_old_connections", lambda: None)  # the test's own connection stays
    cache.delete(catch_up.DONE_KEY)
    with override_settings(CARM_CATCH_UP_ON_REQUEST=True, CARM_CATCH_UP_JOBS=["workbench.tasks.ledger_catch_up"]):
        client.get("/en/")
        client.get("/en/tariff/")
    assert started == [1]
    assert LedgerRun.objects.filter(job=LedgerRun.Job.INTEREST, day=TODAY - dt.timedelta(days=1)).exists()


def test_the_catch_up_is_a_run_in_the_officers_list_saying_what_it_did(left_off):
    catch_up.run()
    catch_up.run()  # again the same day: a run that found nothing to do
    runs = list(Run.objects.filter(job="ledger_catch_up").order_by("pk").values_list("day", "status", "count"))
    assert runs == [(TODAY, Run.Status.DONE, 40), (TODAY, Run.Status.DONE, 0)]

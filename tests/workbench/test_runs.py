"""Runs: a supervisor launches a registered job; the Celery task feeds its progress into the Run
(done/total, read by the htmx-polled progress bar); results and errors are kept; a re-run of an
idempotent job says there is nothing to do."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from ledger.models import EntryType, InterestRate, LedgerEntry
from ledger.posting import post_entry
from rights import OfficerRole
from workbench import extensions, services
from workbench.models import Run

pytestmark = pytest.mark.django_db


def launch(officer, job, day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.launch(job, day, by=officer, reason="Missed night")
    run.refresh_from_db()
    return run


def test_the_task_feeds_the_runs_progress_as_it_goes(officers, monkeypatch, django_capture_on_commit_callbacks):
    seen = []

    def job(day, progress=None):
        for done in range(1, 4):
            progress(done, 3)
            row = Run.objects.get(job="counting")
            seen.append((row.status, row.done, row.total, row.percent))
        return 3

    monkeypatch.setitem(extensions.jobs, "counting", extensions.Job("counting", "Counting", job))
    run = launch(officers[OfficerRole.SUPERVISOR], "counting", dt.date(2026, 1, 1), django_capture_on_commit_callbacks)
    assert seen == [("running", 1, 3, 33), ("running", 2, 3, 66), ("running", 3, 3, 100)]
    assert (run.status, run.count, run.percent) == ("done", 3, 100) and run.finished_at is not None


@pytest.fixture
def overdue_debt(rm0001):
    """An assessment of 1,000.00 due on 2025-01-31, unpaid, and a prescribed rate: interest runs."""
    InterestRate.objects.create(effective_from=dt.date(2024, 1, 1), prescribed_rate=Decimal("7.000"))
    post_entry(
        rm0001,
        EntryType.ASSESSMENT,
        Decimal("1000.00"),
        effective_date=dt.date(2025, 1, 6),
        due_date=dt.date(2025, 1, 31),
        source_key="test-overdue",
    )


def test_the_interest_run_posts_once_and_a_re_run_has_nothing_to_do(
    officers, overdue_debt, django_capture_on_commit_callbacks
):
    olivia, day = officers[OfficerRole.SUPERVISOR], dt.date(2025, 2, 10)
    first = launch(olivia, "interest", day, django_capture_on_commit_callbacks)
    interest = LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).count()
    assert first.status == "done" and first.count == interest > 0
    again = launch(olivia, "interest", day, django_capture_on_commit_callbacks)
    assert again.status == "done" and again.count == 0
    assert LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).count() == interest


def test_the_run_page_says_nothing_to_do_on_a_re_run_in_both_languages(
    officers, overdue_debt, as_person, django_capture_on_commit_callbacks
):
    olivia, day = officers[OfficerRole.SUPERVISOR], dt.date(2025, 2, 10)
    launch(olivia, "interest", day, django_capture_on_commit_callbacks)
    again = launch(olivia, "interest", day, django_capture_on_commit_callbacks)
    client = as_person(olivia)
    assert "Nothing to do" in client.get(f"/en/cbsa/runs/{again.pk}/").content.decode()
    assert "Rien à faire" in client.get(f"/fr/cbsa/runs/{again.pk}/").content.decode()


def test_a_failing_job_keeps_its_error_and_the_run_says_so(officers, monkeypatch, django_capture_on_commit_callbacks):
    def broken(day, progress=None):
        progress(1, 4)
        raise RuntimeError("bank file missing")

    monkeypatch.setitem(extensions.jobs, "broken", extensions.Job("broken", "Broken", broken))
    run = launch(officers[OfficerRole.SUPERVISOR], "broken", dt.date(2026, 1, 1), django_capture_on_commit_callbacks)
    assert run.status == "failed" and "bank file missing" in run.error and (run.done, run.total) == (1, 4)
    assert AuditEntry.objects.filter(action="run.failed").exists()


def test_the_progress_fragment_polls_while_running_and_stops_when_finished(officers, as_person):
    run = Run.objects.create(job="interest", day=dt.date(2026, 1, 1), reason="x", status="running", done=2, total=8)
    client = as_person(officers[OfficerRole.AUDITOR])
    fragment = client.get(f"/en/cbsa/runs/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'value="25"' in fragment and "<html" not in fragment
    Run.objects.filter(pk=run.pk).update(status="done", count=8)
    fragment = client.get(f"/en/cbsa/runs/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and 'value="100"' in fragment


def test_only_an_officer_allowed_to_run_jobs_launches_one(officers):
    with pytest.raises(PermissionDenied):
        services.launch("interest", dt.date(2026, 1, 1), by=officers[OfficerRole.REVENUE], reason="x")
    assert not Run.objects.exists()


def test_the_launch_form_starts_the_run_and_shows_its_page(officers, as_person, django_capture_on_commit_callbacks):
    client = as_person(officers[OfficerRole.SUPERVISOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/cbsa/runs/", {"job": "offsetting", "day": "2026-01-01", "reason": "Check"})
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/cbsa/runs/{run.pk}/"
    assert run.status == "done" and run.reason == "Check" and run.launched_by == officers[OfficerRole.SUPERVISOR]


@pytest.mark.parametrize(("result", "count"), [((2, 1), 3), ((0, 0), 0), (None, None), (5, 5)])
def test_a_jobs_result_gives_the_runs_count(officers, monkeypatch, django_capture_on_commit_callbacks, result, count):
    monkeypatch.setitem(extensions.jobs, "other", extensions.Job("other", "Other", lambda day, progress=None: result))
    run = launch(officers[OfficerRole.SUPERVISOR], "other", dt.date(2026, 1, 1), django_capture_on_commit_callbacks)
    assert (run.status, run.count) == ("done", count)

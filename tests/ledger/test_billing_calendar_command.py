"""`billing_calendar` answers from the holiday table officers maintain."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from ledger.models import Holiday

pytestmark = pytest.mark.django_db


def _dates(capsys, release_date):
    call_command("billing_calendar", "--release-date", release_date)
    return json.loads(capsys.readouterr().out)


def test_it_prints_the_briefs_example_as_json(capsys):
    assert _dates(capsys, "2025-03-20") == {
        "release_date": "2025-03-20",
        "billing_period_start": "2025-03-18",
        "billing_period_end": "2025-04-17",
        "statement_date": "2025-04-25",
        "payment_due_date": "2025-05-01",
        "cad_due_date": "2025-03-27",
    }


def test_a_holiday_an_officer_adds_defers_the_due_date(capsys):
    assert _dates(capsys, "2025-01-10")["payment_due_date"] == "2025-01-31"
    Holiday.objects.create(date=dt.date(2025, 1, 31), name="Snow day")
    assert _dates(capsys, "2025-01-10")["payment_due_date"] == "2025-02-03"


def test_a_year_without_holiday_data_is_refused_clearly():
    with pytest.raises(CommandError, match="no holiday data for 2031"):
        call_command("billing_calendar", "--release-date", "2031-06-01")


def test_a_malformed_date_is_refused_clearly():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("billing_calendar", "--release-date", "20-03-2025")

"""A living demo (issue 17, item 2): the demo story is placed so that today is inside it — its ten
months end this month or the last, every due date follows from the submission dates shown — and the
catch-up runs the ledger's nights from there to today: the overdue amount keeps accruing interest."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from declarations.models import Declaration
from ledger import balances
from ledger.models import EntryType, LedgerEntry, LedgerRun, Statement

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
# The story's last month: this one once the 25th has closed its statements, else the one before.
LAST_MONTH = TODAY.replace(day=1) if TODAY.day > 25 else (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def test_the_demo_story_ends_last_month_and_the_catch_up_brings_it_to_today():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert "refused" not in output.getvalue()
    releases = sorted(Declaration.objects.values_list("release_date", flat=True))
    assert len(releases) == 30
    assert releases[-1].replace(day=1) == LAST_MONTH
    rm0001 = Statement.objects.filter(program_account__number="123456782RM0001")
    assert rm0001.latest("period_end").period_end == LAST_MONTH.replace(day=17)

    call_command("catch_up", stdout=io.StringIO())
    assert LedgerRun.objects.filter(job=LedgerRun.Job.INTEREST).latest("day").day == TODAY - dt.timedelta(days=1)
    account = rm0001.first().program_account
    assert balances.overdue([account.pk], TODAY)[account.pk] > 0
    assert LedgerEntry.objects.filter(
        program_account=account, entry_type=EntryType.INTEREST, effective_date=TODAY - dt.timedelta(days=1)
    ).exists()

    counts = Declaration.objects.count(), LedgerEntry.objects.count(), Statement.objects.count()
    call_command("seed_demo", stdout=io.StringIO())  # a second run keeps the story where the first put it
    call_command("catch_up", stdout=io.StringIO())
    assert (Declaration.objects.count(), LedgerEntry.objects.count(), Statement.objects.count()) == counts

"""Scheduled ledger runs (settings.CELERY_BEAT_SCHEDULE; the clearing, interest and statement close run
as workbench jobs, workbench.tasks.scheduled). Each is idempotent: run twice, same result."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import interest, offsetting, statements


def _yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


@shared_task
def daily_notices() -> int:
    return statements.daily_notices(_yesterday())


def catch_up_until(today: dt.date) -> int:
    """Every ledger night missed before `today` (only last night, the first time), in the schedule's
    order: each night the day's clearing (23:30), its interest and penalties (00:30), then the
    statement close if the 25th came (02:00); then the daily notices of yesterday. For where no beat
    runs (the workbench's ledger_catch_up job, started by portal.catch_up). Idempotent like the runs
    it is made of; returns the interest entries posted."""
    last = interest.last_run()
    day = last + dt.timedelta(days=1) if last else today - dt.timedelta(days=1)
    posted = 0
    while day < today:
        offsetting.clear_all(day)
        posted += interest.nightly_run(day)
        statements.catch_up(day + dt.timedelta(days=1))
        day += dt.timedelta(days=1)
    statements.catch_up(today)
    statements.daily_notices(today - dt.timedelta(days=1))
    return posted

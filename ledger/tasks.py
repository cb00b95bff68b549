"""Scheduled ledger runs (settings.CELERY_BEAT_SCHEDULE). Each is idempotent: run twice, same result."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import interest, offsetting, statements


def _yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


@shared_task
def close_billing_period() -> int:
    """On the 25th: the statements of the period that ended on the 17th (and of last month, for the
    calendar-month programs), and of any period whose close was missed since the last one."""
    today = timezone.localdate()
    return statements.catch_up(today) + statements.catch_up_months(today)


@shared_task
def daily_clearing() -> int:
    return offsetting.clear_all(timezone.localdate())


@shared_task
def nightly_interest() -> int:
    """Interest and penalties for the day that just ended (after that day's clearing), and for
    every day missed since the last run."""
    return interest.catch_up(_yesterday())


@shared_task
def daily_notices() -> int:
    return statements.daily_notices(_yesterday())

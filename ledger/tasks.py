"""Scheduled ledger runs (settings.CELERY_BEAT_SCHEDULE). Each is idempotent: run twice, same result."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import billing_cycle, interest, offsetting, statements


def _yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


@shared_task
def close_billing_period() -> int:
    """On the 25th: the statements of the period that ended on the 17th."""
    return len(statements.close_period(billing_cycle.billing_period(timezone.localdate().replace(day=1))[1]))


@shared_task
def daily_clearing() -> int:
    return offsetting.clear_all(timezone.localdate())


@shared_task
def nightly_interest() -> int:
    """Interest and penalties for the day that just ended (after that day's clearing)."""
    return interest.nightly_run(_yesterday())


@shared_task
def daily_notices() -> int:
    return statements.daily_notices(_yesterday())

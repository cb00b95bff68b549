"""Scheduled work of the assessment app (settings.CELERY_BEAT_SCHEDULE). Idempotent."""

import logging

from celery import shared_task
from django.utils import timezone

from . import exchange

log = logging.getLogger(__name__)


@shared_task
def fetch_exchange_rates() -> int:
    """The Bank of Canada's rates since the latest one loaded (CBSA serves them from 19:00 ET)."""
    try:
        return exchange.refresh(timezone.localdate())
    except exchange.FeedError as error:  # the next run catches up; the officers can enter a rate meanwhile
        log.warning("exchange rates not refreshed: %s", error)
        return 0

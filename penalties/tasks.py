"""The nightly late-accounting run (settings.CELERY_BEAT_SCHEDULE): idempotent, catches up missed days."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(bind=True)
def late_accounting(self) -> tuple[int, int]:
    """C288/C292 for the day that ended and every day missed since; progress to the task's state."""

    def progress(done, total):
        if not self.request.called_directly and not getattr(self.request, "is_eager", False):
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    return services.catch_up(timezone.localdate() - dt.timedelta(days=1), progress)

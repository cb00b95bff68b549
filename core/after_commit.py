"""Celery work queued once the caller's transaction commits (notices, the RPP usage watch): it reads
what was committed, a transaction rolled back queues nothing, and the caller does not hold its locks
while the work runs."""

from django.conf import settings
from django.db import transaction


def queue_after_commit(task, *args) -> None:
    """`task.delay(*args)` once the current transaction commits (outside one: now). Robust: a broker
    failing after the commit must not make the committed action look failed (logged); the test suite
    wants the failure raised (settings.CARM_NOTIFY_RAISE)."""
    transaction.on_commit(lambda: task.delay(*args), robust=not settings.CARM_NOTIFY_RAISE)

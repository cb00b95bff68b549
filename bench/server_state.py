"""What a running server (or Celery worker) has loaded before the request a bench times: its
URLconf (notices' first reverse() would import it in the timed part: 3.5 s once) and the Celery app
with the notice task run once (the app's first task call finalizes it and builds the task's tracer,
~70 ms once per process; a notice after commit goes through it), and the SQL the notices compile
once per process (notifications.recipients.businesses_with_people, ~3 ms: a worker that told one
close has it). `in_tasks()`: the seconds spent so far in Celery tasks run eagerly (inline, the
embedded default), which a worker would run instead."""

import time

_spent = {"seconds": 0.0}
_started = {}


def warm() -> None:
    from celery.signals import task_postrun, task_prerun
    from django.urls import get_resolver

    from notifications.recipients import businesses_with_people
    from notifications.tasks import tell

    get_resolver()._populate()
    businesses_with_people()
    task_prerun.connect(_start, weak=False)
    task_postrun.connect(_stop, weak=False)
    tell.delay("ledger.period_closed", [])  # no audit entry: tells nobody
    _spent["seconds"] = 0.0


def in_tasks() -> float:
    return _spent["seconds"]


def _start(task_id=None, **kwargs):
    _started[task_id] = time.perf_counter()


def _stop(task_id=None, **kwargs):
    _spent["seconds"] += time.perf_counter() - _started.pop(task_id)

from celery import shared_task

from . import services


@shared_task
def execute(run_pk: int) -> None:
    services.execute_run(run_pk)


@shared_task
def scheduled(job_key: str) -> int | None:
    """A registered job run by the Celery beat (settings.CELERY_BEAT_SCHEDULE): recorded as a `Run`,
    with its progress and outcome, in the officers' list of runs like a launched one."""
    run = services.scheduled_run(job_key)
    return services.execute_run(run.pk).count


def ledger_catch_up() -> int | None:
    """The ledger's catch-up where no beat runs (settings.CARM_CATCH_UP_JOBS: `make demo` and the
    portal's first request of a day), recorded as a Run like the beat's own."""
    return scheduled("ledger_catch_up")

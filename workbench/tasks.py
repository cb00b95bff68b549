from celery import shared_task

from . import services


@shared_task
def execute(run_pk: int) -> None:
    services.execute_run(run_pk)

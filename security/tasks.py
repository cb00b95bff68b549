from celery import shared_task
from django.utils import timezone

from . import review, services


@shared_task
def enforce_deadlines():
    review.enforce_deadlines(timezone.localdate())


@shared_task
def watch_moved(numbers: list[str], bonds: list[int]) -> list[int]:
    """The usage watch of the accounts `numbers` and of those the bonds `bonds` are allocated to
    (security.checks.usage_moved queues it once a posting or a security change has committed)."""
    return services.watch_moved(numbers, bonds)

"""Celery tasks of notifications (settings.CELERY_BEAT_SCHEDULE runs the last three)."""

from celery import shared_task

from . import channels, services, subscribers
from .models import Delivery


@shared_task
def tell(action: str, entry_ids: list[int]) -> None:
    """The notices of a CAD batch or a statement close, queued once its transaction committed."""
    subscribers.tell_recorded(action, entry_ids)


@shared_task
def deliver_each(delivery_ids: list[int]) -> list[str]:
    """The first attempt at the deliveries of one event or batch (queued by emit once its transaction
    committed): one task, one read and one backend for them all, not one of each per delivery."""
    deliveries = Delivery.objects.select_related("notification__recipient").filter(pk__in=delivery_ids)
    backend = channels.backend()
    return [services.deliver(delivery, backend).status for delivery in deliveries]


@shared_task
def retry_due() -> int:
    """Every minute: the deliveries whose backoff has run out get their next attempt."""
    due = list(services.due_retries().select_related("notification__recipient"))
    for delivery in due:
        services.deliver(delivery)
    return len(due)


@shared_task
def send_digests() -> int:
    """Each morning: one email per person with the notifications held for their digest."""
    return services.send_digests()


@shared_task
def scan_tariff_versions() -> int:
    """Tell watchers what new tariff schedule versions changed (each version once)."""
    return services.scan_tariff_versions()

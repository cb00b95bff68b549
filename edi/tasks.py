"""EDI's Celery tasks: process an inbound message, sweep the drop folder, push a delivery (with
exponential backoff), send the day's notices and statements to subscribed channels."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import deliveries, drop_folder, services
from .models import Message


@shared_task
def process_message(message_id: int) -> str:
    reply = services.process(Message.objects.select_related("business", "user").get(pk=message_id))
    return reply.status


@shared_task
def sweep_drop_folder() -> int:
    return drop_folder.sweep()


@shared_task(bind=True, max_retries=deliveries.MAX_ATTEMPTS - 1)
def push(self, delivery_id: int) -> bool:
    """One attempt; on failure Celery retries after the backoff. Run eagerly (the embedded portal, no
    worker to schedule a retry) a failure stays pending for `retry_deliveries`."""
    if deliveries.attempt(delivery_id):
        return True
    if self.request.is_eager:
        return False
    raise self.retry(countdown=deliveries.backoff(self.request.retries))


@shared_task
def retry_deliveries() -> int:
    """Pending deliveries whose backoff has passed (the eager portal's retries; a worker's safety net)."""
    return deliveries.retry_due()


@shared_task
def send_documents() -> int:
    """Yesterday's daily notices and the statements issued yesterday, to subscribed channels."""
    from . import outbound  # lxml and pydifact, as services.codec: not in every worker's heap

    return outbound.send(timezone.localdate() - dt.timedelta(days=1))

"""EDI's Celery tasks: process an inbound message, sweep the drop folder, push a delivery (with
exponential backoff), send the day's notices and statements to subscribed channels."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import deliveries, drop_folder, outbound, services
from .models import Message


@shared_task
def process_message(message_id: int) -> str:
    reply = services.process(Message.objects.get(pk=message_id))
    return reply.status


@shared_task
def sweep_drop_folder() -> int:
    return drop_folder.sweep()


@shared_task(bind=True, max_retries=deliveries.MAX_ATTEMPTS - 1)
def push(self, delivery_id: int) -> bool:
    if not deliveries.attempt(delivery_id):
        raise self.retry(countdown=deliveries.backoff(self.request.retries))
    return True


@shared_task
def send_documents() -> int:
    """Yesterday's daily notices and the statements issued yesterday, to subscribed channels."""
    return outbound.send(timezone.localdate() - dt.timedelta(days=1))

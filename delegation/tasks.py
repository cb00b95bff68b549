from celery import shared_task

from . import services


@shared_task
def expire_relationships() -> dict:
    """Nightly (celery beat): lapse old requests, expire relationships, take departed employees off
    their clients, send the 30/7-day notices."""
    return services.expire_relationships()

from celery import shared_task
from django.utils import timezone

from . import review


@shared_task
def enforce_deadlines():
    review.enforce_deadlines(timezone.localdate())

"""Scheduled payment runs (settings.CELERY_BEAT_SCHEDULE). Each is idempotent: run twice, same result."""

from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .gateways import pad_bank
from .models import Method, Payment, Status
from .remittance import import_remittance


@shared_task
def reconcile_pending() -> int:
    """Resolve card payments the gateway left unanswered."""
    return services.reconcile_pending()


@shared_task
def pad_run() -> dict:
    """Send today's PAD debits to the bank (their credits post), then take the bank's settlement
    report for the debits sent before today: settled, or returned NSF."""
    today = timezone.localdate()
    submitted = services.submit_due_pads(today)
    bank = pad_bank()
    awaiting = Payment.objects.filter(method=Method.PAD, status=Status.COMPLETED, scheduled_for__lt=today)
    settled = [
        services.settle_pad(payment, bank.outcome(payment.pad_agreement), today)
        for payment in awaiting.select_related("pad_agreement")
    ]
    return {"submitted": len(submitted), "settled": len(settled)}


@shared_task
def import_remittance_inbox() -> int:
    """Import the remittance files the banks dropped in settings.CARM_REMITTANCE_INBOX, then move each
    to its `imported/` folder (importing one again would skip every line already posted)."""
    inbox = Path(settings.CARM_REMITTANCE_INBOX)
    files = sorted(inbox.glob("*.csv")) if inbox.is_dir() else []
    for path in files:
        import_remittance(path.read_bytes(), path.name)
        (inbox / "imported").mkdir(exist_ok=True)
        path.rename(inbox / "imported" / path.name)
    return len(files)

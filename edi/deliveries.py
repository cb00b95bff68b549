"""Pushed messages (issue #22.3): every response, CAD status change, notice and statement for a
business with a channel is queued as a Delivery and pushed to its callback URL, signed with the
channel's shared secret (HMAC-SHA256 over "<timestamp>.<body>"), retried with exponential backoff
(edi.tasks.push), logged for the broker to see; what was not pushed waits in the pull queue.

Status changes come from the audit trail (audit.services.recorded), so a correction made in the
portal reaches the broker's software as one made by EDI does."""

import datetime as dt
import hashlib
import hmac
import time
import urllib.request

from django.db import transaction
from django.utils import timezone

from .models import Channel, Delivery, Message

MAX_ATTEMPTS = 6
BASE_DELAY = 30  # seconds: 30, 60, 120, 240, 480 between the attempts [DESIGN]
SIGNATURE_HEADER = "X-CARM-Signature"


def backoff(retries: int) -> int:
    """Seconds before the next attempt, after `retries` failed retries."""
    return BASE_DELAY * 2**retries


def sign(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, now: int | None = None, tolerance: int = 300) -> bool:
    """What a receiver checks (documented for brokers; used by the tests): the signature matches
    and is at most `tolerance` seconds old."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError):
        return False
    fresh = abs((now or int(time.time())) - timestamp) <= tolerance
    return fresh and hmac.compare_digest(sign(secret, body, timestamp), header)


def http_post(url: str, body: bytes, headers: dict, timeout: float = 10) -> int:
    """The transport: an HTTP POST answering the status code (tests inject their own)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (a registered https/http URL)
        return response.status


transport = http_post


def dispatch(message: Message) -> Delivery | None:
    """Queue `message` for its business's channel; pushed after the transaction commits."""
    channel = Channel.objects.filter(business=message.business).first()
    if channel is None:
        return None
    delivery, _created = Delivery.objects.get_or_create(channel=channel, message=message)
    if channel.callback_url:
        from . import tasks  # tasks import this module

        transaction.on_commit(lambda: tasks.push.delay(delivery.pk))
    return delivery


def attempt(delivery_id: int) -> bool:
    """One push of a delivery; True when delivered (or nothing left to do)."""
    delivery = Delivery.objects.select_related("channel", "message").get(pk=delivery_id)
    if delivery.status != Delivery.Status.PENDING or not delivery.channel.callback_url:
        return True
    body = delivery.message.raw.encode()
    headers = {
        "Content-Type": "application/xml" if delivery.message.format == "xml" else "application/edifact",
        SIGNATURE_HEADER: sign(delivery.channel.secret, body, int(time.time())),
        "X-CARM-Correlation-Id": str(delivery.message.correlation_id),
        "X-CARM-Message-Kind": delivery.message.kind,
    }
    error = ""
    try:
        status = transport(delivery.channel.callback_url, body, headers)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except Exception as problem:  # noqa: BLE001 (any failure of the receiver is logged and retried)
        error = f"{type(problem).__name__}: {problem}"[:300]
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.last_error = error
    if not error:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED  # still in the pull queue
    delivery.save()
    return delivery.status != Delivery.Status.PENDING


def retry_due(now=None) -> int:
    """Attempt again every pending delivery to a callback whose backoff since its last attempt has passed."""
    now = now or timezone.now()
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING, attempts__gt=0).exclude(channel__callback_url="")
    due = [d.pk for d in pending if d.last_attempt_at + dt.timedelta(seconds=backoff(d.attempts - 1)) <= now]
    for delivery_id in due:
        attempt(delivery_id)
    return len(due)


def queue(business) -> list[Delivery]:
    """The pull queue: what was not delivered by push nor pulled yet, oldest first."""
    return list(
        Delivery.objects.filter(channel__business=business, delivered_at__isnull=True, pulled_at__isnull=True)
        .select_related("message")
        .order_by("id")[:100]
    )


def acknowledge(business, correlation_ids: list[str]) -> int:
    return Delivery.objects.filter(
        channel__business=business, message__correlation_id__in=correlation_ids, pulled_at__isnull=True
    ).update(pulled_at=timezone.now())

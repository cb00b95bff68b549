"""Pushed status (issue #22.3): responses and every CAD status change go to the broker's callback,
signed with its shared secret, retried with exponential backoff, logged; the pull queue keeps what
was not pushed. No network: the transport is injected (tests/edi/conftest.py)."""

import time

import pytest

from declarations import services as cads
from edi import channels, deliveries, tasks, wco_xml
from edi.models import Channel, Delivery, Kind

from .conftest import cad, line, message


@pytest.fixture
def channel(broker, northern, send):
    return channels.configure(broker, northern, callback_url="https://broker.example/carm", format="xml").channel


def test_setting_up_a_channel_shows_the_secret_once_and_audits_it(broker, northern):
    from audit.models import AuditEntry

    first = channels.configure(broker, northern, callback_url="https://broker.example/carm")
    again = channels.configure(broker, northern, format="edifact")
    assert first.secret == first.channel.secret and again.secret == ""
    assert AuditEntry.objects.filter(action="edi.channel_set").count() == 2


def test_a_response_is_pushed_signed_with_the_channel_secret(send, channel, transport):
    send(wco_xml.dumps(message()))
    responses = [sent for sent in transport.sent if sent[2]["X-CARM-Message-Kind"] == Kind.RESPONSE]
    assert len(responses) == 1
    url, body, headers = responses[0]
    channel.refresh_from_db()
    assert url == "https://broker.example/carm"
    assert deliveries.verify(channel.secret, body, headers[deliveries.SIGNATURE_HEADER])
    assert not deliveries.verify("another secret", body, headers[deliveries.SIGNATURE_HEADER])


def test_a_signature_older_than_the_tolerance_does_not_verify(channel):
    old = int(time.time()) - 3600
    assert not deliveries.verify(channel.secret, b"x", deliveries.sign(channel.secret, b"x", old))


def test_a_correction_made_in_the_portal_is_pushed_to_the_broker(
    send, channel, transport, broker, today, django_capture_on_commit_callbacks
):
    send(wco_xml.dumps(message()))
    number = Delivery.objects.filter(message__kind=Kind.RESPONSE).get().message.transaction_number
    transport.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = cads.amend(broker, number, cad(line(value="20000.00")), expected_version=1)
    assert outcome.code == 39
    statuses = [s for s in transport.sent if s[2]["X-CARM-Message-Kind"] == Kind.STATUS]
    assert (
        len(statuses) == 1 and number.encode() in statuses[0][1] and b"<VersionID>00002</VersionID>" in statuses[0][1]
    )


def test_a_failed_push_is_retried_with_exponential_backoff_then_left_in_the_pull_queue(channel, transport):
    from edi.models import Direction, Message

    assert [deliveries.backoff(n) for n in range(4)] == [30, 60, 120, 240]
    outbound = Message.objects.create(direction=Direction.OUT, kind=Kind.STATUS, format="xml",
                                      business=channel.business, raw="<x/>", size=4)  # fmt: skip
    delivery = Delivery.objects.create(channel=channel, message=outbound)
    transport.statuses.extend([500] * deliveries.MAX_ATTEMPTS)
    results = [deliveries.attempt(delivery.pk) for _ in range(deliveries.MAX_ATTEMPTS)]
    delivery.refresh_from_db()
    assert results == [False] * (deliveries.MAX_ATTEMPTS - 1) + [True]
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", deliveries.MAX_ATTEMPTS, "HTTP 500")
    assert [d.pk for d in deliveries.queue(channel.business)] == [delivery.pk]


def test_the_push_task_asks_celery_to_retry_after_the_backoff(channel, transport, monkeypatch):
    from edi.models import Direction, Message

    outbound = Message.objects.create(direction=Direction.OUT, kind=Kind.STATUS, format="xml",
                                      business=channel.business, raw="<x/>", size=4)  # fmt: skip
    delivery = Delivery.objects.create(channel=channel, message=outbound)
    transport.statuses.append(503)
    asked = []

    def retry(task, countdown):
        asked.append(countdown)
        return RuntimeError("retrying")

    monkeypatch.setattr(type(tasks.push._get_current_object()), "retry", retry)
    with pytest.raises(RuntimeError):
        tasks.push.run(delivery.pk)  # as a worker runs it (not eager)
    assert asked == [deliveries.backoff(0)]


def test_a_due_pending_delivery_is_attempted_again_after_its_backoff(channel, transport):
    import datetime as dt

    from django.utils import timezone

    from edi.models import Direction, Message

    outbound = Message.objects.create(direction=Direction.OUT, kind=Kind.STATUS, format="xml",
                                      business=channel.business, raw="<x/>", size=4)  # fmt: skip
    delivery = Delivery.objects.create(channel=channel, message=outbound)
    transport.statuses.append(500)
    deliveries.attempt(delivery.pk)
    soon = timezone.now() + dt.timedelta(seconds=deliveries.backoff(0) - 5)
    assert deliveries.retry_due(now=soon) == 0
    assert deliveries.retry_due(now=soon + dt.timedelta(seconds=10)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_the_pull_queue_serves_undelivered_messages_until_acknowledged(client, send, broker, northern):
    channels.configure(broker, northern)  # no callback: everything waits in the queue
    send(wco_xml.dumps(message()))
    auth = {"HTTP_AUTHORIZATION": f"Token {send.key}"}
    queued = client.get("/api/v1/edi/queue", **auth).json()
    assert [item["kind"] for item in queued] == [Kind.RESPONSE, Kind.STATUS] or sorted(
        item["kind"] for item in queued
    ) == sorted([Kind.RESPONSE, Kind.STATUS])
    ids = [item["correlation_id"] for item in queued]
    acked = client.post("/api/v1/edi/queue", {"correlation_ids": ids}, content_type="application/json", **auth)
    assert acked.json() == {"acknowledged": len(ids)}
    assert client.get("/api/v1/edi/queue", **auth).json() == []


def test_the_delivery_log_shows_the_broker_its_pushes(client, send, channel, transport):
    transport.statuses.append(500)
    send(wco_xml.dumps(message()))
    log = client.get("/api/v1/edi/deliveries", HTTP_AUTHORIZATION=f"Token {send.key}").json()["results"]
    assert {entry["status"] for entry in log} <= {"pending", "delivered"} and len(log) == len(transport.sent) - 0
    assert any(entry["last_error"] == "HTTP 500" for entry in log)


def test_another_business_cannot_configure_a_brokers_channel(alice, northern):
    outcome = channels.configure(alice, northern, callback_url="https://evil.example/")
    assert outcome.error[1] == "not_permitted" and not Channel.objects.exists()

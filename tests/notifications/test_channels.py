"""Delivery: the console backend (emails through Django's backend, SMS to a file), the GC Notify
adapter (template id per channel and language, the text as personalisation) over a fake HTTP
transport, retries with doubling backoff, delivery status kept."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from notifications import channels, services, tasks
from notifications.channels import GCNotifyBackend
from notifications.models import Delivery, Notification

TEMPLATES = {
    "email": {"en": "11111111-1111-4111-8111-111111111111", "fr": "22222222-2222-4222-8222-222222222222"},
    "sms": {"en": "33333333-3333-4333-8333-333333333333", "fr": "44444444-4444-4444-8444-444444444444"},
}


class FakeTransport:
    """Answers the queued (status, body) in turn and keeps what was posted."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.posted = []

    def __call__(self, url, headers, payload):
        self.posted.append((url, headers, payload))
        return self.answers.pop(0)


@pytest.fixture
def gcnotify(settings):
    settings.CARM_NOTIFY_BACKEND = "gcnotify"
    settings.CARM_NOTIFY_API_KEY = "carm-test-key"
    settings.CARM_NOTIFY_TEMPLATES = TEMPLATES
    settings.CARM_NOTIFY_FIRST_RETRY = 60
    settings.CARM_NOTIFY_MAX_ATTEMPTS = 3


def _payment_failed(rm0001, person, channels=("inbox", "email")):
    services.set_preference(person, "payment.failed", set(channels))
    notices = services.emit(
        "payment.failed", program_account=rm0001, key="P-1", context={"reference": "P2501", "amount": "350.00"}
    )
    return next(notice for notice in notices if notice.recipient == person)


def test_gc_notify_gets_the_template_of_the_person_s_language_and_the_text_as_personalisation(
    gcnotify, maple, rm0001, alice, olivia
):
    alice.preferred_language = "fr"
    alice.save()
    notice = _payment_failed(rm0001, alice)
    transport = FakeTransport((201, {"id": "f0e1d2c3-0000-4000-8000-000000000001"}))
    delivery = services.deliver(notice.deliveries.get(channel="email"), GCNotifyBackend(transport))
    [(url, headers, payload)] = transport.posted
    assert url == "https://api.notification.canada.ca/v2/notifications/email"
    assert headers["Authorization"] == "ApiKey-v1 carm-test-key"
    assert payload["email_address"] == "alice@maple.example"
    assert payload["template_id"] == TEMPLATES["email"]["fr"]
    assert payload["personalisation"]["subject"] == "Paiement échoué"
    assert "Le paiement P2501 de 350,00\xa0$ a échoué : rien n'a été prélevé." in payload["personalisation"]["body"]
    assert (delivery.status, delivery.attempts, delivery.provider_reference) == (
        "sent",
        1,
        "f0e1d2c3-0000-4000-8000-000000000001",
    )


def test_a_failure_that_may_pass_is_retried_with_doubling_backoff_then_given_up(gcnotify, maple, rm0001, alice):
    notice = _payment_failed(rm0001, alice)
    transport = FakeTransport(
        (503, {"errors": [{"error": "ServiceUnavailable", "message": "Try later"}]}),
        (429, {"errors": [{"error": "RateLimitError", "message": "Exceeded rate limit"}]}),
        (500, {}),
    )
    backend = GCNotifyBackend(transport)
    delivery = notice.deliveries.get(channel="email")
    before = timezone.now()
    services.deliver(delivery, backend)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("retrying", 1, "Try later")
    assert dt.timedelta(seconds=59) < delivery.next_attempt_at - before < dt.timedelta(seconds=61)
    services.deliver(delivery, backend)
    assert delivery.status == "retrying" and delivery.attempts == 2
    assert dt.timedelta(seconds=119) < delivery.next_attempt_at - before < dt.timedelta(seconds=122)  # doubled
    services.deliver(delivery, backend)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)  # the limit: 3


def test_the_retry_task_takes_only_the_deliveries_whose_wait_is_over(gcnotify, maple, rm0001, alice, monkeypatch):
    notice = _payment_failed(rm0001, alice)
    delivery = notice.deliveries.get(channel="email")
    delivery.status, delivery.attempts = "retrying", 1
    delivery.next_attempt_at = timezone.now() + dt.timedelta(minutes=1)
    delivery.save()
    transport = FakeTransport((201, {"id": "abc"}))
    monkeypatch.setitem(channels.BACKENDS, "gcnotify", lambda: GCNotifyBackend(transport))
    assert tasks.retry_due() == 0  # not yet
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert tasks.retry_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.provider_reference) == ("sent", 2, "abc")


def test_a_refusal_that_will_not_pass_fails_at_once(gcnotify, maple, rm0001, alice):
    notice = _payment_failed(rm0001, alice)
    transport = FakeTransport(
        (400, {"errors": [{"error": "BadRequestError", "message": "email_address Not a valid email address"}]})
    )
    delivery = services.deliver(notice.deliveries.get(channel="email"), GCNotifyBackend(transport))
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "failed",
        1,
        "email_address Not a valid email address",
    )


def test_sms_goes_to_the_person_s_number_through_gc_notify(gcnotify, maple, rm0001, alice):
    services.set_profile(alice, phone="613 555 0123", daily_digest=False)
    notice = _payment_failed(rm0001, alice, channels=("sms",))
    assert not notice.in_inbox and [d.channel for d in notice.deliveries.all()] == ["sms"]
    transport = FakeTransport((201, {"id": "sms-1"}))
    services.deliver(notice.deliveries.get(), GCNotifyBackend(transport))
    [(url, _headers, payload)] = transport.posted
    assert url.endswith("/v2/notifications/sms")
    assert (payload["phone_number"], payload["template_id"]) == ("+16135550123", TEMPLATES["sms"]["en"])
    assert payload["personalisation"]["body"] == "Payment failed: Payment P2501 of $350.00 failed: nothing was charged."


def test_the_console_backend_sends_email_through_django_and_writes_sms_to_a_file(
    maple, rm0001, alice, sms_file, mailoutbox, commits
):
    services.set_profile(alice, phone="+1 613 555 0123", daily_digest=False)
    with commits():
        notice = _payment_failed(rm0001, alice, channels=("inbox", "email", "sms"))
    assert {d.channel: d.status for d in notice.deliveries.all()} == {"email": "sent", "sms": "sent"}
    [email] = [m for m in mailoutbox if m.to == ["alice@maple.example"]]
    assert email.subject == "Payment failed" and email.to == ["alice@maple.example"]
    assert "Payment P2501 of $350.00 failed: nothing was charged." in email.body
    assert email.alternatives[0][1] == "text/html"
    [line] = [json.loads(text) for text in sms_file.read_text().splitlines()]
    assert (line["to"], line["language"]) == ("+16135550123", "en")
    assert Notification.objects.inbox_of(alice).count() == 1


def test_a_template_missing_for_a_language_fails_clearly(gcnotify, settings, maple, rm0001, alice):
    settings.CARM_NOTIFY_TEMPLATES = {"email": {"en": TEMPLATES["email"]["en"]}}
    alice.preferred_language = "fr"
    alice.save()
    notice = _payment_failed(rm0001, alice)
    delivery = services.deliver(notice.deliveries.get(channel="email"), GCNotifyBackend(FakeTransport()))
    assert (delivery.status, delivery.last_error) == ("failed", "no GC Notify email template for fr")


def test_an_event_s_deliveries_go_out_in_one_task_read_at_once(maple, rm0001, alice, reader, mailoutbox, commits):
    """The deliveries of one emit are sent by one task after commit: read in one query, through one
    backend (was a task, a read and a backend per delivery), each person still getting their email."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = []
    real = channels.backend

    def backend():
        made.append(real())
        return made[-1]

    with pytest.MonkeyPatch.context() as patch, CaptureQueriesContext(connection) as queries:
        patch.setattr(channels, "backend", backend)
        with commits():
            notices = services.emit(
                "payment.failed", program_account=rm0001, key="P-1", context={"reference": "P2501", "amount": "350.00"}
            )
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "notifications_delivery"')]
    assert len(notices) >= 2 and len(reads) == len(made) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(notice.recipient.email for notice in notices)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

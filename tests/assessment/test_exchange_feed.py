"""The Bank of Canada feed (Valet adapter and scheduled task, tested on a recorded response, no
network), the demo-only rates, the rates officers enter (audited, never over a published rate) and
the message a person gets when a date has no rate yet."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from accounts.demo import ensure_person
from assessment import exchange, tasks
from assessment.models import ExchangeRate
from audit.models import AuditEntry
from rights import OfficerRole

RECORDED = Path(__file__).parent / "data" / "valet_fx_daily_2025-12-24_30.json"
Source = ExchangeRate.Source


def recorded(start, end):
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_the_valet_adapter_reads_the_banks_json(db):
    assert exchange.refresh(date(2025, 12, 31), fetch=recorded) == 9
    applied = exchange.rate_on("USD", date(2025, 12, 31))
    assert (applied.cad_per_unit, applied.published_on, applied.source) == (
        Decimal("1.3693"),
        date(2025, 12, 30),
        Source.BANK_OF_CANADA,
    )


def test_a_refresh_asks_from_the_day_after_the_latest_rate_and_adds_nothing_twice(db):
    ExchangeRate.objects.create(currency="USD", date=date(2025, 12, 23), cad_per_unit=Decimal("1.37"))
    asked = []

    def fetch(start, end):
        asked.append((start, end))
        return recorded(start, end)

    exchange.refresh(date(2025, 12, 31), fetch=fetch)
    exchange.refresh(date(2025, 12, 31), fetch=fetch)
    assert asked == [(date(2025, 12, 24), date(2025, 12, 31)), (date(2025, 12, 31), date(2025, 12, 31))]
    assert ExchangeRate.objects.count() == 10


def test_a_feed_that_cannot_be_read_is_a_feed_error(db):
    def down(start, end):
        raise OSError("network unreachable")

    with pytest.raises(exchange.FeedError):
        exchange.refresh(date(2026, 1, 5), fetch=down)
    with pytest.raises(exchange.FeedError):
        exchange.refresh(date(2026, 1, 5), fetch=lambda start, end: {"observations": [{"d": "not a date"}]})


def test_the_scheduled_task_survives_a_feed_outage(db, monkeypatch):
    monkeypatch.setattr(exchange, "fetch_valet", lambda start, end: (_ for _ in ()).throw(OSError("down")))
    assert tasks.fetch_exchange_rates() == 0


def test_the_feed_is_scheduled_on_business_day_evenings():
    entry = settings.CELERY_BEAT_SCHEDULE["assessment-fetch-exchange-rates"]
    assert entry["task"] == "assessment.tasks.fetch_exchange_rates"
    assert (entry["schedule"].hour, entry["schedule"].day_of_week) == ({19}, {1, 2, 3, 4, 5})


def test_demo_rates_carry_the_last_shipped_rate_to_today_and_the_feed_replaces_them(db):
    exchange.refresh(date(2025, 12, 30), fetch=recorded)
    assert exchange.seed_demo_rates(date(2026, 1, 5)) == 3 * 4  # Wed 31 Dec, Thu 1, Fri 2, Mon 5 Jan
    applied = exchange.rate_on("USD", date(2026, 1, 5))
    assert (applied.cad_per_unit, applied.source) == (Decimal("1.3693"), Source.DEMO)
    assert "demo-only" in exchange.explain(applied)
    exchange._store([("USD", date(2026, 1, 5), Decimal("1.3712"))], Source.BANK_OF_CANADA)
    applied = exchange.rate_on("USD", date(2026, 1, 5))
    assert (applied.cad_per_unit, applied.source) == (Decimal("1.3712"), Source.BANK_OF_CANADA)


def test_a_date_without_a_rate_yet_tells_the_person_what_to_do(db):
    exchange.refresh(date(2025, 12, 30), fetch=recorded)
    with pytest.raises(exchange.ExchangeRateError) as raised:
        exchange.rate_on("USD", date(2026, 12, 1))
    assert raised.value.code == "no_exchange_rate"
    assert "19:00 ET" in str(raised.value.message) and "ask CBSA" in str(raised.value.message)


@pytest.fixture
def officer(db):
    return ensure_person("rowan@cbsa.example", "Rowan Revenue", officer_roles=[OfficerRole.REVENUE])


def test_an_officer_enters_a_currency_the_bank_does_not_publish_and_it_is_audited(officer):
    rate = exchange.enter_rate(officer, "twd", date(2026, 12, 1), Decimal("0.04315"), today=date(2026, 12, 4))
    assert (rate.currency, rate.source) == ("TWD", Source.OFFICER)
    applied = exchange.rate_on("TWD", date(2026, 12, 2))
    assert (applied.cad_per_unit, applied.published_on) == (Decimal("0.04315"), date(2026, 12, 1))
    entry = AuditEntry.objects.get(action="assessment.exchange_rate_entered")
    assert (entry.actor, entry.after["cad_per_unit"]) == (officer, "0.04315")


def test_an_officer_cannot_replace_a_published_bank_of_canada_rate(officer):
    exchange.refresh(date(2025, 12, 30), fetch=recorded)
    with pytest.raises(exchange.RateEntryError) as refused:
        exchange.enter_rate(officer, "USD", date(2025, 12, 30), Decimal("1.5"), today=date(2026, 12, 4))
    assert refused.value.code == "published_rate"


def test_only_an_officer_enters_a_rate(django_user_model):
    importer = django_user_model.objects.create_user(email="alice@maple.example", password="x")
    with pytest.raises(PermissionDenied):
        exchange.enter_rate(importer, "TWD", date(2026, 12, 1), Decimal("0.04"), today=date(2026, 12, 4))

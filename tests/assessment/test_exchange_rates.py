"""A foreign price converts at the Bank of Canada rate of the date of direct shipment, else of the
nearest previous business day (bounded look-back); the loader reads the Bank's CSV and Valet JSON."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessment import exchange
from assessment.models import ExchangeRate

from .test_estimate_fixtures import DAY, usd_rates  # noqa: F401 (fixture)


def test_the_rate_of_the_shipment_date_applies(usd_rates):
    applied = exchange.rate_on("usd", DAY)
    assert (applied.cad_per_unit, applied.published_on) == (Decimal("1.15"), DAY)


def test_a_weekend_shipment_takes_the_previous_business_days_rate(usd_rates):
    applied = exchange.rate_on("USD", date(2025, 1, 5))  # Sunday
    assert (applied.cad_per_unit, applied.published_on) == (Decimal("1.15"), DAY)


def test_no_rate_within_the_look_back_is_an_error(usd_rates):
    with pytest.raises(exchange.ExchangeRateError) as raised:
        exchange.rate_on("USD", DAY.replace(day=3 + exchange.LOOKBACK_DAYS))
    assert raised.value.code == "no_exchange_rate"


def test_a_date_before_any_rate_is_an_error(usd_rates):
    with pytest.raises(exchange.ExchangeRateError) as raised:
        exchange.rate_on("USD", date(2024, 12, 31))
    assert raised.value.code == "no_exchange_rate"


def test_a_currency_without_rates_is_unknown(usd_rates):
    with pytest.raises(exchange.ExchangeRateError) as raised:
        exchange.rate_on("XYZ", DAY)
    assert raised.value.code == "unknown_currency"


def test_the_canadian_dollar_is_one(db):
    assert exchange.rate_on("CAD", DAY).cad_per_unit == 1


CSV = "date,FXUSDCAD,FXEURCAD,FXVNDCAD\n2025-01-02,1.4400,1.4900,\n2025-01-03,1.4410,1.4850,0.000057\n"


def test_the_loader_reads_the_bank_csv_and_is_idempotent(db, tmp_path):
    path = tmp_path / "fx.csv"
    path.write_text(CSV)
    call_command("load_exchange_rates", str(path))
    call_command("load_exchange_rates", str(path))
    assert ExchangeRate.objects.count() == 5  # the blank VND cell is skipped
    assert ExchangeRate.objects.get(currency="VND", date=DAY).cad_per_unit == Decimal("0.000057")


def test_the_loader_reads_a_valet_response(db, tmp_path):
    path = tmp_path / "valet.json"
    path.write_text(
        json.dumps(
            {
                "terms": {"url": "https://www.bankofcanada.ca/terms/"},
                "seriesDetail": {"FXUSDCAD": {"label": "USD/CAD"}},
                "observations": [
                    {"d": "2025-01-02", "FXUSDCAD": {"v": "1.4400"}},
                    {"d": "2025-01-03", "FXUSDCAD": {"v": "1.4410"}},
                ],
            }
        )
    )
    assert exchange.load(path) == 2
    assert exchange.load(path) == 2
    assert exchange.rate_on("USD", date(2025, 1, 4)).cad_per_unit == Decimal("1.4410")
    assert ExchangeRate.objects.count() == 2


def test_the_loader_refuses_another_file(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("when,what\n1,2\n")
    with pytest.raises(ValueError):
        exchange.load(path)


def test_the_shipped_rates_load_in_the_demo(db):
    from assessment.demo import RATES, seed

    assert RATES.exists()
    seed()
    assert exchange.rate_on("USD", date(2025, 12, 30)).cad_per_unit == Decimal("1.3693")

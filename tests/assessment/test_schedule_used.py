"""An estimate says which tariff schedule it was assessed on, and whether that is the edition in
force on the shipment date (the Customs Tariff is re-issued every 1 January; a year whose edition is
not loaded falls on the latest loaded before it)."""

from datetime import date

from assessment import services
from tariff.models import DataLoad

from .test_estimate_fixtures import DAY, WATER, tariff_rows, usd_rates  # noqa: F401 (fixtures)


def test_a_date_without_its_years_edition_says_which_schedule_was_used(tariff_rows):
    result = services.estimate(
        {"shipment_date": DAY.isoformat(), "lines": [{"classification": WATER, "origin": "US", "value": "100.00"}]}
    )
    [line] = result["lines"]
    assert line["tariff_schedule"] == "test"
    assert line["explanation"]["tariff_schedule"] == (
        "Assessed on the tariff schedule test (in force from 2020-01-01): the edition in force on 2025-01-03 "
        "is not loaded, so its rates may differ."
    )


def test_a_date_in_the_schedules_own_year_says_so_plainly(tariff_rows):
    DataLoad.objects.filter(label="test").update(effective_date=date(2025, 1, 1))
    found = services.find_classification(WATER, DAY)
    assert (
        services.schedule_used(found, DAY, "MFN") == "Assessed on the tariff schedule test, in force from 2025-01-01."
    )


def test_the_why_of_a_foreign_price_names_the_bank_of_canada_rate(tariff_rows, usd_rates):
    result = services.estimate(
        {
            "shipment_date": DAY.isoformat(),
            "lines": [{"classification": WATER, "origin": "US", "value": "100.00", "currency": "USD"}],
        }
    )
    [line] = result["lines"]
    assert line["exchange_rate_source"] == "boc"
    assert line["explanation"]["exchange_rate"] == (
        "1.15 CAD per USD, the Bank of Canada rate of 2025-01-03 (Customs Act s.55; D13-2-3)"
    )
    assert line["explanation"]["tariff_treatment"].startswith("UST (United States Tariff (CUSMA), CAD code 010;")

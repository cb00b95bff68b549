"""The date of direct shipment (issue #15.5; D17-1-10 field 31): a column of each invoice, required
(no silent fallback to the release date), on or before the release date, and the date whose
exchange rate converts the invoice's prices (D13-2-3; Customs Act s.55)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from declarations import services
from declarations.models import Declaration

from .conftest import cad, line


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def usd(shipment_date):
    invoice = {"number": "US-1", "amount": "100.00", "currency": "USD", "vendor_name": "V", "vendor_country": "FR"}
    return [{**invoice, "shipment_date": shipment_date}]


def codes(outcome):
    return [(error.pointer, error.code) for error in outcome.errors]


def test_the_rate_of_the_date_of_direct_shipment_applies_not_the_release_date(
    maple, alice, tariff_rows, usd_rates, today
):
    # Released 3 Jan 2025 (USD 1.15 that day), shipped 2 Jan 2025 (USD 1.44): 100.00 USD → VFD 144.00.
    outcome = services.submit(alice, cad(line(invoice="US-1", value="100.00"), invoices=usd("2025-01-02")))
    assert outcome.code == 39, outcome.errors
    saved = outcome.version.lines.get()
    assert (saved.exchange_rate, saved.vfd) == (Decimal("1.44"), Decimal("144.00"))
    assert outcome.version.invoices.get().shipment_date == dt.date(2025, 1, 2)


def test_each_invoice_converts_at_its_own_shipment_date(maple, alice, tariff_rows, usd_rates, today):
    invoices = usd("2025-01-02") + [{**usd("2025-01-03")[0], "number": "US-2"}]
    lines = [line(invoice="US-1", value="100.00"), line(invoice="US-2", value="100.00")]
    outcome = services.submit(alice, cad(*lines, invoices=invoices))
    assert [row.vfd for row in outcome.version.lines.order_by("number")] == [Decimal("144.00"), Decimal("115.00")]


def test_the_date_of_direct_shipment_is_required(maple, alice, tariff_rows, usd_rates, today):
    outcome = services.submit(alice, cad(line(invoice="US-1", value="100.00"), invoices=usd("")))
    assert codes(outcome) == [("/invoices/0/shipment_date", "required")]
    assert not Declaration.objects.exists()


def test_a_shipment_after_release_is_refused(maple, alice, tariff_rows, usd_rates, today):
    outcome = services.submit(alice, cad(line(invoice="US-1", value="100.00"), invoices=usd("2025-01-04")))
    assert codes(outcome) == [("/invoices/0/shipment_date", "shipment_after_release")]
    assert str(outcome.errors[0].message) == (
        "The date of direct shipment (2025-01-04) is after the release date (2025-01-03): goods are shipped to "
        "Canada before they are released (D17-1-10, field 31)."
    )
    with translation.override("fr"):
        assert str(outcome.errors[0].message).startswith("La date d'expédition directe (2025-01-04) est postérieure")
    assert not Declaration.objects.exists()


def test_the_header_shipment_date_of_before_is_no_longer_a_field(maple, alice, tariff_rows, usd_rates, today):
    outcome = services.submit(alice, cad(shipment_date="2025-01-02"))
    assert codes(outcome) == [("/shipment_date", "unknown_field")]


def test_a_change_of_a_cad_accepted_before_starts_from_its_stored_shipment_date(
    client, maple, alice, tariff_rows, today
):
    from tests.conftest import sign_in

    version = services.submit(alice, cad()).version
    old = {**version.payload, "invoices": [{**version.payload["invoices"][0]}]}
    old["invoices"][0].pop("shipment_date")  # as received before the date was asked per invoice
    version.payload = old
    version.save(update_fields=["payload"])
    sign_in(client, alice)
    page = client.get(f"/en/declarations/{version.transaction_number}/change/").content.decode()
    assert 'input-id="id_invoices-0-shipment_date"' in page
    field = page[page.index('input-id="id_invoices-0-shipment_date"') :].split(">", 1)[0]
    assert 'value="2025-01-03"' in field

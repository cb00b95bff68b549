"""The data step of declarations 0002: an invoice saved before the date of direct shipment was its
column takes the date its exchange rate was looked up on — the version's header `shipment_date` as
received, else its release date (the validator's fallback then)."""

import datetime as dt
import importlib

from django.apps import apps

from declarations import services
from declarations.models import Invoice

from .conftest import cad

migration = importlib.import_module("declarations.migrations.0003_invoice_shipment_date_line_adjustments")


def test_existing_invoices_take_the_shipment_date_they_were_converted_at(maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    given, fallback = services.submit(alice, cad()).version, services.submit(alice, cad()).version
    given.payload = {**given.payload, "shipment_date": "2024-12-30"}  # the header field of before
    given.save(update_fields=["payload"])
    Invoice.objects.update(shipment_date=dt.date(2000, 1, 1))
    migration.fill_shipment_dates(apps, None)
    assert given.invoices.get().shipment_date == dt.date(2024, 12, 30)
    assert fallback.invoices.get().shipment_date == dt.date(2025, 1, 3)  # its release date

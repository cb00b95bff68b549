"""The date of direct shipment becomes a column of each invoice (issue #15.5) and a line carries its
Customs Act s.48(5) additions and deductions (issue #15.3).

Existing invoices take the date their exchange rate was looked up on: the version's `shipment_date`
as received (a header field until now), else its release date (the fallback the validator used)."""

import datetime as dt

from django.db import migrations, models


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        return None


def fill_shipment_dates(apps, schema_editor):
    Invoice = apps.get_model("declarations", "Invoice")
    changed = []
    for invoice in Invoice.objects.select_related("version").iterator(chunk_size=2000):
        version = invoice.version
        given = version.payload.get("shipment_date") if isinstance(version.payload, dict) else None
        invoice.shipment_date = (given and _date(given)) or version.release_date or version.created_at.date()
        changed.append(invoice)
    Invoice.objects.bulk_update(changed, ["shipment_date"], batch_size=2000)


class Migration(migrations.Migration):
    # The data step between two schema steps: not atomic, so PostgreSQL alters the table with no
    # pending trigger events of the updates.
    atomic = False

    dependencies = [("declarations", "0002_due_basis_and_time_limits")]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="shipment_date",
            field=models.DateField(null=True, verbose_name="date of direct shipment"),
        ),
        migrations.RunPython(fill_shipment_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invoice",
            name="shipment_date",
            field=models.DateField(verbose_name="date of direct shipment"),
        ),
        migrations.AddField(
            model_name="declarationline",
            name="adjustments",
            field=models.JSONField(blank=True, default=dict, verbose_name="additions and deductions to the price"),
        ),
    ]

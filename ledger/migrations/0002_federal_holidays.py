"""Data: the federal holidays 2024–2027 shipped in ledger/data/federal_holidays.csv."""

import csv
import datetime as dt

from django.db import migrations

from ledger.billing_cycle import FEDERAL_HOLIDAYS_CSV


def load(apps, schema_editor):
    Holiday = apps.get_model("ledger", "Holiday")
    with FEDERAL_HOLIDAYS_CSV.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            Holiday.objects.get_or_create(
                date=dt.date.fromisoformat(row["date"]), defaults={"name": row["name"], "rule": row["rule"]}
            )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_holiday")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""Load the CBSA offices of rulings/data/cbsa_offices.csv (see its README for the source)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "cbsa_offices.csv"


def load(apps, schema_editor):
    Office = apps.get_model("rulings", "Office")
    with DATA.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            Office.objects.update_or_create(code=row["code"], defaults={k: row[k] for k in ("name_en", "name_fr", "province")})


class Migration(migrations.Migration):
    dependencies = [("rulings", "0001_ruling_requests")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

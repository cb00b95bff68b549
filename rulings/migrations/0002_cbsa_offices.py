"""Load the CBSA offices of rulings/data/cbsa_offices.csv (see its README for the source)."""

from django.db import migrations


def load(apps, schema_editor):
    from rulings import offices

    offices.load(apps.get_model("rulings", "Office"))


class Migration(migrations.Migration):
    dependencies = [("rulings", "0001_ruling_requests")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

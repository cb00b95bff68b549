from django.db import migrations


def load(apps, schema_editor):
    from declarations import codes

    codes.load(apps.get_model("declarations", "CodeListEntry"))


class Migration(migrations.Migration):
    """The code lists again from the CSVs: the GST codes D17-1-10 gives (1, 39.0, 99) added."""

    dependencies = [("declarations", "0008_mode_of_transport_label")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

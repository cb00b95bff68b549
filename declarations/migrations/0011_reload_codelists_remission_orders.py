from django.db import migrations


def load(apps, schema_editor):
    from declarations import codes

    codes.load(apps.get_model("declarations", "CodeListEntry"))


class Migration(migrations.Migration):
    """The code lists again from the CSVs: the remission orders D17-1-10 and D8-2-16 name (field 54)."""

    dependencies = [("declarations", "0010_declaration_released_on")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

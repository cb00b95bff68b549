from django.db import migrations


def load(apps, schema_editor):
    from declarations import codes

    codes.load(apps.get_model("declarations", "CodeListEntry"))


class Migration(migrations.Migration):
    dependencies = [("declarations", "0004_d17_fields_and_codelists")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

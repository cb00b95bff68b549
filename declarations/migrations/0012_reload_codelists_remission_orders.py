from django.db import migrations, models


def load(apps, schema_editor):
    from declarations import codes

    codes.load(apps.get_model("declarations", "CodeListEntry"))


class Migration(migrations.Migration):
    """The code lists again from the CSVs: the remission orders D17-1-10 and D8-2-16 name (field 54),
    whose codes (e.g. 22-089Z1663) are longer than the 10 characters a code had."""

    dependencies = [("declarations", "0011_remove_declaration_released_on")]

    operations = [
        migrations.AlterField(
            model_name="codelistentry", name="code", field=models.CharField(max_length=20, verbose_name="code")
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]

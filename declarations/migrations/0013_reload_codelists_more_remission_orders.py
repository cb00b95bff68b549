from django.db import migrations


def load(apps, schema_editor):
    from declarations import codes

    codes.load(apps.get_model("declarations", "CodeListEntry"))


class Migration(migrations.Migration):
    """The code lists again from the CSVs: remission orders 97-1993 and 14-1299 (field 54). Also joins the
    two leaves 0011 and 0012 (both made after 0010 on separate branches)."""

    dependencies = [
        ("declarations", "0011_remove_declaration_released_on"),
        ("declarations", "0012_reload_codelists_remission_orders"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from declarations import codes

    codes.load(apps.get_model("declarations", "CodeListEntry"))


def drop_wide_codes(apps, schema_editor):
    """Back to before 0012: its column of 10 characters cannot hold the longer codes (e.g. 22-089Z1663)."""
    apps.get_model("declarations", "CodeListEntry").objects.filter(code__regex=r"^.{11,}$").delete()


class Migration(migrations.Migration):
    """The code lists again from the CSVs: remission orders 97-1993 and 14-1299 (field 54)."""

    dependencies = [("declarations", "0012_reload_codelists_remission_orders")]

    operations = [migrations.RunPython(load, drop_wide_codes)]

from django.db import migrations


class Migration(migrations.Migration):
    # The release record (releases 0002) keeps what this column held: a paid cash CAD's release.
    dependencies = [
        ("declarations", "0010_declaration_released_on"),
        ("releases", "0002_release_mode_and_cash_cad"),
    ]

    operations = [migrations.RemoveField(model_name="declaration", name="released_on")]

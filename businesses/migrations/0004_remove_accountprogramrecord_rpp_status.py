"""RPP status in one place (issue 19): security's Enrolment holds it; its 0003 copied the changes
recorded here first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("businesses", "0003_csa_period"),
        ("security", "0003_enrolment_from_account_programs"),
    ]

    operations = [migrations.RemoveField(model_name="accountprogramrecord", name="rpp_status")]

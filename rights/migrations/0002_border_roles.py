from django.db import migrations, models
from django.db.models import Q

ROLES = [
    ("revenue", "Revenue officer"),
    ("trade", "Trade officer"),
    ("recourse", "Recourse officer"),
    ("supervisor", "Supervisor"),
    ("auditor", "Auditor (read only)"),
    ("border", "Border services officer (release)"),
    ("release_system", "Release system (service account)"),
]


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_officer_appointments")]

    operations = [
        migrations.AlterField(
            model_name="officerappointment",
            name="role",
            field=models.CharField(choices=ROLES, max_length=20, verbose_name="officer role"),
        ),
        migrations.RemoveConstraint(model_name="officerappointment", name="officer_appointment_role_known"),
        migrations.AddConstraint(
            model_name="officerappointment",
            constraint=models.CheckConstraint(
                condition=Q(role__in=[code for code, _ in ROLES]), name="officer_appointment_role_known"
            ),
        ),
    ]

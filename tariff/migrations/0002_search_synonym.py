from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tariff", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "term",
                    models.CharField(
                        help_text="What people type: one word or a short phrase, e.g. 'cell phone'.",
                        max_length=80,
                        verbose_name="term",
                    ),
                ),
                (
                    "means",
                    models.CharField(
                        help_text="Words the tariff uses for it, e.g. 'telephones cellular'.",
                        max_length=200,
                        verbose_name="schedule words",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("fr", "French")],
                        default="en",
                        max_length=2,
                        verbose_name="language of the term",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "search synonym",
                "verbose_name_plural": "search synonyms",
                "ordering": ["language", "term"],
                "constraints": [models.UniqueConstraint(fields=("language", "term"), name="tariff_synonym_once")],
            },
        ),
    ]

from django.db import migrations, models

SOURCES = [("cbsa", "Customs Tariff, French edition"), ("hs", "Harmonized System, French wording")]


def sources_so_far(apps, schema_editor):
    """Before this migration the French notes all came from the CBSA French schedule, which also gave
    its chapters' titles; every other French chapter title was the Harmonized System's."""
    Chapter, LegalNote = apps.get_model("tariff", "Chapter"), apps.get_model("tariff", "LegalNote")
    LegalNote.objects.exclude(text_fr="").update(text_fr_source="cbsa")
    canadian = LegalNote.objects.exclude(text_fr="").exclude(chapter=None).values("chapter_id")
    titled = Chapter.objects.exclude(title_fr="")
    titled.filter(number__in=canadian).update(title_fr_source="cbsa")
    titled.exclude(number__in=canadian).update(title_fr_source="hs")


class Migration(migrations.Migration):
    dependencies = [
        ("tariff", "0005_french_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="chapter",
            name="title_fr_source",
            field=models.CharField(blank=True, choices=SOURCES, max_length=4),
        ),
        migrations.AddField(
            model_name="legalnote",
            name="text_fr_source",
            field=models.CharField(blank=True, choices=SOURCES, max_length=4),
        ),
        migrations.AddField(
            model_name="section",
            name="title_fr_source",
            field=models.CharField(blank=True, choices=SOURCES, max_length=4),
        ),
        migrations.RunPython(sources_so_far, migrations.RunPython.noop),
    ]

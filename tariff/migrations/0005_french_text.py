from django.db import migrations, models


def french_so_far_is_canadian(apps, schema_editor):
    """Before this migration the only French descriptions loaded were the CBSA French schedule's."""
    TariffLine = apps.get_model("tariff", "TariffLine")
    TariffLine.objects.exclude(description_fr="").update(description_fr_source="cbsa")


class Migration(migrations.Migration):

    dependencies = [
        ('tariff', '0004_search_synonym_glossary'),
    ]

    operations = [
        migrations.AddField(
            model_name='tariffline',
            name='description_fr_source',
            field=models.CharField(blank=True, choices=[('cbsa', 'Customs Tariff, French edition'), ('hs', 'Harmonized System, French wording')], max_length=4),
        ),
        migrations.AlterField(
            model_name='dataload',
            name='kind',
            field=models.CharField(choices=[('schedule', 'Tariff schedule version'), ('notes', 'Section and chapter notes'), ('hs', 'Harmonized System nomenclature'), ('french', 'French text of the tariff')], max_length=10),
        ),
        migrations.RunPython(french_so_far_is_canadian, migrations.RunPython.noop),
    ]

"""More search synonyms (issue #25).

English: trade words the schedule spells otherwise, found by reading the misses of the tune split of
data/eval/rulings.jsonl (never the test split). French: a French-English glossary of the schedule's
own vocabulary — the French words for the 450 most frequent words of the English heading texts
(materials, forms, goods), written for this project in December 2026 (not a CBSA text) — so a
French description finds the chapters that have no French text yet. Like 0003, only terms that are
not there yet are added; officers edit them in the admin. The terms are in
tariff/data/search-synonyms-issue25.json, read by 0003's loader.
"""

from importlib import import_module

from django.db import migrations

def add_seed(apps, schema_editor):
    # 0003's helper (a migration module's name starts with a digit: imported by name)
    import_module("tariff.migrations.0003_search_synonym_seed").seed_synonyms(apps, "search-synonyms-issue25.json", "issue 25 glossary")


class Migration(migrations.Migration):
    dependencies = [
        ("tariff", "0003_search_synonym_seed"),
    ]

    operations = [
        migrations.RunPython(add_seed, migrations.RunPython.noop),
    ]

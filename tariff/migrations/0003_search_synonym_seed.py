"""A first list of search synonyms: everyday and trade names for what the schedule calls otherwise,
US spellings, and common French words (the schedule data has no French yet). Officers edit the
list in the admin; this migration only adds terms that are not there."""

import json
from pathlib import Path

from django.db import migrations

# The terms are data, kept in tariff/data/ (its README gives their source).
DATA = Path(__file__).resolve().parent.parent / "data"

def seed_synonyms(apps, filename: str, note: str):
    """Add the terms of tariff/data/<filename> ({language: {term: means}}) that are not there yet
    (0004 too)."""
    SearchSynonym = apps.get_model("tariff", "SearchSynonym")
    seed = json.loads((DATA / filename).read_text(encoding="utf-8"))
    for language, terms in seed.items():
        for term, means in terms.items():
            SearchSynonym.objects.get_or_create(language=language, term=term, defaults={"means": means, "note": note})


def add_seed(apps, schema_editor):
    seed_synonyms(apps, "search-synonyms-initial.json", "initial list")


class Migration(migrations.Migration):
    dependencies = [
        ("tariff", "0002_search_synonym"),
    ]

    operations = [
        migrations.RunPython(add_seed, migrations.RunPython.noop),
    ]

"""Tariff 0006: the French titles and notes loaded before it learn where they came from: the notes and
their chapters' titles from the CBSA French schedule, the other chapter titles from the HS's wording."""

import datetime as dt

import pytest

from tests.migrations import migrate_to, migrate_to_latest

BEFORE, AFTER = [("tariff", "0005_french_text")], [("tariff", "0006_french_title_and_note_sources")]


@pytest.mark.django_db(transaction=True)
def test_french_loaded_before_the_migration_is_marked_with_its_source():
    try:
        old = migrate_to(BEFORE)
        section = old.get_model("tariff", "Section").objects.create(number=2, roman="II", title_en="Vegetable")
        chapters = old.get_model("tariff", "Chapter").objects
        chapters.create(number="09", section=section, title_en="Coffee", title_fr="Café, thé, maté et épices")
        chapters.create(number="10", section=section, title_en="Cereals", title_fr="Céréales")
        chapters.create(number="11", section=section, title_en="Milling")
        load = old.get_model("tariff", "DataLoad").objects.create(
            kind="notes", label="2019", effective_date=dt.date(2019, 1, 1), source_name="x", sha256="x"
        )
        notes = old.get_model("tariff", "LegalNote").objects
        day = dt.date(2019, 1, 1)
        notes.create(
            chapter_id="09", kind="note", text_en="1. Mixtures", text_fr="1. Les mélanges", version=load, valid_from=day
        )
        notes.create(chapter_id="10", kind="note", text_en="1. Cereals", version=load, valid_from=day)
        new = migrate_to(AFTER)
    finally:
        migrate_to_latest()
    sources = dict(new.get_model("tariff", "Chapter").objects.values_list("number", "title_fr_source"))
    assert sources == {"09": "cbsa", "10": "hs", "11": ""}
    notes = new.get_model("tariff", "LegalNote").objects
    assert dict(notes.values_list("chapter_id", "text_fr_source")) == {"09": "cbsa", "10": ""}

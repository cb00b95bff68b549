"""The code lists follow their CSVs without a data migration (declarations.codes.sync, run on post_migrate):
an edited row comes in with the next migrate, an unchanged table is not written, a failed replace keeps
the old rows, and a database migrated up from before the table holds every code."""

import shutil
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.db.migrations.state import ProjectState

from declarations import codes
from declarations.models import CodeListEntry


def table() -> Counter:
    return Counter(CodeListEntry.objects.values_list("list", *codes.COLUMNS))


def csvs() -> Counter:
    return Counter(
        (name, *(row[column] for column in codes.COLUMNS)) for name in codes.lists() for row in codes.read_csv(name)
    )


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the code lists the test may edit, read in place of the project's."""
    copy = tmp_path / "codelists"
    shutil.copytree(codes.FOLDER, copy)
    monkeypatch.setattr(codes, "FOLDER", copy)
    codes.clear_cache()
    yield copy
    codes.clear_cache()


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_changed_csv_row_comes_in_with_the_next_migrate(db, folder):
    assert codes.entry("countries", "PA").name_en == "Panama"  # cached before the edit
    edit(folder / "countries.csv", "PA,Panama,", "PA,Republic of Panama,")
    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate alone brings the row in
    assert CodeListEntry.objects.get(list="countries", code="PA").name_en == "Republic of Panama"
    assert table() == csvs()
    assert codes.entry("countries", "PA").name_en == "Republic of Panama"  # the cache was emptied


def test_an_unchanged_table_is_read_once_and_not_written(db, django_assert_num_queries):
    assert table() == csvs()
    with django_assert_num_queries(1) as captured:
        assert codes.sync() == 0
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT")


def test_a_failure_half_way_through_the_replace_keeps_the_old_rows(db, folder):
    before = table()
    # A duplicated row (same list, code and valid_from) fails the insert, after the delete.
    incoterms = folder / "incoterms.csv"
    incoterms.write_text(incoterms.read_text(encoding="utf-8") + "DPU,Twice,Deux fois,2020-01-01,,\n", encoding="utf-8")
    with pytest.raises(IntegrityError):
        codes.sync()
    assert table() == before


def test_load_codelists_writes_only_a_change(db, folder, capsys):
    edit(folder / "incoterms.csv", "DPU,Delivered at Place Unloaded,", "DPU,Delivered at place unloaded,")
    call_command("load_codelists")
    assert capsys.readouterr().out == f"{sum(csvs().values())} codes loaded from {len(codes.lists())} lists\n"
    assert CodeListEntry.objects.get(list="incoterms", code="DPU").name_en == "Delivered at place unloaded"
    call_command("load_codelists")
    assert "nothing written" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_table_is_complete_after_migrating_up_from_before_it_existed():
    # Back to before declarations 0004 made the table (what depends on it undone too): post_migrate
    # finds no table to fill and skips (Django's state then may still hold the model: see codes.py).
    call_command("migrate", "declarations", "0003", verbosity=0)
    assert "declarations_codelistentry" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert table() == csvs()


def test_a_state_without_the_code_list_model_is_skipped(db, django_assert_num_queries):
    """declarations migrated to zero: the post-migrate state has no CodeListEntry, nothing is asked."""
    with django_assert_num_queries(0):
        codes.sync_after_migrate(apps.get_app_config("declarations"), apps=ProjectState().apps)

"""The rows data migrations seed (holidays, code lists, offices...) are there for every test, whatever
ran before it: a transactional test's flush empties them, tests/conftest.py loads them again.
The two transactional tests below check it in either order (`pytest file::b file::a` runs b first)."""

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from declarations import codes
from declarations.models import CodeListEntry
from ledger import services as ledger
from ledger.billing_cycle import federal_holidays
from payments.models import PadAgreementText
from rulings.models import Office
from tests.conftest import SEEDED_BY

PROJECT = Path(__file__).resolve().parents[1]
# Data migrations that seed nothing a flush could take away: they change rows that exist, install
# triggers (a flush keeps them), load a table a later migration of SEEDED_BY loads again, or one its
# app's post_migrate receiver fills.
NOT_SEEDING = {
    ("audit", "0002_append_only_trigger"),
    ("audit", "0003_auditentry_append_only"),
    ("declarations", "0003_invoice_shipment_date_line_adjustments"),
    # The code lists: declarations' post_migrate receiver (declarations/apps.py) loads them after a flush.
    ("declarations", "0005_load_codelists"),
    ("declarations", "0009_reload_codelists_gst_codes"),
    ("declarations", "0012_reload_codelists_remission_orders"),
    ("declarations", "0013_reload_codelists_more_remission_orders"),
    ("ledger", "0004_append_only_triggers"),
    ("ledger", "0007_allocation_append_only_dailynotice_append_only_and_more"),
    ("releases", "0002_release_mode_and_cash_cad"),
    ("security", "0003_enrolment_from_account_programs"),
    ("tariff", "0005_french_text"),
    ("tariff", "0006_french_title_and_note_sources"),
}


def test_every_data_migration_is_seeded_again_after_a_flush_or_seeds_nothing():
    seeded = {(app, migration) for app, loaders in SEEDED_BY.items() for migration, _loader in loaders}
    data_migrations = {
        key
        for key, migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.items()
        if Path(apps.get_app_config(key[0]).path).resolve().parent == PROJECT
        and any(isinstance(operation, RunPython) for operation in migration.operations)
    }
    assert data_migrations - NOT_SEEDING == seeded, "list a new data migration in SEEDED_BY or NOT_SEEDING"


def _assert_the_seeded_rows_are_there():
    calendar = ledger.holiday_calendar()
    assert calendar.dates == federal_holidays().dates and calendar.is_holiday(dt.date(2025, 7, 1))  # Canada Day
    assert CodeListEntry.objects.count() == sum(len(codes.read_csv(name)) for name in codes.lists())
    assert Office.objects.filter(code="0453").exists()
    assert PadAgreementText.objects.filter(version=1).exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_finds_the_seeded_rows():
    _assert_the_seeded_rows_are_there()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_after_it_finds_them_too():
    _assert_the_seeded_rows_are_there()

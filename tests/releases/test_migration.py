"""One release notion (releases 0002, declarations 0011): the day a paid cash CAD's goods were released,
once a column of the CAD (Declaration.released_on), becomes a release record linked to its CAD, and back."""

import datetime as dt

import pytest

from declarations import services as declarations
from ledger.models import LedgerEntry
from payments import services as payments
from releases import services
from tests.declarations.conftest import cad, on_day, tariff_rows  # noqa: F401 (fixtures)
from tests.migrations import migrate_to, migrate_to_latest
from tests.payments.conftest import N, card, rows

BEFORE = [("declarations", "0010_declaration_released_on"), ("releases", "0001_initial")]
AFTER = [("declarations", "0011_remove_declaration_released_on"), ("releases", "0002_release_mode_and_cash_cad")]
TODAY, ARRIVES = dt.date(2025, 6, 2), dt.date(2025, 6, 12)


@pytest.mark.django_db(transaction=True)
def test_a_released_cash_cad_keeps_its_release_day_across_the_migration(maple, alice, bruno, tariff_rows, on_day):
    on_day(TODAY)
    submitted = declarations.submit(alice, cad(release_date=ARRIVES, cad_type="cash"))
    assert submitted.declaration, submitted.errors
    declaration = submitted.declaration
    entry = LedgerEntry.objects.get(transaction_number=declaration.transaction_number)
    payments.request_payment(alice, rows((N, "transactions", None, [entry.pk])), key="cad", card=card())
    services.release_paid_cash_cad(bruno, declaration, day=ARRIVES)
    try:
        old = migrate_to(BEFORE)
        assert old.get_model("declarations", "Declaration").objects.get(pk=declaration.pk).released_on == ARRIVES
        assert not old.get_model("releases", "Release").objects.exists()
        new = migrate_to(AFTER)
    finally:
        migrate_to_latest()
    release = new.get_model("releases", "Release").objects.get()
    assert (release.declaration_id, release.transaction_number) == (declaration.pk, declaration.transaction_number)
    assert (release.mode, release.release_date, release.program_account_id) == (
        "cash",
        ARRIVES,
        declaration.program_account_id,
    )
    assert (
        release.estimated_vfd == declaration.version().vfd
        and release.release_office == declaration.version().release_office
    )

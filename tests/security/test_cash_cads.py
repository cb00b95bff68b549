"""Cash CADs online (issue 19 item 6): a type C / cash CAD is prepared in the portal before its goods
arrive (up to settings.CARM_CASH_CAD_DAYS_AHEAD days), is payable at once, is paid online, and its
goods are released once it is paid (Customs Act s.32(1)): a release record linked to the CAD, the
one release notion (releases); any other CAD still accounts only for goods already released."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.demo import ensure_person
from declarations import services as declarations
from ledger.models import EntryType, LedgerEntry
from payments import services as payments
from releases import services as releases
from releases.models import Release
from rights import OfficerRole
from tests.declarations.conftest import cad
from tests.payments.conftest import N, card, rows

D = dt.date
TODAY, ARRIVES = D(2025, 6, 2), D(2025, 6, 12)


@pytest.fixture
def tom(db):
    """A border services officer (releases goods)."""
    return ensure_person("tom@cbsa.example", "Tom Border", officer_roles=[OfficerRole.BORDER])


def test_a_cash_cad_is_prepared_before_release_and_payable_at_once(maple, alice, tariff_rows, on_day):
    on_day(TODAY)
    outcome = declarations.submit(alice, cad(release_date=ARRIVES, cad_type="cash"))
    assert outcome.errors == [] and outcome.version.payment_due_date == TODAY
    assert outcome.version.due_basis["payment"]["rule"] == "cash_before_release"
    entry = LedgerEntry.objects.get(transaction_number=outcome.declaration.transaction_number)
    assert entry.entry_type == EntryType.ASSESSMENT and (entry.effective_date, entry.due_date) == (TODAY, TODAY)
    assert not Release.objects.filter(declaration=outcome.declaration).exists()


def test_only_a_cash_cad_may_come_before_its_goods_and_not_too_long_before(maple, alice, tariff_rows, on_day, settings):
    on_day(TODAY)
    rpp = declarations.submit(alice, cad(release_date=ARRIVES))
    assert [e.code for e in rpp.errors] == ["future_date"]
    late = TODAY + dt.timedelta(days=settings.CARM_CASH_CAD_DAYS_AHEAD + 1)
    early = declarations.submit(alice, cad(release_date=late, cad_type="cash"))
    assert [e.code for e in early.errors] == ["too_far_ahead"] and "30 days" in str(early.errors[0].message)


def test_the_goods_are_released_only_once_the_cash_cad_is_paid(maple, alice, tom, tariff_rows, on_day):
    on_day(TODAY)
    declaration = declarations.submit(alice, cad(release_date=ARRIVES, cad_type="cash")).declaration
    with pytest.raises(ValidationError) as refused:
        releases.release_paid_cash_cad(tom, declaration, day=ARRIVES)
    assert refused.value.code == "cash_cad_unpaid" and declaration.transaction_number in refused.value.messages[0]
    entry = LedgerEntry.objects.get(transaction_number=declaration.transaction_number)
    paid, _ = payments.request_payment(alice, rows((N, "transactions", None, [entry.pk])), key="cad", card=card())
    assert paid.status == "completed"
    released = releases.release_paid_cash_cad(tom, declaration, day=ARRIVES)
    assert (released.release_date, released.mode, released.declaration) == (ARRIVES, "cash", declaration)
    assert released.transaction_number == declaration.transaction_number
    assert releases.release_paid_cash_cad(tom, declaration, day=D(2025, 6, 13)).release_date == ARRIVES
    assert releases.awaiting_accounting(alice) == []  # accounted for by its own CAD


def test_neither_the_importer_nor_an_officer_without_the_border_role_releases_goods(maple, alice, tariff_rows, on_day):
    on_day(TODAY)
    declaration = declarations.submit(alice, cad(release_date=ARRIVES, cad_type="cash")).declaration
    trade = ensure_person("tariq@cbsa.example", "Tariq Trade", officer_roles=[OfficerRole.TRADE])
    for who in (alice, trade):
        with pytest.raises(PermissionDenied):
            releases.release_paid_cash_cad(who, declaration, day=ARRIVES)


def test_an_officer_releases_a_paid_cash_cad_through_the_api(api, maple, alice, tom, tariff_rows, on_day):
    on_day(TODAY)
    declaration = declarations.submit(alice, cad(release_date=ARRIVES, cad_type="cash")).declaration
    path = f"declarations/{declaration.transaction_number}/release"
    unpaid = api(tom)("post", path)
    assert unpaid.status_code == 400 and unpaid.json()["errors"][0]["code"] == "cash_cad_unpaid"
    assert api(alice)("post", path).status_code == 403  # the importer releases nothing
    entry = LedgerEntry.objects.get(transaction_number=declaration.transaction_number)
    payments.request_payment(alice, rows((N, "transactions", None, [entry.pk])), key="cad", card=card())
    released = api(tom)("post", path)
    assert released.status_code == 200 and released.json() == {
        "transaction_number": declaration.transaction_number,
        "released_on": TODAY.isoformat(),
    }

"""The border's page releases a paid cash CAD (issue 19 item 6, by page as by API): the queue lists
the accepted cash CADs whose goods are not released, with what is left to pay; the button is refused
with the reason while unpaid, then records the release linked to the CAD and the CAD leaves the queue."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from declarations import services as declarations
from ledger.models import LedgerEntry
from payments import services as payments
from releases import services
from releases.models import Release
from tests.conftest import sign_in
from tests.declarations.conftest import cad, on_day, tariff_rows  # noqa: F401 (fixtures)
from tests.payments.conftest import N, card, rows

TODAY, ARRIVES = dt.date(2025, 6, 2), dt.date(2025, 6, 12)


def test_a_cash_cad_is_released_from_the_queue_once_paid_and_refused_with_the_reason_before(
    client, maple, alice, bruno, tariff_rows, on_day
):
    on_day(TODAY)
    declaration = declarations.submit(alice, cad(release_date=ARRIVES, cad_type="cash")).declaration
    number = declaration.transaction_number
    sign_in(client, bruno)
    queue = client.get("/en/cbsa/releases/").content.decode()
    assert number in queue and f"Release the goods of {number}" in queue

    refused = client.post(f"/en/cbsa/releases/cash/{number}/release/", follow=True).content.decode()
    assert f"CAD {number} still has" in refused and "to pay: its goods are released once it is paid." in refused
    assert not Release.objects.exists()

    entry = LedgerEntry.objects.get(transaction_number=number)
    payments.request_payment(alice, rows((N, "transactions", None, [entry.pk])), key="cad", card=card())
    on_day(ARRIVES)
    done = client.post(f"/fr/cbsa/releases/cash/{number}/release/", follow=True).content.decode()
    assert f"Les marchandises de la DDC {number} ont obtenu la mainlevée (2025-06-12)." in done
    release = Release.objects.get()
    assert (release.declaration, release.mode, release.release_date) == (declaration, "cash", ARRIVES)
    assert f"Accorder la mainlevée de {number}" not in done  # it left the queue


def test_a_cash_cads_number_is_not_recorded_as_another_release(maple, alice, release_system, tariff_rows, on_day):
    on_day(TODAY)
    declaration = declarations.submit(alice, cad(release_date=ARRIVES, cad_type="cash")).declaration
    fields = {
        "transaction_number": declaration.transaction_number,
        "release_date": TODAY,
        "release_office": "0453",
        "estimated_vfd": Decimal("100.00"),
    }
    for account, code in (("123456782RM0001", "cash_cad"), ("123456782RM0002", "other_account")):
        with pytest.raises(ValidationError) as refused:
            services.record_release(release_system, account_number=account, **fields)
        assert refused.value.error_dict["transaction_number"][0].code == code
    assert not Release.objects.exists()

"""Releases awaiting accounting (issue #17 items 2 and 7): a release waits for its CAD until one is
submitted under its transaction number; its deadline is the account's accounting deadline
(ledger.billing_cycle: five business days, or the 24th of next month at $3,300 or less); overdue ones
come first; the importer's dashboard and the broker's worklist show them, each to whom may see them,
and the worklist shows each client account's RPP security status."""

import datetime as dt

from declarations import services as declarations
from releases import services
from tests.conftest import sign_in
from tests.declarations.conftest import (  # noqa: F401 (fixtures)
    RM1,
    bob,
    brenda,
    broker,
    cad,
    interest_rate,
    northern,
    on_day,
    relate,
    tariff_rows,
)

D = dt.date


def test_a_release_awaits_its_cad_until_a_cad_is_submitted_under_its_transaction_number(
    alice, rm0001, recorded, tariff_rows, interest_rate, on_day
):
    on_day(D(2025, 1, 6))
    release = recorded(rm0001.business, rm0001, D(2025, 1, 3))
    assert [item.release for item in services.awaiting_accounting(alice)] == [release]

    outcome = declarations.submit(alice, cad(transaction_number=release.transaction_number))
    assert not outcome.errors, outcome.errors
    assert outcome.declaration.transaction_number == release.transaction_number
    assert services.awaiting_accounting(alice) == []


def test_the_deadline_follows_the_accounting_rule_and_overdue_releases_come_first(alice, rm0001, recorded):
    low_value = recorded(
        rm0001.business, rm0001, D(2025, 1, 2), vfd="3300.00"
    )  # not over $3,300: the 24th of next month
    friday = recorded(rm0001.business, rm0001, D(2025, 1, 3))  # day 0; the 5th business day after: Friday 10 Jan
    wednesday = recorded(rm0001.business, rm0001, D(2025, 1, 8))  # Wednesday 15 Jan
    today = D(2025, 1, 13)

    found = services.awaiting_accounting(alice, today)

    assert [(item.release, item.deadline.day, item.overdue(today)) for item in found] == [
        (friday, D(2025, 1, 10), True),
        (wednesday, D(2025, 1, 15), False),
        (low_value, D(2025, 2, 24), False),
    ]
    assert found[0].deadline.penalty == "C288" and found[2].deadline.penalty == "C292"


def test_a_release_the_broker_asked_for_is_its_own_and_the_importer_s_an_outsider_does_not_see_it(
    client, alice, broker, northern, rm0001, other_business_user, recorded, on_day
):
    on_day(D(2025, 1, 20))
    release = recorded(northern, rm0001, D(2025, 1, 3))
    assert release.submitted_by_business == northern  # the broker asked for the release, so accounts for it

    assert [item.release for item in services.awaiting_accounting(alice)] == [release]
    assert [item.release for item in services.awaiting_accounting(broker)] == [release]
    assert services.awaiting_accounting(other_business_user) == []

    sign_in(client, broker)
    page = client.get("/en/worklist/").content.decode()
    assert release.transaction_number in page and "Overdue since 2025-01-10" in page
    assert "1 release past its accounting deadline" in page


def test_the_importer_dashboard_lists_the_release_and_never_says_nothing_needs_attention(
    client, alice, rm0001, recorded, on_day
):
    on_day(D(2025, 1, 6))
    release = recorded(rm0001.business, rm0001, D(2025, 1, 3))
    sign_in(client, alice)
    page = client.get("/en/").content.decode()
    assert release.transaction_number in page and "2025-01-10" in page
    assert "1 release awaiting its CAD" in page and "Nothing needs your attention" not in page
    french = client.get("/fr/").content.decode()
    assert "1 mainlevée en attente de sa DDC" in french


def test_the_worklist_shows_each_client_accounts_rpp_security_status(client, broker, rm0001):
    sign_in(client, broker)
    page = client.get("/en/worklist/").content.decode()
    assert "123456782RM0001, release prior to payment: Not enrolled" in page
    assert "not available yet" not in page


def test_submit_its_cad_opens_a_new_cad_under_the_release_transaction_number(client, alice, rm0001, recorded, on_day):
    on_day(D(2025, 1, 6))
    release = recorded(rm0001.business, rm0001, D(2025, 1, 3))
    sign_in(client, alice, language="fr")
    dashboard = client.get("/fr/").content.decode()
    link = f"/fr/declarations/new/?transaction_number={release.transaction_number}&amp;importer={RM1}"
    assert link in dashboard and "Présenter sa DDC" in dashboard

    page = client.get(link.replace("&amp;", "&") + "&release_date=2025-01-03&release_office=0453").content.decode()
    assert f'<input type="hidden" name="transaction_number" value="{release.transaction_number}">' in page
    assert f"numéro de transaction {release.transaction_number}" in page
    assert 'value="2025-01-03"' in page and 'value="0453"' in page


def test_the_api_lists_the_releases_awaiting_accounting_overdue_first(
    client, alice, broker, northern, rm0001, recorded, on_day
):
    from tests.delegation.conftest import _token

    on_day(D(2025, 1, 13))
    late = recorded(rm0001.business, rm0001, D(2025, 1, 3))
    due = recorded(northern, rm0001, D(2025, 1, 8))
    response = client.get("/api/v1/releases/awaiting", HTTP_AUTHORIZATION=f"Token {_token(broker)}")
    assert response.status_code == 200
    rows = response.json()
    assert [(row["transaction_number"], row["deadline"], row["overdue"]) for row in rows] == [
        (late.transaction_number, "2025-01-10", True),
        (due.transaction_number, "2025-01-15", False),
    ]
    assert rows[1]["released_to"] == "123026635" and rows[1]["estimated_vfd"] == "30000.00"
    refused = client.get("/api/v1/releases/awaiting")
    assert refused.status_code == 401 and refused.json()["errors"][0]["code"] == "not_authenticated"

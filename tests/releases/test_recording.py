"""Recording a release (issue #17 leftovers): by a border services officer's page or the release
system's API, through one service; idempotent on the transaction number; bad input refused by field
in both languages; audited; never by a client, nor by an officer without the border role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.demo import ensure_person
from audit.models import AuditEntry
from declarations import transaction_numbers
from releases import services
from releases.models import Release
from rights import OfficerRole
from tests.conftest import sign_in
from tests.declarations.conftest import api, bob, brenda, broker, northern, on_day, relate  # noqa: F401 (fixtures)
from tests.portal.test_no_english_on_french_pages import _english_words

D = dt.date
TODAY = D(2025, 1, 13)


@pytest.fixture
def tariq(db):
    """A trade officer: an officer, but not one who releases goods."""
    return ensure_person("tariq@cbsa.example", "Tariq Haddad", officer_roles=[OfficerRole.TRADE])


@pytest.fixture
def number(rm0001):
    """A new transaction number of Maple (the importer asking for its own release)."""
    return transaction_numbers.next_number(rm0001.business)


def _fields(number, **changes):
    return {
        "transaction_number": number,
        "account_number": "123456782RM0001",
        "release_date": D(2025, 1, 3),
        "release_office": "0453",
        "estimated_vfd": Decimal("12840.00"),
        **changes,
    }


def _json(number, **changes):
    return {
        key: value.isoformat() if isinstance(value, dt.date) else str(value)
        for key, value in _fields(number, **changes).items()
    }


def test_the_release_system_records_a_release_the_asker_accounts_for_and_it_is_audited(
    release_system, alice, rm0001, number, on_day
):
    on_day(TODAY)
    recorded = services.record_release(release_system, **_fields(f"{number[:5]} {number[5:13]} {number[13]}"))
    release = recorded.release
    assert recorded.created and release.transaction_number == number
    assert release.submitted_by_business == rm0001.business and release.mode == "rmd"
    assert [item.release for item in services.awaiting_accounting(alice)] == [release]
    entry = AuditEntry.objects.get(action="release.recorded", object_id=str(release.pk))
    assert entry.actor == release_system and entry.after["release_office"] == "0453"


def test_the_same_release_again_is_the_first_and_other_details_under_its_number_are_refused(
    release_system, bruno, rm0001, number, on_day
):
    on_day(TODAY)
    first = services.record_release(release_system, **_fields(number)).release
    again = services.record_release(bruno, **_fields(number))
    assert not again.created and again.release.pk == first.pk
    with pytest.raises(ValidationError) as refused:
        services.record_release(bruno, **_fields(number, release_date=D(2025, 1, 6)))
    assert refused.value.error_dict["transaction_number"][0].code == "release_conflict"
    assert Release.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"transaction_number": "1234"}, "transaction_number", "malformed_transaction_number"),
        ({"transaction_number": "10207003502331"}, "transaction_number", "bad_check_digit"),
        ({"transaction_number": transaction_numbers.make("99999", 1)}, "transaction_number", "unknown_security_number"),
        ({"account_number": "123456782RT0001"}, "account_number", "unknown_account"),
        ({"account_number": "999999999RM0001"}, "account_number", "unknown_account"),
        ({"release_date": D(2025, 1, 14)}, "release_date", "future_date"),
        ({"release_office": "45"}, "release_office", "invalid_office"),
        ({"estimated_vfd": Decimal("-1.00")}, "estimated_vfd", "invalid_amount"),
        ({"estimated_vfd": Decimal("1.005")}, "estimated_vfd", "invalid_amount"),
        ({"mode": "cash"}, "mode", "invalid_mode"),
        ({"cargo_control_number": "X" * 26}, "cargo_control_number", "too_long"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_recorded(
    release_system, rm0001, number, on_day, changes, field, code
):
    on_day(TODAY)
    with pytest.raises(ValidationError) as refused:
        services.record_release(release_system, **_fields(number, **changes))
    assert [error.code for error in refused.value.error_dict[field]] == [code]
    assert not Release.objects.exists()


def test_a_courier_low_value_shipment_is_accounted_by_the_24th_of_next_month_whatever_its_value(
    release_system, alice, rm0001, number, on_day
):
    on_day(TODAY)
    services.record_release(release_system, **_fields(number, mode="clvs"))  # $12,840: five business days as RMD
    (item,) = services.awaiting_accounting(alice, TODAY)
    assert (item.deadline.day, item.deadline.penalty) == (D(2025, 2, 24), "C292")


def test_no_client_and_no_officer_without_the_border_role_records_a_release(alice, tariq, rm0001, number, on_day):
    on_day(TODAY)
    for who in (alice, tariq):
        with pytest.raises(PermissionDenied):
            services.record_release(who, **_fields(number))
    assert not Release.objects.exists()
    assert AuditEntry.objects.filter(action="access.denied", actor=tariq).exists()


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_records_once_answers_the_same_again_and_refuses_a_conflict(
    api, release_system, rm0001, number, on_day
):
    on_day(TODAY)
    call = api(release_system)
    created = call("post", "releases", _json(number))
    assert created.status_code == 201, created.json()
    assert created.json()["released_to"] == "123456782" and created.json()["estimated_vfd"] == "12840.00"
    assert call("post", "releases", _json(number)).status_code == 200
    conflict = call("post", "releases", _json(number, release_office="0454"))
    assert conflict.status_code == 409 and conflict.json()["errors"][0]["code"] == "release_conflict"
    assert Release.objects.count() == 1


def test_the_api_refuses_bad_input_by_field_in_the_callers_language(api, bruno, rm0001, number, on_day):
    on_day(TODAY)
    call = api(bruno)
    refused = call("post", "releases", _json(number, release_office="45", estimated_vfd="douze"))
    assert refused.status_code == 400
    assert {error["field"] for error in refused.json()["errors"]} == {"estimated_vfd"}  # the form's: a number first
    french = call("post", "releases", _json(number, release_office="45"), ACCEPT_LANGUAGE="fr")
    assert french.status_code == 400
    assert french.json()["errors"] == [
        {
            "field": "release_office",
            "code": "invalid_office",
            "message": "Un bureau de l'ASFC compte 4 chiffres, p. ex. 0453.",
        }
    ]


def test_the_api_refuses_clients_and_officers_without_the_border_role(api, alice, tariq, rm0001, number, on_day):
    on_day(TODAY)
    for who in (alice, tariq):
        response = api(who)("post", "releases", _json(number))
        assert response.status_code == 403 and response.json()["errors"][0]["code"] == "permission_denied"
    assert not Release.objects.exists()


# --- the officer's page -------------------------------------------------------------------------------


def test_a_border_officer_records_a_release_on_the_page_in_french(client, bruno, rm0001, number, on_day):
    on_day(TODAY)
    sign_in(client, bruno, language="fr")
    page = client.get("/fr/cbsa/releases/")
    assert page.status_code == 200 and "Consigner une mainlevée" in page.content.decode()
    assert _english_words(page.content.decode()) == set()
    refused = client.post("/fr/cbsa/releases/", {**_json(number, release_date="2025-01-14"), "mode": "rmd"})
    assert "La mainlevée ne peut être datée d’un jour à venir." in refused.content.decode()
    done = client.post("/fr/cbsa/releases/", {**_json(number, estimated_vfd="12 840,00"), "mode": "rmd"}, follow=True)
    assert f"Mainlevée {number} consignée." in done.content.decode()
    assert Release.objects.get().estimated_vfd == Decimal("12840.00")


def test_the_page_is_refused_to_clients_and_to_officers_without_the_border_role(client, alice, tariq, rm0001):
    sign_in(client, tariq)
    assert client.get("/en/cbsa/releases/").status_code == 403
    assert "Releases: record a release" not in client.get("/en/cbsa/").content.decode()
    client.logout()
    sign_in(client, alice)
    assert client.get("/en/cbsa/releases/").status_code == 403

"""Officers holding VIEW_CLIENTS read every client's rows (read only), land on their workbench, and
the client-side lists stay the person's own."""

import pytest
from django.contrib.auth import get_user_model

import rights
from accounts.demo import ensure_person
from businesses.models import Business, ProgramAccount
from declarations import services as declarations
from ledger.models import LedgerEntry
from rights import Action, OfficerRole
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import cad, interest_rate  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_an_officer_views_every_business_and_account_but_may_transact_or_pay_on_none(officers, rm0001):
    auditor = officers[OfficerRole.AUDITOR]
    assert set(Business.objects.visible_to(auditor)) == set(Business.objects.all())
    assert set(ProgramAccount.objects.visible_to(auditor)) == set(ProgramAccount.objects.all())
    for action in (Action.TRANSACT, Action.PAY, Action.MANAGE_PEOPLE, Action.ADMINISTER):
        assert not rights.may(auditor, action, rm0001)


def test_a_person_without_an_officer_role_still_sees_only_their_own_businesses(officers, charlie, alice):
    assert not Business.objects.visible_to(charlie).exists()
    assert list(Business.objects.visible_to(alice).values_list("bn9", flat=True)) == ["123456782"]


def test_an_ended_appointment_takes_the_view_of_every_client_away(officers):
    from django.utils import timezone

    auditor = officers[OfficerRole.AUDITOR]
    auditor.officer_appointments.update(ended_at=timezone.now())
    assert not Business.objects.visible_to(auditor).exists()


def test_an_officer_opens_an_importers_cad_and_ledger(
    officers,
    alice,
    as_person,
    tariff_rows,
    usd_rates,
    interest_rate,  # noqa: F811 (fixtures)
):
    declaration = declarations.submit(alice, cad()).declaration
    client = as_person(officers[OfficerRole.REVENUE])
    page = client.get(f"/en/declarations/{declaration.transaction_number}/")
    assert page.status_code == 200 and declaration.transaction_number in page.content.decode()
    ledger = client.get("/en/ledger/123456782RM0001/")
    assert ledger.status_code == 200
    assert (
        LedgerEntry.objects.visible_to(officers[OfficerRole.REVENUE])
        .filter(transaction_number=declaration.transaction_number)
        .exists()
    )


def test_an_outsider_still_gets_not_found_on_an_importers_ledger(charlie, maple, as_person):
    assert as_person(charlie).get("/en/ledger/123456782RM0001/").status_code == 404


def test_the_portal_dashboard_sends_an_officer_to_the_workbench(officers, as_person):
    response = as_person(officers[OfficerRole.TRADE]).get("/en/")
    assert response.status_code == 302 and response["Location"] == "/en/cbsa/"


def test_a_client_still_lands_on_the_dashboard(alice, maple, as_person):
    response = as_person(alice).get("/en/")
    assert response.status_code == 200 and "Maple Leaf Imports" in response.content.decode()


def test_my_businesses_lists_an_officers_own_businesses_not_every_client(officers, as_person):
    page = as_person(officers[OfficerRole.SUPERVISOR]).get("/en/businesses/").content.decode()
    assert "Maple Leaf Imports" not in page and "Northern Customs Brokers" not in page


def test_the_admin_lets_an_officer_read_and_change_nothing(officers, as_person):
    client = as_person(officers[OfficerRole.SUPERVISOR])
    index = client.get("/en/admin/")
    assert index.status_code == 200 and "/en/admin/businesses/business/" in index.content.decode()
    assert client.get("/en/admin/businesses/business/").status_code == 200
    business = Business.objects.get(bn9="123456782")
    change = client.post(f"/en/admin/businesses/business/{business.pk}/change/", {"legal_name": "Renamed"})
    assert change.status_code == 403
    business.refresh_from_db()
    assert business.legal_name == "Maple Leaf Imports Inc."
    assert client.get("/en/admin/businesses/business/add/").status_code == 403


def test_the_admin_refuses_a_staff_user_without_an_officer_role(maple, as_person):
    staff = ensure_person("former@cbsa.example", "Former Officer")
    get_user_model().objects.filter(pk=staff.pk).update(is_staff=True)
    staff.refresh_from_db()
    assert as_person(staff).get("/en/admin/businesses/business/").status_code == 403

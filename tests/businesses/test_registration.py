"""Register my business: BN → identity → affinity → terms → review, all or nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access.models import Role, RoleGrant
from audit.models import AuditEntry
from businesses import flow
from businesses.models import Business, ProgramAccount, RegistrationAttempt, TermsAcceptance
from tests.conftest import sign_in

MAPLE_IDENTITY = {
    "legal_name": "MAPLE LEAF IMPORTS INCORPORATED",
    "address_line": "100 Wellington St. W.",
    "city": "toronto",
    "province": "ON",
    "postal_code": "m5k1a1",
    "kind": "importer",
}
MAPLE_AFFINITY = {
    "transaction_number": "10207003502332",
    "duties_and_taxes": "3547.50",
    "last_payment": "1210.58",
    "last_statement_balance": "1210.58",
}
PRAIRIE_IDENTITY = {
    "legal_name": "Prairie Goods Co",
    "address_line": "455 Grain Exchange Road",
    "city": "Winnipeg",
    "province": "MB",
    "postal_code": "R3C 0V8",
    "kind": "importer",
}
URL = "/en/businesses/register/"


@pytest.fixture
def newcomer(client, charlie, registry_data):
    sign_in(client, charlie)
    return charlie


def _through_identity(client, bn, identity):
    assert client.post(URL, {"bn": bn}).url == URL + "identity/"
    return client.post(URL + "identity/", identity)


def _finish(client):
    assert client.post(URL + "terms/", {"accept": "on"}).url == URL + "review/"
    return client.post(URL + "review/")


def test_right_answers_register_the_business_and_make_the_registrant_its_bam(client, newcomer):
    assert _through_identity(client, "123 456 782", MAPLE_IDENTITY).url == URL + "affinity/"
    assert client.post(URL + "affinity/", MAPLE_AFFINITY).url == URL + "terms/"
    response = _finish(client)
    assert response.url == "/en/businesses/123456782/"
    business = Business.objects.get(bn9="123456782")
    assert list(business.program_accounts.values_list("number", flat=True)) == ["123456782RM0001", "123456782RM0002"]
    assert RoleGrant.objects.get(business=business, role=Role.BAM).user == newcomer
    acceptance = TermsAcceptance.objects.get(business=business)
    assert (acceptance.user, acceptance.terms.version) == (newcomer, "2026-1")
    assert AuditEntry.objects.filter(action="business.registered", actor_business="123456782").exists()
    assert "Maple Leaf Imports Inc. is registered" in client.get(response.url).content.decode()


def test_a_business_without_import_history_answers_only_the_registry_questions(client, newcomer):
    assert _through_identity(client, "456789122", PRAIRIE_IDENTITY).url == URL + "affinity/"
    assert client.get(URL + "affinity/").url == URL + "terms/"  # no question to ask
    _finish(client)
    assert Business.objects.get(bn9="456789122").program_accounts.get().number == "456789122RM0001"


WRONG = {
    "transaction": {"transaction_number": "13284006000241"},  # a real transaction, with another's amount
    "duties": {"duties_and_taxes": "3547.51"},
    "payment": {"last_payment": "3547.50"},  # an earlier payment, not the last
    "statement": {"last_statement_balance": "0"},
}


@pytest.mark.parametrize("wrong", WRONG)
def test_each_wrong_answer_fails_without_saying_which(client, newcomer, wrong):
    _through_identity(client, "123456782", MAPLE_IDENTITY)
    response = client.post(URL + "affinity/", {**MAPLE_AFFINITY, **WRONG[wrong]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The answers do not match the records for this business." in page
    assert "error-message" not in page.split("<form", 1)[1]  # no field is singled out
    assert not Business.objects.exists()
    assert AuditEntry.objects.filter(action="registration.attempt", after__succeeded=False).count() == 1


def test_a_wrong_name_or_address_fails_the_same_way(client, newcomer):
    response = _through_identity(client, "123456782", {**MAPLE_IDENTITY, "postal_code": "M5K 1A2"})
    assert "The answers do not match the records for this business." in response.content.decode()
    assert client.get(URL + "affinity/").url == URL + "identity/"


def test_five_wrong_answers_lock_the_number_for_that_person_for_24_hours(client, newcomer):
    _through_identity(client, "123456782", MAPLE_IDENTITY)
    for _attempt in range(4):
        client.post(URL + "affinity/", {**MAPLE_AFFINITY, "last_payment": "1.00"})
    response = client.post(URL + "affinity/", {**MAPLE_AFFINITY, "last_payment": "1.00"})
    assert "Too many wrong answers" in response.content.decode()
    # Locked: even the right answers are refused, and starting again does not help.
    assert "Too many wrong answers" in client.post(URL + "affinity/", MAPLE_AFFINITY).content.decode()
    assert "Too many wrong answers" in client.post(URL, {"bn": "123456782"}).content.decode()
    assert RegistrationAttempt.objects.filter(succeeded=False).count() == 5
    # A day later the number opens again.
    RegistrationAttempt.objects.update(at=timezone.now() - timedelta(hours=24, minutes=1))
    _through_identity(client, "123456782", MAPLE_IDENTITY)
    assert client.post(URL + "affinity/", MAPLE_AFFINITY).url == URL + "terms/"


def test_the_lock_is_per_person(client, newcomer, alice):
    RegistrationAttempt.objects.bulk_create(
        RegistrationAttempt(user=newcomer, bn9="123456782", step="affinity", succeeded=False) for _ in range(5)
    )
    assert "Too many wrong answers" in client.post(URL, {"bn": "123456782"}).content.decode()
    client.logout()
    sign_in(client, alice)
    assert client.post(URL, {"bn": "123456782"}).status_code == 302


@pytest.mark.parametrize(
    "bn, message",
    [
        ("12345678", "A business number has 9 digits"),
        ("123456789", "its check digit is wrong"),
        ("ABCDEFGHI", "A business number has digits only."),
        ("130000003", "The Canada Revenue Agency has no business with number 130000003."),
    ],
)
def test_a_malformed_or_unknown_number_is_refused_clearly(client, newcomer, bn, message):
    response = client.post(URL, {"bn": bn})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_malformed_number_is_refused_in_french_too(client, newcomer):
    response = client.post("/fr/businesses/register/", {"bn": "123456789"})
    assert "son chiffre de contrôle est erroné" in response.content.decode()


def test_a_registered_business_sends_the_second_person_to_their_employer(client, maple, charlie):
    sign_in(client, charlie)
    page = client.post(URL, {"bn": "123456782"}).content.decode()
    assert "already registered in the portal. Request access from your employer instead." in page


def test_a_registration_overtaken_at_the_last_step_leaves_nothing_half_created(client, newcomer, alice):
    _through_identity(client, "456789122", PRAIRIE_IDENTITY)
    client.get(URL + "affinity/")
    client.post(URL + "terms/", {"accept": "on"})
    # Someone else registers Prairie Goods between the terms and the confirmation.
    from businesses.services import register_business
    from businesses.terms import current_terms

    register_business(alice, "456789122", kind="importer", terms=current_terms())
    response = client.post(URL + "review/")
    assert "already registered" in response.content.decode()
    assert ProgramAccount.objects.filter(business__bn9="456789122").count() == 1
    assert not RoleGrant.objects.filter(user=newcomer).exists()
    assert not TermsAcceptance.objects.filter(user=newcomer).exists()


def test_an_expired_flow_restarts_with_a_message(client, newcomer):
    _through_identity(client, "456789122", PRAIRIE_IDENTITY)
    session = client.session
    session[flow.SESSION_KEY]["started_at"] = (timezone.now() - timedelta(hours=1)).isoformat()
    session.save()
    response = client.post(URL + "terms/", {"accept": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Your registration session expired or was interrupted." in response.content.decode()


def test_a_step_cannot_be_skipped(client, newcomer):
    assert client.get(URL + "review/").url == URL  # never started
    client.post(URL, {"bn": "123456782"})
    assert client.get(URL + "review/").url == URL + "identity/"
    assert client.get(URL + "terms/").url == URL + "identity/"


def test_the_terms_must_be_accepted(client, newcomer):
    _through_identity(client, "456789122", PRAIRIE_IDENTITY)
    client.get(URL + "affinity/")
    response = client.post(URL + "terms/", {})
    assert "Accept the terms and conditions to continue." in response.content.decode()

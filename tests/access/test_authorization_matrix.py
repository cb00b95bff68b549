"""Who may do what, for every persona × action on a business, a program account, the member list
and an access request — in the rights kernel, on the pages, on the API, in the services and in every
list; for a service provider's employee by relationship scope, role, payments term and visibility
rule; and for the officer role (reads every client's rows, decides nothing here). Personas are at
Maple Leaf Imports Inc. (see tests/conftest.py);
`other` is Northern's BAM, `officer` is the demo CBSA officer (a staff user)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import rights
from access.models import AccessRequest
from accounts.demo import ensure_person
from businesses.models import Business, ProgramAccount
from ledger import offsetting
from ledger.models import LedgerEntry, OffsettingPreference, RefundRequest
from ledger.posting import ledger_of
from ledger.services import set_demand
from rights import Action, OfficerRole
from tests.delegation.conftest import bob, brenda, northern, relate  # noqa: F401  (fixtures)
from tests.delegation.test_authorization import entries  # noqa: F401  (fixture)

PERSONAS = ["bam", "pam", "editor", "reader", "orphan", "other", "officer", "anonymous"]
FIXTURES = {"other": "other_business_user", "officer": "olivia"}

# persona: (business view, manage_people, administer), (RM0001 view, transact, pay, manage_people), RM0002 view
EXPECTED = {
    "bam": ((1, 1, 1), (1, 1, 1, 1), 1),
    "pam": ((1, 1, 0), (1, 1, 1, 1), 0),
    "editor": ((1, 0, 0), (1, 1, 1, 0), 0),  # the payments issue: an Editor may pay
    "reader": ((1, 0, 0), (1, 0, 0, 0), 0),
    "orphan": ((0, 0, 0), (0, 0, 0, 0), 0),
    "other": ((0, 0, 0), (0, 0, 0, 0), 0),
    "officer": ((1, 0, 0), (1, 0, 0, 0), 1),  # an officer holding VIEW_CLIENTS reads every client's rows, no more
    "anonymous": ((0, 0, 0), (0, 0, 0, 0), 0),
}
READS_EVERY_CLIENT = {"officer"}  # and so sees access requests it may not decide
BUSINESS_ACTIONS = [Action.VIEW, Action.MANAGE_PEOPLE, Action.ADMINISTER]
ACCOUNT_ACTIONS = [Action.VIEW, Action.TRANSACT, Action.PAY, Action.MANAGE_PEOPLE]


@pytest.fixture
def world(request, maple, rm0001):
    """Every persona exists, and a newcomer waits for Maple's decision."""
    people = {name: request.getfixturevalue(FIXTURES.get(name, name)) for name in PERSONAS if name != "anonymous"}
    newcomer = ensure_person("nina@maple.example", "Nina Newhire")
    pending = AccessRequest.objects.create(user=newcomer, business=maple, note="New in accounting")
    return {
        "people": people,
        "request": pending,
        "business": maple,
        "rm0001": rm0001,
        "rm0002": maple.program_accounts.get(number="123456782RM0002"),
    }


def _user(world, persona):
    return world["people"].get(persona)


def _client(client, world, persona):
    if persona != "anonymous":
        client.force_login(_user(world, persona))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_layer_answers_every_action(world, persona):
    business_rights, account_rights, rm0002_view = EXPECTED[persona]
    user = _user(world, persona)
    assert [rights.may(user, a, world["business"]) for a in BUSINESS_ACTIONS] == [bool(x) for x in business_rights]
    assert [rights.may(user, a, world["rm0001"]) for a in ACCOUNT_ACTIONS] == [bool(x) for x in account_rights]
    assert rights.may(user, Action.VIEW, world["rm0002"]) == bool(rm0002_view)
    sees_request = bool(business_rights[1]) or persona in READS_EVERY_CLIENT
    assert (world["request"] in AccessRequest.objects.visible_to(user)) == sees_request


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_open_or_answer_not_found(client, world, persona):
    business_rights, _accounts, _rm0002 = EXPECTED[persona]
    client = _client(client, world, persona)
    pages = {
        "/en/businesses/123456782/": business_rights[0],
        "/en/access/123456782/employees/": business_rights[1],
        f"/en/access/123456782/requests/{world['request'].pk}/": business_rights[1],
        "/en/access/123456782/groups/new/": business_rights[2],
    }
    for url, allowed in pages.items():
        status = client.get(url).status_code
        expected = 200 if allowed else (302 if persona == "anonymous" else 404)
        assert status == expected, (url, status)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_answers_or_hides(client, world, persona):
    business_rights, account_rights, rm0002_view = EXPECTED[persona]
    client = _client(client, world, persona)
    endpoints = {
        "/api/v1/businesses/123456782": business_rights[0],
        "/api/v1/program-accounts/123456782RM0001": account_rights[0],
        "/api/v1/program-accounts/123456782RM0002": rm0002_view,
        f"/api/v1/access-requests/{world['request'].pk}": business_rights[1] or persona in READS_EVERY_CLIENT,
    }
    for url, allowed in endpoints.items():
        status = client.get(url).status_code
        expected = 200 if allowed else (401 if persona == "anonymous" else 404)
        assert status == expected, (url, status)
    transactable = client.get("/api/v1/program-accounts?action=transact")
    if persona != "anonymous":
        numbers = {row["number"] for row in transactable.json()["results"]}
        assert ("123456782RM0001" in numbers) == bool(account_rights[1])


@pytest.mark.parametrize("persona", PERSONAS)
def test_deciding_a_request_is_for_managers_only(client, world, persona):
    business_rights, _accounts, _rm0002 = EXPECTED[persona]
    client = _client(client, world, persona)
    response = client.post(
        f"/api/v1/access-requests/{world['request'].pk}/approve",
        {"roles": [{"program_account": "123456782RM0001", "role": "reader"}]},
        content_type="application/json",
    )
    expected = 200 if business_rights[1] else (401 if persona == "anonymous" else 404)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_no_list_or_count_shows_another_business(client, world, persona):
    user = _user(world, persona)
    # the person's own businesses: an officer's view of every client is not a list of hers (rights.held)
    mine = set(rights.held(Business.objects.all(), user).values_list("bn9", flat=True))
    accounts = set(rights.held(ProgramAccount.objects.all(), user).values_list("business__bn9", flat=True))
    assert accounts <= mine
    client = _client(client, world, persona)
    listed = client.get("/api/v1/businesses").json()
    assert {row["bn9"] for row in listed["results"]} == mine and listed["count"] == len(mine)
    listed_accounts = client.get("/api/v1/program-accounts").json()["results"]
    assert {row["business"] for row in listed_accounts} <= mine
    requests = client.get("/api/v1/access-requests").json()["results"]
    assert {row["business"] for row in requests} <= mine
    grants = client.get("/api/v1/role-grants").json()["results"]
    assert {row["business"] for row in grants} <= mine
    for page in ("/en/", "/en/businesses/", "/en/businesses/program-accounts/"):
        html = client.get(page).content.decode()
        for business in Business.objects.exclude(bn9__in=mine):
            assert business.legal_name not in html, (page, business)


def test_reader_sees_only_the_program_account_granted(world):
    reader = _user(world, "reader")
    assert list(ProgramAccount.objects.visible_to(reader).values_list("number", flat=True)) == ["123456782RM0001"]
    assert not ProgramAccount.objects.visible_to(reader, Action.TRANSACT).exists()


def test_the_api_rejects_an_unknown_action(client, world):
    client.force_login(_user(world, "bam"))
    response = client.get("/api/v1/program-accounts?action=fly")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "action"


def test_django_permissions_agree_with_the_kernel(world):
    assert _user(world, "pam").has_perm("rights.manage_people", world["business"])
    assert not _user(world, "reader").has_perm("rights.manage_people", world["business"])


# --- services that change money check rights themselves ---------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_offsetting_services_need_pay_on_the_account(world, persona):
    _business, account_rights, _rm0002 = EXPECTED[persona]
    user, account = _user(world, persona), world["rm0001"]
    before = ledger_of(account).offsetting_preference
    if account_rights[2]:
        offsetting.set_preference(account, OffsettingPreference.HOLD_FOR_REFUND, user=user)
        with pytest.raises(ValidationError) as refused:  # allowed, but Maple has no credit to refund
            offsetting.request_refund(account, Decimal("10.00"), user=user)
        assert refused.value.code == "debt_remains"
    else:
        with pytest.raises(PermissionDenied):
            offsetting.set_preference(account, OffsettingPreference.HOLD_FOR_REFUND, user=user)
        with pytest.raises(PermissionDenied):
            offsetting.request_refund(account, Decimal("10.00"), user=user)
    expected = OffsettingPreference.HOLD_FOR_REFUND if account_rights[2] else before
    assert before != OffsettingPreference.HOLD_FOR_REFUND and ledger_of(account).offsetting_preference == expected
    assert not RefundRequest.objects.filter(program_account=account).exists()


# --- officer roles -------------------------------------------------------------------------------------

OFFICER_ACTIONS = [Action.DECIDE_ADJUSTMENTS, Action.DECIDE_REFUNDS, Action.ISSUE_DEMANDS, Action.IMPORT_REMITTANCES]
OFFICER_PAGES = ["/en/ledger/refunds/", "/en/declarations/adjustments/", "/en/payments/remittance/"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_officer_actions_come_from_the_officer_role_only(world, persona):
    user = _user(world, persona)
    officer = persona == "officer"
    assert rights.actor_of(user).officer_roles == ({OfficerRole.SUPERVISOR} if officer else frozenset())
    assert [rights.may(user, action) for action in OFFICER_ACTIONS] == [officer] * len(OFFICER_ACTIONS)
    if user is not None:
        assert user.has_perm("rights.decide_refunds", world["rm0001"]) == officer
        assert user.has_perm("rights.decide_adjustments") == officer  # the officers' link on the CAD list
        assert not user.has_perm("rights.view")  # business actions need a business or an account


@pytest.mark.parametrize("persona", PERSONAS)
def test_officer_pages_open_to_the_officer_role_only(client, world, persona):
    client = _client(client, world, persona)
    for url in OFFICER_PAGES:
        status = client.get(url).status_code
        expected = 200 if persona == "officer" else (302 if persona == "anonymous" else 403)
        assert status == expected, (url, status)


@pytest.mark.parametrize("persona", PERSONAS)
def test_officer_services_refuse_everyone_else(world, persona):
    user, account = _user(world, persona), world["rm0001"]
    refund = RefundRequest.objects.create(
        program_account=account, amount=Decimal("25.00"), requested_by=world["people"]["bam"]
    )
    if persona == "officer":
        decided = offsetting.decide_refund(refund, approve=False, officer=user, reason="No credit on the account")
        assert decided.status == RefundRequest.Status.REJECTED
        assert set_demand(account, dt.date(2026, 3, 2), officer=user).demand_issued_on == dt.date(2026, 3, 2)
    else:
        with pytest.raises(PermissionDenied):
            offsetting.decide_refund(refund, approve=False, officer=user, reason="No credit on the account")
        with pytest.raises(PermissionDenied):
            set_demand(account, dt.date(2026, 3, 2), officer=user)
        refund.refresh_from_db()
        assert refund.status == RefundRequest.Status.PENDING and ledger_of(account).demand_issued_on is None


# --- a service provider's employee: scope, role, payments term, visibility ----------------------------

# (scope, role, allows_payments): RM0001 (view, transact, pay), RM0002 (view, transact, pay)
DELEGATED = {
    ("business", "editor", False): ((1, 1, 0), (1, 1, 0)),
    ("business", "editor", True): ((1, 1, 1), (1, 1, 1)),
    ("business", "reader", True): ((1, 0, 0), (1, 0, 0)),
    ("program", "editor", True): ((0, 0, 0), (1, 1, 1)),
}


@pytest.mark.parametrize("terms", list(DELEGATED), ids=lambda terms: "-".join(map(str, terms)))
def test_a_delegated_employee_gets_one_answer_from_kernel_pages_api_and_services(client, world, relate, brenda, terms):
    scope, role, allows_payments = terms
    accounts = ["123456782RM0002"] if scope == "program" else ()
    relate(scope, accounts=accounts, role=role, person=brenda, allows_payments=allows_payments)
    client.force_login(brenda)
    for number, expected in zip(["123456782RM0001", "123456782RM0002"], DELEGATED[terms], strict=True):
        account = ProgramAccount.objects.get(number=number)
        assert [rights.may(brenda, a, account) for a in (Action.VIEW, Action.TRANSACT, Action.PAY)] == [
            bool(x) for x in expected
        ], number
        assert client.get(f"/api/v1/program-accounts/{number}").status_code == (200 if expected[0] else 404)
        assert client.get(f"/en/ledger/{number}/").status_code == (200 if expected[0] else 404)
        if expected[2]:
            offsetting.set_preference(account, OffsettingPreference.CURRENT_STATEMENT, user=brenda)
        else:
            with pytest.raises(PermissionDenied):
                offsetting.set_preference(account, OffsettingPreference.CURRENT_STATEMENT, user=brenda)
    assert not rights.may(brenda, Action.MANAGE_PEOPLE, world["business"])


# the one category a relationship's visibility rule ticks → the entries its employee sees
TICKED = {
    "sees_provider": {"test-provider"},
    "sees_importer": {"test-importer", "test-cbsa"},  # submitted by the importer, or by nobody (CBSA)
    "sees_others": {"test-other"},
}


@pytest.mark.parametrize("ticked", list(TICKED))
def test_the_visibility_rules_hold_in_the_kernel_and_the_api(client, world, relate, brenda, entries, ticked):
    relate("business", person=brenda, **{category: category == ticked for category in TICKED})
    expected = TICKED[ticked]
    mine = rights.restrict(LedgerEntry.objects.filter(source_key__startswith="test-"), brenda, Action.VIEW)
    assert set(mine.values_list("source_key", flat=True)) == expected
    client.force_login(brenda)
    listed = client.get("/api/v1/ledger/entries", {"program_account": "123456782RM0001"}).json()["results"]
    ids = {entry.pk: key for key, entry in entries.items()}
    assert {f"test-{ids[row['id']]}" for row in listed if row["id"] in ids} == expected

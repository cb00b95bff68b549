"""Who may do what, for every persona × action on a business, a program account, the member list
and an access request — in the authorization layer, on the pages, on the API and in every list.
Personas are at Maple Leaf Imports Inc. (see tests/conftest.py); `other` is Northern's BAM."""

import pytest

import rights
from access.models import AccessRequest
from accounts.demo import ensure_person
from businesses.models import Business, ProgramAccount
from rights import Action

PERSONAS = ["bam", "pam", "editor", "reader", "orphan", "other", "anonymous"]
FIXTURES = {"other": "other_business_user"}

# persona: (business view, manage_people, administer), (RM0001 view, transact, pay, manage_people), RM0002 view
EXPECTED = {
    "bam": ((1, 1, 1), (1, 1, 1, 1), 1),
    "pam": ((1, 1, 0), (1, 1, 1, 1), 0),
    "editor": ((1, 0, 0), (1, 1, 1, 0), 0),  # the payments issue: an Editor may pay
    "reader": ((1, 0, 0), (1, 0, 0, 0), 0),
    "orphan": ((0, 0, 0), (0, 0, 0, 0), 0),
    "other": ((0, 0, 0), (0, 0, 0, 0), 0),
    "anonymous": ((0, 0, 0), (0, 0, 0, 0), 0),
}
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
    assert (world["request"] in AccessRequest.objects.visible_to(user)) == bool(business_rights[1])


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
        f"/api/v1/access-requests/{world['request'].pk}": business_rights[1],
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
    mine = set(Business.objects.visible_to(user).values_list("bn9", flat=True))
    accounts = set(ProgramAccount.objects.visible_to(user).values_list("business__bn9", flat=True))
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

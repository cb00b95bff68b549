"""Provider people on the authorization layer: business scope vs program scope vs no relationship
vs expired vs revoked, against each of Maple's program accounts and each visibility combination."""

import datetime
import itertools

import pytest
from django.utils import timezone

import rights as kernel
from businesses.models import Business, ProgramAccount
from delegation import services
from ledger.models import LedgerEntry
from rights import Action

from .conftest import expire

ACCOUNTS = ["123456782RM0001", "123456782RM0002"]


def rights(person, number):
    account = ProgramAccount.objects.get(number=number)
    return tuple(int(kernel.may(person, action, account)) for action in (Action.VIEW, Action.TRANSACT, Action.PAY))


@pytest.mark.parametrize(
    "situation, role, expected",
    [
        ("business", "editor", {"123456782RM0001": (1, 1, 0), "123456782RM0002": (1, 1, 0)}),
        ("business", "reader", {"123456782RM0001": (1, 0, 0), "123456782RM0002": (1, 0, 0)}),
        ("program", "editor", {"123456782RM0001": (0, 0, 0), "123456782RM0002": (1, 1, 0)}),
        ("program", "reader", {"123456782RM0001": (0, 0, 0), "123456782RM0002": (1, 0, 0)}),
        ("none", "editor", {"123456782RM0001": (0, 0, 0), "123456782RM0002": (0, 0, 0)}),
        ("expired", "editor", {"123456782RM0001": (0, 0, 0), "123456782RM0002": (0, 0, 0)}),
        ("revoked", "editor", {"123456782RM0001": (0, 0, 0), "123456782RM0002": (0, 0, 0)}),
        ("unassigned", "editor", {"123456782RM0001": (0, 0, 0), "123456782RM0002": (0, 0, 0)}),
    ],
)
def test_a_provider_employee_gets_the_assigned_role_on_the_relationship_accounts_while_in_force(
    situation, role, expected, relate, brenda, alice, maple
):
    if situation != "none":
        scope = "program" if situation == "program" else "business"
        relationship = relate(
            scope,
            accounts=["123456782RM0002"] if scope == "program" else (),
            role=role,
            person=None if situation == "unassigned" else brenda,
        )
        if situation == "expired":
            expire(relationship)
        if situation == "revoked":
            services.revoke(alice, relationship)
    for number in ACCOUNTS:
        assert rights(brenda, number) == expected[number], number
    assert kernel.may(brenda, Action.VIEW, maple) == any(v[0] for v in expected.values())
    assert not kernel.may(brenda, Action.MANAGE_PEOPLE, maple)
    assert not kernel.may(brenda, Action.ADMINISTER, maple)


def test_a_group_assignment_gives_its_members_the_role(relate, bob, brenda):
    from access.models import EmployeeGroup

    relationship = relate("business")
    services.assign(bob, relationship, "reader", group=EmployeeGroup.objects.get(name="Declarations"))
    assert rights(brenda, "123456782RM0001") == (1, 0, 0)


def test_the_provider_bam_gets_nothing_on_the_client_until_assigned(relate, bob):
    relate("business")
    assert rights(bob, "123456782RM0001") == (0, 0, 0)


def test_a_relationship_past_its_expiry_date_gives_nothing_even_before_the_nightly_task(relate, brenda):
    relationship = relate("business", person=brenda)
    expire(relationship)
    assert relationship.status == "active"
    assert rights(brenda, "123456782RM0001") == (0, 0, 0)


@pytest.fixture
def entries(maple, northern):
    """On RM0001: one entry submitted by Northern, one by Maple, one by another broker, one by CBSA (none)."""
    other = Business.objects.create(
        bn9="999999998",
        legal_name="Other Brokers",
        address_line="1 Main",
        city="Ottawa",
        province="ON",
        postal_code="K1A0B1",
        kind=Business.Kind.CUSTOMS_BROKER,
    )
    account = ProgramAccount.objects.get(number="123456782RM0001")
    today = timezone.localdate()
    made = {}
    for name, business in [("provider", northern), ("importer", maple), ("other", other), ("cbsa", None)]:
        made[name] = LedgerEntry.objects.create(
            program_account=account,
            entry_type="assessment",
            amount=10,
            effective_date=today,
            due_date=today,
            billing_period_end=today + datetime.timedelta(days=10),
            source_key=f"test-{name}",
            submitted_by_business=business,
        )
    return made


def visible(person, action=Action.VIEW):
    return {
        entry.source_key.removeprefix("test-")
        for entry in kernel.restrict(LedgerEntry.objects.filter(source_key__startswith="test-"), person, action)
    }


@pytest.mark.parametrize("sees", list(itertools.product([False, True], repeat=3)))
def test_a_provider_employee_sees_only_the_records_the_importer_ticked(sees, relate, brenda, entries):
    sees_provider, sees_importer, sees_others = sees
    relate("business", person=brenda, sees_provider=sees_provider, sees_importer=sees_importer, sees_others=sees_others)
    expected = (
        ({"provider"} if sees_provider else set())
        | ({"importer", "cbsa"} if sees_importer else set())
        | ({"other"} if sees_others else set())
    )
    assert visible(brenda) == expected
    assert LedgerEntry.objects.visible_to(brenda).filter(source_key__startswith="test-").count() == len(expected)


def test_a_program_relationship_defaults_to_the_provider_own_records(relate, brenda, entries):
    relate("program", accounts=["123456782RM0001"], person=brenda)
    assert visible(brenda) == {"provider"}


def test_the_importer_own_people_see_every_record_of_their_accounts(reader, alice, entries, relate):
    relate("business")
    assert visible(reader) == visible(alice) == {"provider", "importer", "other", "cbsa"}


def test_an_expired_user_sees_only_what_its_business_submitted_for_that_client_and_cannot_act(relate, brenda, entries):
    relationship = relate("business", person=brenda, sees_provider=True, sees_importer=True, sees_others=True)
    services.expire_relationships(today=relationship.expires_on + datetime.timedelta(days=1))
    relationship.refresh_from_db()
    assert relationship.status == "expired"
    assert visible(brenda) == {"provider"}
    assert visible(brenda, Action.TRANSACT) == set()
    assert rights(brenda, "123456782RM0001") == (0, 0, 0)


@pytest.mark.parametrize("how", ["revoked", "ended"])
def test_a_revoked_or_ended_relationship_leaves_no_record_visible(how, relate, brenda, entries, alice, bob):
    relationship = relate("business", person=brenda, sees_provider=True)
    if how == "revoked":
        services.revoke(alice, relationship)
    else:
        services.end_by_provider(bob, relationship)
    assert visible(brenda) == set()


def test_no_relationship_no_record(brenda, entries):
    assert visible(brenda) == set()


def test_narrowing_the_scope_takes_effect_at_once(relate, brenda, alice):
    relationship = relate("business", person=brenda)
    services.change_terms(
        alice, relationship, scope="program", accounts=[ProgramAccount.objects.get(number=ACCOUNTS[1])]
    )
    assert rights(brenda, ACCOUNTS[0]) == (0, 0, 0)
    assert rights(brenda, ACCOUNTS[1]) == (1, 1, 0)

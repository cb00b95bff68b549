"""A provider employee who leaves (access removed, Orphan, Expired User at the provider) gets nothing
from their client assignments at once; the nightly run then takes the assignments off, audited."""

import pytest

import rights
from access import services as access_services
from access.models import EmployeeGroup, Role, RoleGrant
from audit.models import AuditEntry
from businesses.models import ProgramAccount
from delegation import services
from delegation.models import ClientAssignment
from rights import Action

MAPLE_RM0001 = "123456782RM0001"


def may_view(person):
    return rights.may(person, Action.VIEW, ProgramAccount.objects.get(number=MAPLE_RM0001))


def leave_group(person):
    EmployeeGroup.objects.get(name="Declarations").members.remove(person)


@pytest.mark.parametrize("how", ["removed by the BAM", "left the group (an Orphan)", "only an Expired User"])
def test_an_employee_who_left_the_provider_gets_nothing_from_a_client_assignment(how, relate, bob, brenda, northern):
    relate("business", person=brenda, allows_payments=True)
    assert may_view(brenda) and rights.clients_of(brenda) == {"123456782"}
    if how == "removed by the BAM":
        access_services.remove_member(bob, northern, brenda)
    elif how == "left the group (an Orphan)":
        leave_group(brenda)
    else:
        leave_group(brenda)
        RoleGrant.objects.create(
            business=northern, program_account=northern.program_accounts.first(), user=brenda, role=Role.EXPIRED
        )
    for action in (Action.VIEW, Action.TRANSACT, Action.PAY):
        assert not ProgramAccount.objects.visible_to(brenda, action).exists(), action
    assert rights.clients_of(brenda) == set()
    assert ClientAssignment.objects.filter(user=brenda).exists()  # not tidied yet: authz alone refuses


def test_an_employee_still_holding_a_role_at_the_provider_keeps_the_assignment(relate, bob, brenda, northern):
    relate("business", person=brenda)
    access_services.set_role(bob, northern.program_accounts.first(), "reader", user=brenda)
    leave_group(brenda)
    assert may_view(brenda)
    assert services.expire_relationships()["unassigned"] == 0


def test_the_nightly_run_takes_the_departed_off_their_clients_and_audits_it(relate, bob, brenda, northern):
    relationship = relate("business", person=brenda)
    client_group = services.save_client_group(bob, northern, name="Ontario importers", relationships=[relationship])
    services.assign_client_group(bob, client_group, "reader", user=brenda)
    access_services.remove_member(bob, northern, brenda)
    assert services.expire_relationships()["unassigned"] == 2
    assert not ClientAssignment.objects.filter(user=brenda).exists()
    entries = AuditEntry.objects.filter(action__endswith=".unassigned").order_by("action")
    assert [(e.action, e.before["user"], e.acting_for_business) for e in entries] == [
        ("client_group.unassigned", brenda.email, ""),
        ("relationship.unassigned", brenda.email, "123456782"),
    ]
    assert services.expire_relationships()["unassigned"] == 0

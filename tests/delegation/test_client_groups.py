"""Client groups: a provider groups its clients (e.g. "Ontario importers") and assigns employees or
employee groups to all of them at once, with the same role rules; the rights follow the group's
membership at once, within each client's own terms."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import rights as kernel
from access.models import EmployeeGroup
from audit.models import AuditEntry
from businesses.models import Business, ProgramAccount
from delegation import services
from delegation.models import ClientGroup
from rights import Action
from tests.conftest import sign_in

MAPLE, PRAIRIE = "123456782", "456789122"


@pytest.fixture
def prairie(maple, charlie):
    """A second importer (Charlie registers Prairie Goods)."""
    from businesses.services import register_business
    from businesses.terms import current_terms

    return register_business(charlie, PRAIRIE, kind=Business.Kind.IMPORTER, terms=current_terms())


@pytest.fixture
def clients(relate, bob, charlie, northern, prairie):
    """Northern works for Maple (business scope) and for Prairie (business scope), nobody assigned."""
    pending = services.request_relationship(bob, northern, PRAIRIE, scope="business")
    return relate("business"), services.approve(charlie, pending)


def rights(person, bn9):
    accounts = ProgramAccount.objects.filter(business__bn9=bn9)
    return {
        action.value
        for action in (Action.VIEW, Action.TRANSACT, Action.PAY)
        if all(kernel.may(person, action, account) for account in accounts)
    }


def test_an_employee_assigned_to_a_client_group_works_on_every_client_in_it(clients, bob, brenda, northern):
    ontario = services.save_client_group(bob, northern, name="Ontario importers", relationships=clients)
    services.assign_client_group(bob, ontario, "editor", user=brenda)
    assert rights(brenda, MAPLE) == rights(brenda, PRAIRIE) == {"view", "transact"}
    assert kernel.clients_of(brenda) == {MAPLE, PRAIRIE}


def test_an_employee_group_assigned_to_a_client_group_gives_its_members_the_role(clients, bob, brenda, northern):
    ontario = services.save_client_group(bob, northern, name="Ontario importers", relationships=clients)
    services.assign_client_group(bob, ontario, "reader", group=EmployeeGroup.objects.get(name="Declarations"))
    assert rights(brenda, MAPLE) == rights(brenda, PRAIRIE) == {"view"}


def test_the_assignment_follows_the_group_membership_at_once(clients, bob, brenda, northern):
    maple_rel, prairie_rel = clients
    ontario = services.save_client_group(bob, northern, name="Ontario importers", relationships=[maple_rel])
    services.assign_client_group(bob, ontario, "editor", user=brenda)
    assert rights(brenda, PRAIRIE) == set()
    services.save_client_group(bob, northern, name="Ontario importers", relationships=clients, client_group=ontario)
    assert rights(brenda, PRAIRIE) == {"view", "transact"}
    services.save_client_group(bob, northern, name="Ontario", relationships=[prairie_rel], client_group=ontario)
    assert rights(brenda, MAPLE) == set()
    changed = AuditEntry.objects.filter(action="client_group.changed").latest("pk")
    assert (changed.before["clients"], changed.after["clients"]) == ([MAPLE, PRAIRIE], [PRAIRIE])


def test_each_client_terms_still_apply(clients, bob, brenda, northern, alice):
    maple_rel, _ = clients
    ontario = services.save_client_group(bob, northern, name="Ontario importers", relationships=clients)
    services.assign_client_group(bob, ontario, "editor", user=brenda)
    services.change_terms(alice, maple_rel, allows_payments=True)
    assert "pay" in rights(brenda, MAPLE) and "pay" not in rights(brenda, PRAIRIE)
    services.revoke(alice, maple_rel)
    assert rights(brenda, MAPLE) == set() and rights(brenda, PRAIRIE) == {"view", "transact"}


def test_deleting_the_group_or_removing_the_assignment_ends_the_rights(clients, bob, brenda, northern):
    ontario = services.save_client_group(bob, northern, name="Ontario importers", relationships=clients)
    services.assign_client_group(bob, ontario, "editor", user=brenda)
    services.assign_client_group(bob, ontario, None, user=brenda)
    assert rights(brenda, MAPLE) == set()
    services.assign_client_group(bob, ontario, "editor", user=brenda)
    services.delete_client_group(bob, ontario)
    assert rights(brenda, MAPLE) == set()
    actions = set(AuditEntry.objects.filter(action__startswith="client_group.").values_list("action", flat=True))
    assert actions == {f"client_group.{what}" for what in ("created", "assigned", "unassigned", "deleted")}


def test_the_same_role_rules_apply(clients, bob, northern, reader, tidewater):
    ontario = services.save_client_group(bob, northern, name="Ontario importers", relationships=clients)
    with pytest.raises(ValidationError, match="Editor or Reader"):
        services.assign_client_group(bob, ontario, "pam", user=bob)
    with pytest.raises(ValidationError, match="people of your business"):
        services.assign_client_group(bob, ontario, "editor", user=reader)
    other = EmployeeGroup.objects.create(business=tidewater, name="Theirs")
    with pytest.raises(ValidationError, match="group of your business"):
        services.assign_client_group(bob, ontario, "editor", group=other)


def test_only_the_provider_bam_groups_its_own_clients(clients, bob, brenda, tina, northern, tidewater):
    with pytest.raises(PermissionDenied):
        services.save_client_group(brenda, northern, name="Mine", relationships=clients)
    with pytest.raises(PermissionDenied):
        services.save_client_group(tina, northern, name="Mine", relationships=clients)
    with pytest.raises(ValidationError, match="clients of your business"):
        services.save_client_group(tina, tidewater, name="Mine", relationships=clients)
    services.save_client_group(bob, northern, name="Ontario", relationships=[])
    with pytest.raises(ValidationError, match="already has a client group"):
        services.save_client_group(bob, northern, name="Ontario", relationships=[])


def test_the_provider_bam_groups_clients_and_assigns_on_the_pages(client, clients, bob, brenda, northern):
    maple_rel, prairie_rel = clients
    sign_in(client, bob)
    base = f"/en/relationships/{northern.bn9}/client-groups/"
    assert b"Client groups" in client.get(f"/en/relationships/{northern.bn9}/clients/").content
    response = client.post(base, {"name": "Ontario importers", f"client_{maple_rel.pk}": "on"})
    assert response.status_code == 302
    ontario = ClientGroup.objects.get()
    assert list(ontario.relationships.all()) == [maple_rel]
    page = base + f"{ontario.pk}/"
    response = client.post(page, {"step": "assign", "person": f"user-{brenda.pk}", "role": "editor"})
    assert response.status_code == 302
    assert rights(brenda, MAPLE) == {"view", "transact"}
    both = {f"client_{maple_rel.pk}": "on", f"client_{prairie_rel.pk}": "on"}
    response = client.post(page, {"step": "clients", "name": "Ontario importers", **both})
    assert response.status_code == 302
    assert rights(brenda, PRAIRIE) == {"view", "transact"}
    staff = client.get(f"/en/relationships/{northern.bn9}/clients/{prairie_rel.pk}/").content.decode()
    assert "Through client groups" in staff and "Ontario importers" in staff
    assert client.get(page.replace("/en/", "/fr/")).status_code == 200
    assert client.post(page, {"step": "clients", "name": ""}).status_code == 200  # a clear error, nothing lost
    assert client.post(page + "delete/").status_code == 302
    assert not ClientGroup.objects.exists()


def test_another_business_cannot_open_the_client_group(client, clients, bob, tina, northern):
    ontario = services.save_client_group(bob, northern, name="Ontario importers", relationships=clients)
    sign_in(client, tina)
    assert client.get(f"/en/relationships/{northern.bn9}/client-groups/{ontario.pk}/").status_code == 404


def test_the_api_manages_client_groups(api, clients, bob, brenda, tina, northern):
    maple_rel, prairie_rel = clients
    call = api(bob)
    group = {"provider": northern.bn9, "name": "Ontario", "relationships": [maple_rel.pk]}
    response = call("post", "client-groups", group)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = call("post", f"client-groups/{pk}/assignments", {"user": brenda.email, "role": "reader"})
    assert response.status_code == 200
    assert rights(brenda, MAPLE) == {"view"}
    body = call("get", f"client-groups/{pk}").json()
    assert body["relationships"] == [maple_rel.pk]
    assert body["assignments"] == [{"user": brenda.email, "group": "", "role": "reader"}]
    assert api(tina)("get", f"client-groups/{pk}").status_code == 404
    foreign = services.request_relationship(tina, tina.role_grants.get().business, "123456782", scope="business")
    response = call("post", "client-groups", {"provider": northern.bn9, "name": "X", "relationships": [foreign.pk]})
    assert response.status_code == 404  # a forged relationship id
    assert call("get", "client-groups").json()["results"][0]["name"] == "Ontario"
    response = call("post", "client-groups", {"name": "No provider"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "provider"
    response = call("put", f"client-groups/{pk}", {"name": "Ontario", "relationships": [maple_rel.pk, prairie_rel.pk]})
    assert response.status_code == 200 and sorted(response.json()["relationships"]) == sorted(clients_pks(clients))
    assert rights(brenda, PRAIRIE) == {"view"}
    assert call("put", f"client-groups/{pk}", {"name": " ", "relationships": []}).status_code == 400
    assert call("delete", f"client-groups/{pk}").status_code == 204
    assert rights(brenda, MAPLE) == set()


def clients_pks(relationships):
    return [relationship.pk for relationship in relationships]

"""Bob (Northern's BAM) groups his clients into a client group and assigns himself to it in the
browser, in English and French; the terms page shows the payments term. Every page is screenshotted
and checked with axe-core. Data: the demo seeders, delegation included."""

import re

import pytest

from tests.e2e.conftest import sign_in


@pytest.fixture
def demo_relationships(maple):
    from delegation import demo

    demo.seed()
    return maple


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_broker_groups_its_clients_and_assigns_an_employee(
    page, live_server, checker, demo_relationships, other_business_user, language
):
    from delegation.models import ClientGroup, Relationship

    relationship = Relationship.objects.get(status="active")
    sign_in(page, live_server, other_business_user)
    page.goto(f"{live_server.url}/{language}/relationships/123026635/{relationship.pk}/")
    checker.check(f"terms-with-payments-{language}")
    page.goto(f"{live_server.url}/{language}/relationships/123026635/client-groups/")
    checker.check(f"client-groups-{language}")
    page.locator("gcds-input[name=name] input").fill("Ontario importers")
    page.locator(f"input[name=client_{relationship.pk}]").check()
    page.locator("form gcds-button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/client-groups/\d+/$"))
    checker.check(f"client-group-{language}")
    page.locator("select#id_person").select_option(f"user-{other_business_user.pk}")
    page.locator("select#id_role").select_option("editor")
    page.locator("gcds-button[value=assign]").click()
    page.wait_for_url(re.compile(r"/client-groups/\d+/$"))
    checker.check(f"client-group-assigned-{language}")
    group = ClientGroup.objects.get()
    assert list(group.relationships.all()) == [relationship]
    assert group.assignments.get().role == "editor"
    page.goto(f"{live_server.url}/{language}/relationships/123026635/clients/{relationship.pk}/")
    checker.check(f"staff-through-groups-{language}")

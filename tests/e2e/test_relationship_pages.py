"""Alice (Maple's BAM) approves Tidewater's pending request with its terms in the browser; Bob
(Northern's BAM, working for Maple) sees his client and switches to acting for it. Every page is
screenshotted and checked with axe-core. Data: the demo seeders, delegation included."""

import re

import pytest

from tests.e2e.conftest import sign_in


@pytest.fixture
def demo_relationships(maple):
    from delegation import demo

    demo.seed()
    return maple


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_importer_bam_approves_a_relationship_request_with_terms(
    page, live_server, checker, demo_relationships, alice, language
):
    from delegation.models import Relationship

    pending = Relationship.objects.get(status="pending")
    sign_in(page, live_server, alice)
    checker.check("home")
    page.goto(f"{live_server.url}/{language}/relationships/123456782/")
    checker.check(f"manage-{language}")
    page.goto(f"{live_server.url}/{language}/relationships/123456782/{pending.pk}/")
    checker.check(f"decide-{language}")
    assert page.get_by_role("heading", name=re.compile("Tidewater")).is_visible()
    page.locator("gcds-button[value=approve]").click()
    page.wait_for_url(re.compile(r"/relationships/123456782/$"))
    checker.check(f"approved-{language}")
    pending.refresh_from_db()
    assert pending.status == "active"


def test_a_broker_sees_its_clients_and_acts_for_one(
    page, live_server, checker, demo_relationships, other_business_user
):
    sign_in(page, live_server, other_business_user)
    checker.check("home-with-switcher")
    page.goto(f"{live_server.url}/en/relationships/123026635/clients/")
    checker.check("clients")
    page.locator("table.carm-table tbody tr").first.locator("gcds-link").first.click()
    page.wait_for_url(re.compile(r"/clients/\d+/$"))
    checker.check("staff")
    page.goto(f"{live_server.url}/en/relationships/123026635/send/bulk/")
    checker.check("bulk")

"""A newcomer registers Prairie Goods Co. in the browser and finds it on the dashboard; then the
same pages in French."""

import re

from tests.e2e.conftest import sign_in


def _fill(page, field_id, value):
    page.locator(f"input#{field_id}").fill(value)


def test_a_newcomer_registers_prairie_goods_and_sees_it_on_the_dashboard(
    page, live_server, checker, charlie, registry_data
):
    sign_in(page, live_server, charlie)
    checker.check("orphan-dashboard")
    page.get_by_role("link", name="Register my business").first.click()
    page.wait_for_url(re.compile(r"/businesses/register/$"))
    checker.check("business-number")

    _fill(page, "id_bn", "123456789")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    checker.check("business-number-error")
    assert page.get_by_text("its check digit is wrong").first.is_visible()

    _fill(page, "id_bn", "456 789 122")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/register/identity/$"))
    checker.check("identity")
    _fill(page, "id_legal_name", "PRAIRIE GOODS COMPANY")
    _fill(page, "id_address_line", "455 Grain Exchange Rd.")
    _fill(page, "id_city", "Winnipeg")
    page.locator("select#id_province").select_option("MB")
    _fill(page, "id_postal_code", "r3c0v8")
    page.locator("select#id_kind").select_option("importer")
    page.get_by_role("button", name="Continue").click()

    # Prairie Goods has no import history: no affinity question, straight to the terms.
    page.wait_for_url(re.compile(r"/register/terms/$"))
    checker.check("terms")
    page.locator("input#id_accept").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/register/review/$"))
    checker.check("review")
    page.get_by_role("button", name="Register the business").click()
    page.wait_for_url(re.compile(r"/businesses/456789122/$"))
    checker.check("business-profile")
    assert page.get_by_role("heading", name="Prairie Goods Co.").is_visible()

    page.goto(f"{live_server.url}/en/")
    checker.check("dashboard")
    assert page.get_by_role("link", name="Prairie Goods Co.", exact=True).is_visible()

    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/$"))
    page.goto(f"{live_server.url}/fr/businesses/456789122/")
    checker.check("business-profile-fr")
    assert page.get_by_role("heading", name="Comptes de programme").is_visible()
    page.goto(f"{live_server.url}/fr/access/456789122/employees/")
    checker.check("employees-fr")
    assert page.get_by_role("heading", name="Gérer mes employés").is_visible()

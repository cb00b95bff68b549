"""Alice (Maple's BAM) requests an advance ruling in the browser, in English and in French: the
context step prefilled from the classification tool, the goods, submission; then the officer's
queue and the public register. Every page is screenshotted and checked with axe-core."""

import re

import pytest

from tests.assessment.test_estimate_fixtures import WATER, tariff_rows  # noqa: F401 (fixture)
from tests.e2e.conftest import sign_in

TEXT = {
    "description": "Still spring water in 500 mL PET bottles",
    "composition": "Natural spring water, no additives",
    "use": "Drinking water sold in grocery stores",
    "proposed_reasons": "Heading 22.01; GIR 1 and 6.",
    "contact_name": "Alice Tremblay",
    "contact_email": "alice@maple.example",
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_importer_requests_a_ruling_in_two_steps(page, live_server, checker, maple, alice, tariff_rows, language):  # noqa: F811
    from rulings.models import RulingRequest

    sign_in(page, live_server, alice)
    page.goto(
        f"{live_server.url}/{language}/rulings/new/?classification={WATER}&account=123456782RM0001&office_q=toronto"
    )
    checker.check(f"context-{language}")
    assert page.locator("table.carm-table").get_by_text("0497").is_visible()
    page.locator("select#id_account").select_option("123456782RM0001")
    page.locator("input#id_offices").fill("0497")
    for question, answer in (("under_verification", "no"), ("other_ruling", "no"), ("imported_before", "yes")):
        page.locator(f"select#id_{question}").select_option(answer)
    page.locator("input#id_consents_to_publication").check()
    page.locator("form[method=post] gcds-button[type=submit]").click()
    page.wait_for_url(re.compile(r"/rulings/ARC-\d{4}-\d{6}/details/$"))
    checker.check(f"details-{language}")
    page.locator("select#id_capacity").select_option("importer")
    for name, value in TEXT.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("gcds-button[value=submit]").click()
    page.wait_for_url(re.compile(r"/rulings/ARC-\d{4}-\d{6}/$"))
    checker.check(f"submitted-{language}")
    ruling = RulingRequest.objects.get()
    assert ruling.status == "submitted" and ruling.proposed_classification == WATER
    page.goto(f"{live_server.url}/{language}/rulings/")
    checker.check(f"list-{language}")


def test_the_officers_queue_and_the_public_register(page, live_server, checker, maple, alice, olivia, tariff_rows):  # noqa: F811
    import datetime as dt

    from rulings import services
    from tests.rulings.conftest import ANSWERS

    ruling = services.new_draft(alice, maple.program_accounts.get(number="123456782RM0001"), "classification")
    services.update_draft(alice, ruling, ANSWERS)
    services.submit(alice, ruling)
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/fr/rulings/queue/")
    checker.check("queue-fr")
    services.transition(olivia, ruling, services.Event.ASSIGNED)
    services.transition(
        olivia,
        ruling,
        services.Event.RENDERED,
        classification=WATER,
        reasons="RGI 1 et 6.",
        effective_date=dt.date.today(),
    )
    page.goto(f"{live_server.url}/fr/rulings/register/?q=water")
    checker.check("register-fr")
    page.goto(f"{live_server.url}/en/rulings/register/{ruling.case_number}/")
    checker.check("register-entry-en")
    assert "Maple" not in page.content()

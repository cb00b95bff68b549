"""Alice (Maple's BAM) reads her account's RPP security; Brenda (Northern's broker) checks, before
filing, whether her client's accounts take an RPP CAD — in English and French. Screenshots under
test-artifacts/, each page checked with axe-core."""

import datetime as dt

import pytest

from security import services
from tests.e2e.conftest import sign_in
from tests.security.conftest import bob, brenda, duties, northern, relate, sam, secured, sureco  # noqa: F401 (fixtures)

D = dt.date
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def secured_maple(maple, alice, sam, sureco):  # noqa: F811
    rm0001 = maple.program_accounts.get(number="123456782RM0001")
    duties(rm0001, D(2025, 3, 4), "12000.00", "CAD-MARCH")
    secured(rm0001, alice, sam, sureco, amount="6000.00")
    return rm0001


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_importer_reads_its_security_page(page, live_server, checker, alice, secured_maple, language):
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/{language}/security/{secured_maple.number}/")
    page.locator("details summary").first.click()
    checker.check(f"account-{language}")
    expected = {"en": "Enrolled", "fr": "Inscrit"}[language]
    assert page.locator("#rpp-status").inner_text().strip() == expected
    assert page.get_by_text("CAD-MARCH").is_visible()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_broker_sees_before_filing_whether_a_client_takes_an_rpp_cad(
    page,
    live_server,
    checker,
    alice,
    secured_maple,
    relate,
    brenda,
    language,  # noqa: F811
):
    relate("business", role="editor", person=brenda, sees_importer=True, sees_others=True)
    sign_in(page, live_server, brenda)
    page.goto(f"{live_server.url}/{language}/security/")
    checker.check(f"positions-{language}")
    ready = {"en": ("Yes", "No: not enrolled"), "fr": ("Oui", "Non : non inscrit")}[language]
    assert page.locator('tr[data-account="123456782RM0001"] td.rpp-ready').inner_text().strip() == ready[0]
    assert page.locator('tr[data-account="123456782RM0002"] td.rpp-ready').inner_text().startswith(ready[1])
    assert services.position(secured_maple).rpp_ready

"""Alice, BAM of Maple Leaf Imports, reads her revenue ledger in the browser: the account summary,
the transaction history filtered by type, a statement of account and its PDF and CSV; then the same
pages in French. Data: the demo seeders (businesses, access, the CADs and ledger history of RM0001/RM0002)."""

import re

import pytest

from tests.assessment.test_estimate_fixtures import tariff_rows  # noqa: F401 (fixture)
from tests.declarations.test_demo import demo_tariff  # noqa: F401 (fixture)
from tests.e2e.conftest import sign_in

NUMBER = "123456782RM0001"


@pytest.fixture
def maple_ledger(maple, demo_tariff):
    """The demo history: the CADs and the ledger's days between them (the holidays: conftest)."""
    from declarations import demo

    demo.seed(months=0)  # the story as written (2025)
    return maple


def _downloads(page, language):
    """The statement's PDF and CSV, fetched with the page's session."""
    base = page.url.split("?")[0]
    pdf = page.request.get(f"{base}?format=pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    csv = page.request.get(f"{base}?format=csv")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f"program_account,{NUMBER}" in csv.text()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_bam_reads_the_ledger_of_a_program_account(page, live_server, checker, maple_ledger, alice, language):
    words = {
        "en": {
            "account": f"Account {NUMBER}",
            "history": "Transaction history",
            "statements": "Statements of account",
            "filter": "Filter",
            "payment": "Payment",
            "type": "Type",
        },
        "fr": {
            "account": f"Compte {NUMBER}",
            "history": "Historique des transactions",
            "statements": "Relevés de compte",
            "filter": "Filtrer",
            "payment": "Paiement",
            "type": "Type",
        },
    }[language]
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/{language}/ledger/{NUMBER}/")
    checker.check(f"account-{language}")
    assert page.get_by_role("heading", name=words["account"]).is_visible()

    page.get_by_role("link", name=words["history"]).click()
    page.wait_for_url(re.compile(r"/transactions/$"))
    checker.check(f"history-{language}")
    page.locator("select#id_entry_type").select_option("payment")
    page.get_by_role("button", name=words["filter"]).click()
    page.wait_for_url(re.compile(r"entry_type=payment"))
    checker.check(f"history-payments-{language}")
    types = page.locator("table.carm-table tbody tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {words["payment"]}

    page.goto(f"{live_server.url}/{language}/ledger/{NUMBER}/statements/")
    checker.check(f"statements-{language}")
    page.locator("table.carm-table tbody tr").first.locator("a, gcds-link").first.click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    checker.check(f"statement-{language}")
    _downloads(page, language)

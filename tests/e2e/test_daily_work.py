"""The day's work from the dashboard, by clicking only (issue 17, done-when), in English and French:
Alice (importer, BAM) sees what she owes, opens Financials, reads the statement, goes to pay; Rita
(Reader) reads a statement from the dashboard and is told why she cannot pay; Bob (broker) opens his
clients' work and acts for Maple under the "Acting for" banner. Data: the demo story as written (2025),
whose overdue amounts are still unpaid today."""

import re

import pytest

from .test_ledger_pages import NUMBER, _sign_in, demo_tariff, maple_ledger, tariff_rows  # noqa: F401 (fixtures)

WORDS = {
    "en": {
        "lang": "English",
        "overdue": "overdue on",
        "financials": "Financials",
        "statements": "Statements of account",
        "statement": "Statement of account",
        "summary": "Summary",
        "pay": f"Pay account {NUMBER}",
        "pay_title": "Make a payment",
        "work": "My clients' work",
        "act": "Act for Maple Leaf Imports Inc.",
        "acting": "Acting for Maple Leaf Imports Inc. (123456782)",
    },
    "fr": {
        "lang": "Français",
        "overdue": "en souffrance sur",
        "financials": "Finances",
        "statements": "Relevés de compte",
        "statement": "Relevé de compte",
        "summary": "Résumé",
        "pay": f"Payer le compte {NUMBER}",
        "pay_title": "Faire un paiement",
        "work": "Le travail de mes clients",
        "act": "Agir pour Maple Leaf Imports Inc.",
        "acting": "Vous agissez pour Maple Leaf Imports Inc. (123456782)",
    },
}


def _in_language(page, language):
    """Signed in, the dashboard in English; French by the header's language link (a click)."""
    if language == "fr":
        page.get_by_role("link", name="Français").click()
        page.wait_for_url(re.compile(r"/fr/$"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_importer_goes_from_what_she_owes_to_the_statement_and_the_pay_page(
    page, live_server, checker, maple_ledger, alice, language
):
    words = WORDS[language]
    _sign_in(page, live_server, alice)
    _in_language(page, language)
    checker.check(f"dashboard-{language}")
    assert page.get_by_text(words["overdue"]).first.is_visible()
    page.get_by_role("link", name=words["financials"]).first.click()
    page.wait_for_url(re.compile(r"/financials/$"))
    checker.check(f"financials-{language}")
    page.get_by_role("link", name=words["statements"]).first.click()
    page.wait_for_url(re.compile(r"/statements/$"))
    page.locator("table.carm-table tbody tr").first.locator("a, gcds-link").first.click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    checker.check(f"statement-{language}")
    assert page.get_by_role("heading", name=words["summary"]).is_visible()
    page.get_by_role("link", name=re.compile("CARM")).first.click()  # the header's home link
    page.wait_for_url(re.compile(rf"/{language}/$"))
    page.get_by_role("link", name=words["pay"]).first.click()
    page.wait_for_url(re.compile(r"/payments/pay/\?account="))
    assert page.get_by_role("heading", name=words["pay_title"]).is_visible()
    checker.check(f"pay-{language}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_reader_reads_the_statement_from_the_dashboard(page, live_server, checker, maple_ledger, reader, language):
    words = WORDS[language]
    _sign_in(page, live_server, reader)
    _in_language(page, language)
    checker.check(f"reader-dashboard-{language}")
    assert page.get_by_role("link", name=words["pay"]).count() == 0  # a Reader may not pay
    page.locator("table.carm-table tbody tr").first.get_by_role("link", name=re.compile(r"\d{4}-\d\d-\d\d")).click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    checker.check(f"reader-statement-{language}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_broker_opens_his_clients_work_and_acts_for_one(
    page, live_server, checker, maple_ledger, other_business_user, language
):
    words = WORDS[language]
    _sign_in(page, live_server, other_business_user)
    _in_language(page, language)
    page.get_by_role("link", name=words["work"]).first.click()
    page.wait_for_url(re.compile(r"/worklist/$"))
    checker.check(f"worklist-{language}")
    page.get_by_role("button", name=words["act"]).click()
    page.wait_for_url(re.compile(rf"/{language}/$"))
    checker.check(f"acting-for-{language}")
    assert page.get_by_text(words["acting"]).is_visible()

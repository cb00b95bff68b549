"""The day's work from the dashboard, by clicking only (issue 17, done-when), in English and French:
Alice (importer, BAM) sees what she owes, opens Financials, reads the statement, goes to pay; Rita
(Reader) reads a statement from the dashboard and is told why she cannot pay; Bob (broker) opens his
clients' work and acts for Maple under the "Acting for" banner; Tina (trade consultant) does the same
for the account Maple lets her work on; Eddie (Editor) sees the release awaiting its CAD on his
dashboard and opens its CAD from there, then the Declarations menu and a new declaration; Paula
(PAM) goes from her dashboard through Financials to pay. Data: the demo story as written (2025),
whose overdue amounts are still unpaid today, and a release nine days old still waiting for its CAD."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.conftest import sign_in

from .test_ledger_pages import NUMBER, demo_tariff, maple_ledger, tariff_rows  # noqa: F401 (fixtures)

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
        "declarations": "Declarations",
        "new_cad": "New declaration",
        "new_cad_title": "New commercial accounting declaration",
        "awaiting": "Releases awaiting accounting",
        "late": "Overdue since",
        "submit_cad": "Submit its CAD",
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
        "declarations": "Déclarations",
        "new_cad": "Nouvelle déclaration",
        "new_cad_title": "Nouvelle déclaration en détail des marchandises commerciales",
        "awaiting": "Mainlevées en attente de déclaration",
        "late": "En retard depuis le",
        "submit_cad": "Présenter sa DDC",
    },
}


def _sign_in(page, live_server, user, language):
    """The portal lands in the person's language (Bob's is French); the header's language link (a
    click) switches to the test's."""
    sign_in(page, live_server, user)
    if user.preferred_language != language:
        page.get_by_role("link", name=WORDS[language]["lang"]).click()
        page.wait_for_url(re.compile(rf"/{language}/$"))


def _act_for_maple(page, checker, language, prefix=""):
    """From the dashboard to "My clients' work", then "Act for Maple": back on the dashboard, under
    the "Acting for" banner."""
    words = WORDS[language]
    page.get_by_role("link", name=words["work"]).first.click()
    page.wait_for_url(re.compile(r"/worklist/$"))
    checker.check(f"{prefix}worklist-{language}")
    page.get_by_role("button", name=words["act"]).click()
    page.wait_for_url(re.compile(rf"/{language}/$"))
    assert page.get_by_text(words["acting"]).is_visible()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_importer_goes_from_what_she_owes_to_the_statement_and_the_pay_page(
    page, live_server, checker, maple_ledger, alice, language
):
    words = WORDS[language]
    _sign_in(page, live_server, alice, language)
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
    page.get_by_role("link", name=re.compile("CARM|GCRA")).first.click()  # the header's home link
    page.wait_for_url(re.compile(rf"/{language}/$"))
    page.get_by_role("link", name=words["pay"]).first.click()
    page.wait_for_url(re.compile(r"/payments/pay/\?account="))
    assert page.get_by_role("heading", name=words["pay_title"]).is_visible()
    checker.check(f"pay-{language}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_reader_reads_the_statement_from_the_dashboard(page, live_server, checker, maple_ledger, reader, language):
    words = WORDS[language]
    _sign_in(page, live_server, reader, language)
    checker.check(f"reader-dashboard-{language}")
    assert page.get_by_role("link", name=words["pay"]).count() == 0  # a Reader may not pay
    page.locator("table.carm-table tbody tr").first.get_by_role("link", name=re.compile(r"\d{4}-\d\d-\d\d")).click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    checker.check(f"reader-statement-{language}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_broker_opens_his_clients_work_and_acts_for_one(
    page, live_server, checker, maple_ledger, other_business_user, language
):
    _sign_in(page, live_server, other_business_user, language)
    _act_for_maple(page, checker, language)
    checker.check(f"acting-for-{language}")


@pytest.fixture
def late_release(maple_ledger, alice):
    """Goods of RM0001 released nine days ago under Maple's number, their CAD not yet submitted (past
    its deadline), recorded by the release system."""
    from accounts.demo import ensure_person
    from declarations import transaction_numbers
    from releases import services
    from rights import OfficerRole

    system = ensure_person(
        "release-system@cbsa.example", "CBSA release system", officer_roles=[OfficerRole.RELEASE_SYSTEM]
    )
    return services.record_release(
        system,
        transaction_number=transaction_numbers.next_number(maple_ledger),
        account_number=NUMBER,
        release_date=timezone.localdate() - dt.timedelta(days=9),
        release_office="0453",
        estimated_vfd=Decimal("12840.00"),
    ).release


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_trade_consultant_opens_her_clients_work_and_acts_for_one(
    page, live_server, checker, maple_ledger, alice, language
):
    from accounts.models import User
    from businesses.models import Business
    from delegation import services
    from delegation.models import Relationship

    tina = User.objects.get(email="tina@tidewater.example")
    tidewater = Business.objects.get(bn9="876543216")
    # The demo's request of Tidewater for Maple's RM0002, approved by Alice.
    pending = Relationship.objects.pending().get(provider=tidewater, importer=maple_ledger)
    services.assign(tina, services.approve(alice, pending, sees_provider=True), "editor", user=tina)
    _sign_in(page, live_server, tina, language)
    checker.check(f"consultant-dashboard-{language}")
    _act_for_maple(page, checker, language, "consultant-")
    page.get_by_role("link", name=WORDS[language]["declarations"]).first.click()
    page.wait_for_url(re.compile(r"/declarations/$"))
    checker.check(f"consultant-declarations-{language}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_editor_sees_the_release_awaiting_its_cad_and_opens_a_new_declaration(
    page, live_server, checker, late_release, editor, language
):
    words = WORDS[language]
    _sign_in(page, live_server, editor, language)
    checker.check(f"editor-dashboard-{language}")
    assert page.get_by_role("heading", name=words["awaiting"]).is_visible()
    assert page.get_by_role("rowheader", name=late_release.transaction_number).is_visible()
    assert page.get_by_text(words["late"]).first.is_visible()
    page.get_by_role("link", name=words["submit_cad"]).first.click()  # the CAD under the release's number
    page.wait_for_url(re.compile(r"/declarations/new/\?transaction_number="))
    assert page.get_by_role("heading", name=words["new_cad_title"]).is_visible()
    assert page.get_by_text(late_release.transaction_number).first.is_visible()
    checker.check(f"editor-cad-for-release-{language}")
    page.get_by_role("link", name=words["declarations"]).first.click()
    page.wait_for_url(re.compile(r"/declarations/$"))
    checker.check(f"editor-declarations-{language}")
    page.get_by_role("link", name=words["new_cad"]).first.click()
    page.wait_for_url(re.compile(r"/declarations/new/$"))
    assert page.get_by_role("heading", name=words["new_cad_title"]).is_visible()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_pam_goes_from_her_dashboard_through_financials_to_pay(
    page, live_server, checker, maple_ledger, pam, language
):
    words = WORDS[language]
    _sign_in(page, live_server, pam, language)
    checker.check(f"pam-dashboard-{language}")
    page.get_by_role("link", name=words["financials"]).first.click()
    page.wait_for_url(re.compile(r"/financials/$"))
    checker.check(f"pam-financials-{language}")
    page.get_by_role("link", name=re.compile(words["pay"].split(" ")[0])).first.click()
    page.wait_for_url(re.compile(r"/payments/pay/\?account="))
    assert page.get_by_role("heading", name=words["pay_title"]).is_visible()
    checker.check(f"pam-pay-{language}")

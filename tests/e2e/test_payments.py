"""Alice, BAM of Maple Leaf Imports, pays the balance of RM0001 by card from the account page and sees
the receipt (page and PDF) with its payment reference; in English and in French. Data: the demo seeders
(businesses, access, the CADs and ledger history)."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from payments.models import Payment
from tests.e2e.conftest import sign_in

from .test_ledger_pages import NUMBER, demo_tariff, maple_ledger, tariff_rows  # noqa: F401  (fixtures)

WORDS = {
    "en": {"pay": "Pay this account", "title": "Make a payment", "submit": "Pay now", "done": "Payment confirmed"},
    "fr": {
        "pay": "Payer ce compte",
        "title": "Faire un paiement",
        "submit": "Payer maintenant",
        "done": "Paiement confirmé",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_bam_pays_from_the_account_page_and_sees_the_receipt(
    page,
    live_server,
    checker,
    maple_ledger,
    alice,
    language,  # noqa: F811
):
    words = WORDS[language]
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/{language}/ledger/{NUMBER}/")
    page.get_by_role("link", name=words["pay"]).click()
    page.wait_for_url(re.compile(r"/payments/pay/\?account="))
    assert page.get_by_role("heading", name=words["title"]).is_visible()
    checker.check(f"pay-{language}")
    # The balance is over a billing cycle's credit card limit ($4,999.99, CARM Bulletin 5408): part of it.
    page.locator(f"select#id_{NUMBER}-kind").select_option("amount")
    page.locator(f"input#id_{NUMBER}-amount").fill("1500.00")
    page.locator("input#id_card-name").fill("Alice Tremblay")
    page.locator("input#id_card-number").fill("4242 4242 4242 4242")
    page.locator("input#id_card-expiry").fill(f"12/{(timezone.localdate().year + 2) % 100:02d}")
    page.locator("input#id_card-cvv").fill("123")
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_url(re.compile(r"/payments/P[0-9A-F]+/$"))
    checker.check(f"receipt-{language}")
    payment = Payment.objects.get()
    assert (payment.status, payment.amount) == ("completed", Decimal("1500.00"))
    assert page.get_by_role("heading", name=words["done"]).is_visible()
    assert payment.reference in page.content()
    pdf = page.request.get(f"{page.url}?format=pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    page.goto(f"{live_server.url}/{language}/ledger/{NUMBER}/")
    checker.check(f"account-after-{language}")
    assert page.goto(f"{live_server.url}/{language}/payments/").ok
    checker.check(f"my-payments-{language}")
    assert payment.reference in page.content()
    assert page.goto(f"{live_server.url}/{language}/payments/pad/{NUMBER}/").ok
    checker.check(f"pad-agreements-{language}")

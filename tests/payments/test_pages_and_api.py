"""The pages (pay, receipt and its PDF, my payments, PAD agreements, remittance import) and the API
(idempotent POST, lists, PAD agreements), in English and French, with clear errors on bad input."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEntry
from ledger.models import EntryType, LedgerEntry
from payments.models import PadAgreement, Payment, SandboxCharge, Status
from tests.ledger.factories import post

from .conftest import APPROVE, N2, TIMEOUT, N, agreement, balance, bank_details

YEAR = str(timezone.localdate().year + 2)[2:]


def card_form(number=APPROVE, expiry=f"12/{YEAR}", **extra):
    return {
        "key": "form-token-1",
        "method": "card",
        "card-name": "Alice Tremblay",
        "card-number": number,
        "card-expiry": expiry,
        "card-cvv": "123",
        **extra,
    }


def test_the_account_page_links_to_pay_and_the_pay_page_preselects_it(client, bam, owed):
    client.force_login(bam)
    for url in [f"/en/ledger/{N}/", f"/en/ledger/{N}/transactions/", f"/fr/ledger/{N}/"]:
        assert "/payments/pay/?account=" + N in client.get(url).content.decode(), url
    page = client.get(f"/en/payments/pay/?account={N}").content.decode()
    assert "Make a payment" in page and N in page and N2 not in page
    assert 'name="key"' in page


def test_paying_from_the_page_shows_the_receipt_and_a_double_submit_charges_once(client, bam, owed, rm0001):
    client.force_login(bam)
    data = card_form(**{f"{N}-kind": "balance"})
    first = client.post(f"/en/payments/pay/?account={N}", data)
    second = client.post(f"/en/payments/pay/?account={N}", data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert SandboxCharge.objects.count() == 1 and balance(rm0001) == 0
    payment = Payment.objects.get()
    receipt = client.get(first["Location"]).content.decode()
    assert "Payment confirmed" in receipt and payment.reference in receipt and "4242" in receipt
    pdf = client.get(first["Location"] + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert payment.reference in client.get("/en/payments/").content.decode()


def test_chosen_transactions_from_the_page(client, bam, owed, rm0001):
    old, new = owed
    client.force_login(bam)
    response = client.post(
        f"/en/payments/pay/?account={N}", card_form(**{f"{N}-kind": "transactions", f"{N}-transactions": [new.pk]})
    )
    assert response.status_code == 302
    assert Payment.objects.get().amount == 250 and balance(rm0001) == 100


@pytest.fixture
def daily_interest(owed, rm0001):
    """Five days of interest at 13 % a year, then two at 14 %: two runs of days."""
    days = [(dt.date(2025, 4, 21) + dt.timedelta(days=n), "13" if n < 5 else "14") for n in range(7)]
    return [
        post(rm0001, EntryType.INTEREST, "0.05", day=day, due_date=day, explanation={"rate": rate, "principal": "100"})
        for day, rate in days
    ]


RUN_LABELS = {
    "en": ("Interest, 5 days at 13% a year", "Interest, 2 days at 14% a year"),
    "fr": ("Intérêts, 5 jours à 13 % par année", "Intérêts, 2 jours à 14 % par année"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_pay_page_shows_a_run_of_daily_interest_as_one_row(client, bam, owed, daily_interest, language):
    client.force_login(bam)
    page = client.get(f"/{language}/payments/pay/?account={N}").content.decode()
    boxes = re.findall(rf'name="{N}-transactions" value="([\d,]+)"', page)
    runs = [",".join(str(entry.pk) for entry in days) for days in (daily_interest[:5], daily_interest[5:])]
    assert sorted(boxes) == sorted([str(owed[0].pk), str(owed[1].pk), *runs])  # four rows, not nine
    assert all(label in page for label in RUN_LABELS[language])
    assert {"en": "Assessment", "fr": "Cotisation"}[language] in page  # the entry's type, in the page's language


def test_ticking_a_run_of_interest_pays_each_of_its_days(client, bam, daily_interest, rm0001):
    client.force_login(bam)
    run = ",".join(str(entry.pk) for entry in daily_interest[:5])
    response = client.post(
        f"/en/payments/pay/?account={N}", card_form(**{f"{N}-kind": "transactions", f"{N}-transactions": [run]})
    )
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("0.25")


def test_a_run_of_interest_with_an_id_not_open_on_the_account_is_refused(client, bam, daily_interest, owed):
    client.force_login(bam)
    run = f"{daily_interest[0].pk},999999"
    response = client.post(
        f"/en/payments/pay/?account={N}", card_form(**{f"{N}-kind": "transactions", f"{N}-transactions": [run]})
    )
    assert response.status_code == 200 and not Payment.objects.exists()
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"card-number": "4242424242424241"}, "This card number is not valid."),
        ({"card-expiry": "01/20"}, "This card has expired."),
        ({"card-expiry": "2030-01"}, "Enter the expiry as MM/YY."),
        ({f"{N}-amount": "0"}, "must be more than $0.00"),
        ({f"{N}-amount": "-1"}, "must be more than $0.00"),
        ({f"{N}-amount": "9999.00"}, "You may pay at most"),
        ({f"{N}-amount": "abc"}, "Enter a number."),
    ],
)
def test_bad_input_on_the_page_is_a_clear_error_and_posts_nothing(client, bam, owed, fields, message):
    client.force_login(bam)
    response = client.post(f"/en/payments/pay/?account={N}", {**card_form(**{f"{N}-kind": "amount"}), **fields})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Payment.objects.exists() and not LedgerEntry.objects.filter(entry_type="payment").exists()


def test_the_errors_are_in_french_on_french_pages(client, bam, owed):
    client.force_login(bam)
    response = client.post(f"/fr/payments/pay/?account={N}", card_form("4242424242424241", **{f"{N}-kind": "balance"}))
    assert "Ce numéro de carte n’est pas valide." in response.content.decode()
    assert "Faire un paiement" in response.content.decode()


def test_a_declined_card_shows_why_and_offers_to_try_again(client, bam, owed):
    client.force_login(bam)
    response = client.post(f"/en/payments/pay/?account={N}", card_form("4000000000000002", **{f"{N}-kind": "balance"}))
    page = client.get(response["Location"]).content.decode()
    assert "Payment not made" in page and "Try again" in page


def test_a_pending_payment_says_not_to_pay_again(client, bam, owed):
    client.force_login(bam)
    response = client.post(f"/en/payments/pay/?account={N}", card_form(TIMEOUT, **{f"{N}-kind": "balance"}))
    assert "Do not pay again" in client.get(response["Location"]).content.decode()


def test_3d_secure_is_confirmed_from_the_receipt(client, bam, owed, rm0001):
    client.force_login(bam)
    location = client.post(f"/en/payments/pay/?account={N}", card_form("4000000000003220", **{f"{N}-kind": "balance"}))[
        "Location"
    ]
    assert "3-D Secure" in client.get(location).content.decode()
    client.post(location + "authenticate/")
    assert Payment.objects.get().status == Status.COMPLETED and balance(rm0001) == 0


def test_pad_agreement_page_and_a_scheduled_debit(client, bam, owed, rm0001):
    client.force_login(bam)
    page = client.get(f"/en/payments/pad/{N}/").content.decode()
    assert "Payments Canada" in page
    assert "Paiements Canada" in client.get(f"/fr/payments/pad/{N}/").content.decode()
    url = f"/en/payments/pad/{N}/"
    bad = client.post(url, bank_details(institution="01", transit="1234", account_number="12", accept="on"))
    for message in ["institution number is 3 digits", "transit number is 5 digits", "account number is 7 to 12"]:
        assert message in bad.content.decode()
    assert "This field is required." in client.post(url, bank_details()).content.decode()  # not accepted
    assert client.post(url, bank_details(accept="on")).status_code == 302
    pad = PadAgreement.objects.get()
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/en/payments/pay/?account={N}&method=pad",
        {"key": "k", "method": "pad", f"{N}-kind": "balance", "pad-agreement": pad.pk, "pad-debit_date": day},
    )
    assert "Pre-authorized debit scheduled" in client.get(response["Location"]).content.decode()
    client.post(f"/en/payments/pad/{N}/{pad.pk}/cancel/")
    assert Payment.objects.get().status == Status.CANCELLED


def test_officers_import_remittance_files_on_a_page(client, olivia, owed, bam):
    from .test_remittance import BAD

    client.force_login(bam)
    assert client.get("/en/payments/remittance/").status_code == 403
    client.force_login(olivia)
    response = client.post("/en/payments/remittance/", {"file": SimpleUploadedFile("r.csv", BAD.encode())})
    page = response.content.decode()
    assert "2 posted, 0 already imported, 9 with errors." in page and "unknown program account" in page


# API --------------------------------------------------------------------------------------------------

CARD = {"number": APPROVE, "expiry_month": 12, "expiry_year": timezone.localdate().year + 2, "cvv": "123"}


def _post(client, body, key="api-key-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/payments", body, content_type="application/json", **headers)


def test_the_api_pays_once_per_idempotency_key(client, bam, owed, rm0001):
    client.force_login(bam)
    body = {"method": "card", "lines": [{"program_account": N, "pay": "balance"}], "card": CARD}
    first, again = _post(client, body), _post(client, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert first.json()["status"] == "completed" and first.json()["lines"][0]["pay"] == "balance"
    assert SandboxCharge.objects.count() == 1 and balance(rm0001) == 0
    assert client.get("/api/v1/payments").json()["count"] == 1
    assert client.get(f"/api/v1/payments/{first.json()['reference']}").status_code == 200
    assert (
        AuditEntry.objects.filter(action="payments.completed", channel="api").exists()
        or AuditEntry.objects.filter(action="payments.completed").exists()
    )


@pytest.mark.parametrize(
    "body, key, field, code",
    [
        ({"method": "card", "lines": [{"program_account": N, "pay": "balance"}], "card": CARD}, "", None, "no_key"),
        ({"method": "card", "lines": [{"program_account": N, "pay": "balance"}]}, "k", "card", "required"),
        (
            {
                "method": "card",
                "lines": [{"program_account": N, "pay": "balance"}],
                "card": {**CARD, "number": "4242424242424241"},
            },
            "k",
            "card.number",
            "invalid_card",
        ),
        (
            {
                "method": "card",
                "lines": [{"program_account": N, "pay": "balance"}],
                "card": {**CARD, "expiry_year": 2020},
            },
            "k",
            "card.expiry",
            "expired_card",
        ),
        (
            {"method": "card", "lines": [{"program_account": N, "pay": "amount", "amount": "0.00"}], "card": CARD},
            "k",
            None,
            "not_positive",
        ),
        (
            {"method": "card", "lines": [{"program_account": N, "pay": "amount", "amount": "5000.00"}], "card": CARD},
            "k",
            None,
            "over_limit",
        ),
        (
            {"method": "card", "lines": [{"program_account": N, "pay": "amount"}], "card": CARD},
            "k",
            "lines.0.amount",
            "invalid",
        ),
        ({"method": "card", "lines": [], "card": CARD}, "k", None, "no_lines"),
        (  # an id past the database's integers: refused, not overflowing the driver (a 500)
            {"method": "card", "lines": [{"program_account": N, "pay": "transactions", "transactions": [2**63]}]},
            "k",
            "lines.0.transactions.0",
            "max_value",
        ),
        (
            {
                "method": "pad",
                "lines": [{"program_account": N, "pay": "balance"}],
                "pad_agreement": 999,
                "debit_date": "2099-01-01",
            },
            "k",
            None,
            "no_agreement",
        ),
    ],
)
def test_the_api_answers_bad_input_with_structured_errors(client, bam, owed, body, key, field, code):
    client.force_login(bam)
    response = _post(client, body, key)
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert not Payment.objects.exists()


def test_the_api_sets_up_pad_agreements_with_validated_numbers(client, bam, rm0001):
    client.force_login(bam)
    text = client.get("/api/v1/payments/pad-agreement-text").json()
    body = bank_details(program_account=N, text_version=text["version"], accept=True)
    bad = client.post("/api/v1/payments/pad-agreements", {**body, "transit": "12"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "transit"
    created = client.post("/api/v1/payments/pad-agreements", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["masked_account"] == "••••567"
    assert "account_number" not in created.json()
    assert client.get("/api/v1/payments/pad-agreements").json()["count"] == 1


def test_the_api_schedules_a_pad_debit(client, bam, owed, rm0001):
    pad = agreement(bam, rm0001)
    client.force_login(bam)
    day = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    body = {
        "method": "pad",
        "lines": [{"program_account": N, "pay": "due"}],
        "pad_agreement": pad.pk,
        "debit_date": day,
    }
    response = _post(client, body, "pad-key")
    assert response.status_code == 201 and response.json()["status"] == "scheduled"
    assert response.json()["scheduled_for"] == day and balance(rm0001) == 350
    late = _post(client, {**body, "debit_date": timezone.localdate().isoformat()}, "pad-key-2")
    assert late.status_code == 400 and late.json()["errors"][0]["code"] == "bad_date"


def test_the_pay_page_names_each_transaction_in_the_page_s_language(client, bam, rm0001):
    # The ledger keeps an entry's description as posted (English); the page shows its type and reference.
    post(rm0001, EntryType.PENALTY, "200.00", description="Late payment penalty (AMPS C336)", reference="C336")
    client.force_login(bam)
    page = client.get(f"/fr/payments/pay/?account={N}").content.decode()
    assert "Pénalité (C336)" in page and "Late payment penalty" not in page


def test_the_api_s_missing_amount_is_told_in_french(client, bam, owed):
    client.force_login(bam)
    body = {"method": "card", "lines": [{"program_account": N, "pay": "amount"}], "card": CARD}
    headers = {"HTTP_IDEMPOTENCY_KEY": "key-fr", "HTTP_ACCEPT_LANGUAGE": "fr"}
    french = client.post("/api/v1/payments", body, content_type="application/json", **headers)
    assert french.status_code == 400 and french.json()["errors"][0]["message"] == "Obligatoire quand pay vaut amount."

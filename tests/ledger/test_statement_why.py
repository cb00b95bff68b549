"""Every amount on the statement says how it was computed (issue 15, "How it must show"): each
transaction of the period carries a line built from what its entry recorded (ledger.explain), on the
statement's page and its PDF, in both languages."""

import datetime as dt
import re
import subprocess

import pytest

from declarations.models import AMOUNT_FIELDS
from ledger import explain, statements
from ledger.models import EntryType
from ledger.posting import post_entry
from tests.conftest import sign_in

from .factories import post

D = dt.date
N = "123456782RM0001"
CAD = "10000123456789"
# What declarations.services stores on a CAD's assessment (declarations.models.AMOUNT_FIELDS, then the delta):
# VFD 30,000.00 at 6.5 % = 1,950.00 duty; GST 5 % of 31,950.00 = 1,597.50.
ASSESSED = dict(
    zip(
        AMOUNT_FIELDS,
        ["30000.00", "1950.00", "0.00", "0.00", "0.00", "0.00", "31950.00", "1597.50", "3547.50"],
        strict=True,
    )
) | {"delta": "3547.50"}


@pytest.fixture
def period(rm0001):
    """The period 18 Mar - 17 Apr 2025 with one entry of each kind a statement explains."""
    _cad(rm0001, "00001", "3547.50", D(2025, 3, 20), ASSESSED)
    correction = {"customs_duty": "2200.00", "gst": "1610.00", "total": "3797.50", "delta": "250.00"}
    _cad(rm0001, "00002", "250.00", D(2025, 3, 24), ASSESSED | correction)
    post(
        rm0001,
        EntryType.PAYMENT,
        "-1000.00",
        day=D(2025, 3, 28),
        reference="P-77",
        explanation={"document_date": "2025-03-26"},
    )
    adjustment_interest = {
        "principal": "250.00",
        "from": "2025-03-03",
        "to": "2025-04-02",
        "compounded": "daily",
        "rate_kind": "prescribed",
        "rule": "D11-6-5 para. 3, Appendix B item 1",
    }
    _due_at_once(rm0001, EntryType.INTEREST, "0.42", D(2025, 4, 2), explanation=adjustment_interest)
    c336 = {"contravention": "C336", "statement_due_date": "2025-03-31", "overdue": "1200.00"}
    _due_at_once(rm0001, EntryType.PENALTY, "25.00", D(2025, 4, 1), reference="C336", explanation=c336)
    [issued] = statements.close_period(D(2025, 4, 17))
    return issued


def _due_at_once(account, kind, amount, day, **fields):
    post(account, kind, amount, day=day, due_date=day, **fields)


def _cad(account, version, amount, day, facts):
    post(
        account,
        amount=amount,
        day=day,
        due_date=D(2025, 4, 30),
        transaction_number=CAD,
        document_version=version,
        explanation=facts,
    )


def _whys(statement) -> dict:
    return {
        entry.entry_type + (entry.document_version or ""): entry.why
        for entry in statements.document(statement)["entries"]
    }


def test_a_cad_line_names_its_duties_gst_value_for_tax_and_due_date(period):
    whys = _whys(period)
    assert whys["assessment00001"] == (
        f"CAD {CAD} (00001): customs duty $1,950.00, GST $1,597.50 on a value for tax of $31,950.00; total $3,547.50."
        " Due 2025-04-30: the CAD page gives the rule."
    )
    # A correction is charged its difference from the previous version, and says so.
    assert "total $3,797.50. This entry is the change from the previous version: $250.00." in whys["assessment00002"]


def test_a_payment_says_when_it_was_paid_and_how_it_is_applied(period):
    assert _whys(period)["payment"] == (
        "Payment P-77 credited on 2025-03-28; it clears the oldest amounts owing first."
        " Paid on 2025-03-26: interest counts it from that day."
    )


def test_interest_on_an_adjustment_is_a_line_of_its_own_with_its_rate_kind_and_rule(period):
    document = statements.document(period)
    assert document["interest_runs"] == []  # not a night of the interest run
    assert _whys(period)["interest"] == (
        "Interest at the prescribed rate, compounded daily, on $250.00 from 2025-03-03 to 2025-04-02"
        " (D11-6-5 para. 3, Appendix B item 1)."
    )


def test_a_late_payment_penalty_names_its_contravention_and_the_statement_left_unpaid(period):
    assert _whys(period)["penalty"] == (
        "AMPS C336: the statement due 2025-03-31 was still unpaid the next day ($1,200.00 overdue)."
    )


def test_a_returned_payment_is_explained_as_never_made(rm0001):
    payment = post(rm0001, EntryType.PAYMENT, "-500.00", day=D(2025, 3, 20), reference="PAD-9")
    returned = post_entry(
        rm0001,
        EntryType.REVERSAL,
        payment.amount * -1,
        effective_date=D(2025, 3, 25),
        due_date=D(2025, 3, 25),
        source_key="NSF:PAD-9",
        reference="PAD-9",
        reverses=payment,
    )
    assert explain.why(returned) == "Payment PAD-9 returned unpaid (NSF): it counts as never made."


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))  # \s: French NBSP too


def test_the_statement_page_shows_the_why_of_each_transaction(client, period, alice):
    sign_in(client, alice)
    page = _text(client.get(f"/en/ledger/{N}/statements/{period.pk}/"))
    assert "How it was computed" in page
    assert "GST $1,597.50 on a value for tax of $31,950.00" in page
    assert "the 10th weekday (Monday to Friday, holidays included) after the end of the billing period" in page


def test_the_statement_page_shows_the_why_in_french(client, period, alice):
    sign_in(client, alice, language="fr")
    page = _text(client.get(f"/fr/ledger/{N}/statements/{period.pk}/"))
    assert "Mode de calcul" in page
    assert "TPS de 1 597,50 $ sur une valeur pour taxe de 31 950,00 $" in page
    assert "RSAP C336 : le relevé exigible le 2025-03-31 était encore impayé le lendemain" in page
    assert "(D11-6-5 par. 3, annexe B point 1)" in page


def test_the_statement_pdf_carries_the_why(period, tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(statements.statement_pdf(period))
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", " ", text)  # table cells wrap
    assert "How it was computed" in text
    assert "AMPS C336: the statement due 2025-03-31 was still unpaid" in text

"""The statement reads as a document (issue 17, item 4): the importer's name, address and BN15, the
statement's number and version, a summary by kind of charge whose arithmetic is visible and adds up,
interest summarised per run of days with the rate used (also on the pay page), how to pay, page
numbers in the PDF, both languages, and no raw hash in the page's text (an integrity note only)."""

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest

from ledger import statements
from ledger.models import EntryType
from tests.conftest import sign_in

from .factories import post

N = "123456782RM0001"
START = dt.date(2025, 3, 18)


def _interest(account, day, rate="13", principal="1000.00", amount="0.36"):
    return post(
        account,
        EntryType.INTEREST,
        amount,
        day=day,
        due_date=day,
        explanation={"rate": rate, "principal": principal, "days": 1},
    )


@pytest.fixture
def statement(rm0001):
    post(rm0001, amount="1000.00", day=dt.date(2025, 2, 20), due_date=dt.date(2025, 3, 3))
    statements.close_period(dt.date(2025, 3, 17))
    post(rm0001, amount="2500.00", day=dt.date(2025, 3, 20))
    post(rm0001, "payment", "-400.00", day=dt.date(2025, 3, 28))
    for n in range(20):  # twenty days at 13 %, then a rate change, then a day without interest
        _interest(rm0001, START + dt.timedelta(days=n))
    for n in range(20, 25):
        _interest(rm0001, START + dt.timedelta(days=n), rate="14")
    _interest(rm0001, START + dt.timedelta(days=27), rate="14")
    post(rm0001, EntryType.PENALTY, "25.00", day=dt.date(2025, 4, 2), due_date=dt.date(2025, 4, 2), reference="C336")
    [issued] = statements.close_period(dt.date(2025, 4, 17))
    return issued


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_summary_adds_up_from_the_opening_to_the_closing_balance(statement):
    lines = dict((str(label), amount) for label, amount in statements.summary_lines(statement))
    assert statement.opening_balance + sum(lines.values()) == statement.closing_balance
    assert lines["New assessments"] == Decimal("2500.00")
    assert lines["Payments"] == Decimal("-400.00")
    assert lines["Penalties"] == Decimal("25.00")
    assert lines["Interest"] == Decimal("0.36") * 26


def test_daily_interest_is_one_line_per_run_of_days_at_one_rate(statement):
    runs = statements.interest_runs(statements.statement_entries(statement))
    assert [(run.first, run.last, run.days, run.rate) for run in runs] == [
        (START, START + dt.timedelta(days=19), 20, "13"),
        (START + dt.timedelta(days=20), START + dt.timedelta(days=24), 5, "14"),
        (START + dt.timedelta(days=27), START + dt.timedelta(days=27), 1, "14"),
    ]
    assert sum(run.total for run in runs) == Decimal("0.36") * 26


def test_the_page_names_the_importer_and_the_statement_and_shows_the_arithmetic(client, statement, alice):
    sign_in(client, alice)
    page = _text(client.get(f"/en/ledger/{N}/statements/{statement.pk}/"))
    for text in [
        "Maple Leaf Imports Inc.",
        statement.program_account.business.city,
        f"Statement number {N}-20250417 — version 1",
        "Opening balance $1,000.00",
        "+ New assessments $2,500.00",
        "− Payments -$400.00",
        f"= Closing balance {'$' + format(statement.closing_balance, ',.2f')}",
        "2025-03-18 2025-04-06 20 13% a year",
        f"enter your program account number {N} as the account number",
    ]:
        assert text in page, text
    assert page.count("Interest ") < 26  # not a line a day
    visible = page.replace(page[page.find("Integrity check") :], "")
    assert statement.checksum not in visible  # only in the integrity note at the end


def test_the_page_reads_in_french(client, statement, alice):
    sign_in(client, alice, language="fr")
    page = _text(client.get(f"/fr/ledger/{N}/statements/{statement.pk}/"))
    for text in ["Numéro du relevé", "Solde d'ouverture", "+ Nouvelles cotisations", "13 % par année", "Comment payer"]:
        assert text in page, text


def test_the_pdf_numbers_its_pages_and_keeps_the_hash_in_its_metadata(statement, tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(statements.statement_pdf(statement))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Page 1 / (\d+)", text).group(1))
    assert [f"Page {n} / {pages}" in text for n in range(1, pages + 1)] == [True] * pages
    assert f"{N}-20250417" in text
    assert statement.checksum not in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert statement.checksum in info


def test_the_pay_page_summarises_the_interest_left_to_pay_by_rate(client, statement, alice):
    sign_in(client, alice)
    page = _text(client.get(f"/en/payments/pay/?account={N}"))
    assert "Interest, 20 days at 13% a year 2025-03-18 – 2025-04-06" in page
    assert "Interest, 5 days at 14% a year" in page and "Interest, 1 day at 14% a year" in page
    assert page.count("Interest,") == 3  # a row a run (a rate change or a day without interest ends one), not 26

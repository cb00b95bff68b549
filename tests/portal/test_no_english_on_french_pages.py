"""Bilingual through and through (issue 17, item 6): the French pages of the day's work hold no
English outside a known list of proper names and codes. A page's text (tags, scripts and styles
removed) is searched for common English words; a name from the list is removed first."""

import datetime as dt
import re

import pytest

from ledger import statements
from ledger.models import EntryType
from tests.conftest import sign_in
from tests.ledger.factories import post, rate

N = "123456782RM0001"
# Proper names and codes that are the same in both languages.
KNOWN = ["Maple Leaf Imports Inc.", "Northern Customs Brokers Ltd.", "Alice Tremblay", "CARM", "SHA-256", "PDF", "CSV"]
ENGLISH = {
    "the",
    "and",
    "of",
    "your",
    "you",
    "account",
    "accounts",
    "pay",
    "payment",
    "payments",
    "statement",
    "statements",
    "due",
    "overdue",
    "balance",
    "interest",
    "amount",
    "to",
    "from",
    "with",
    "for",
    "is",
    "are",
    "this",
    "what",
    "owes",
    "since",
    "last",
    "new",
    "how",
    "download",
    "history",
    "notices",
    "daily",
    "summary",
    "opening",
    "closing",
    "assessments",
    "penalties",
    "year",
    "days",
}  # fmt: skip — words that are French too (date, page, transactions, on, actions) are not in it


def _text(html: str) -> str:
    body = html[html.find("<main") : html.find("</main>")]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    for name in KNOWN:
        text = text.replace(name, " ")
    return text


def _english_words(html: str) -> set[str]:
    words = re.findall(r"[^\W\d_]+", _text(html))  # whole words, accents included: "payé" is not "pay"
    return {word for word in words if word.lower() in ENGLISH}


def _where(html: str) -> list[str]:
    text = _text(html)
    found = [m for word in _english_words(html) for m in re.finditer(rf"\b{word}\b", text)]
    return [text[max(m.start() - 60, 0) : m.end() + 20] for m in found]


@pytest.fixture
def money(rm0001):
    today = dt.date.today()
    rate("5", since=dt.date(2022, 1, 1))
    entry = post(rm0001, amount="1000.00", day=today - dt.timedelta(days=70), due_date=today - dt.timedelta(days=20))
    post(rm0001, EntryType.INTEREST, "1.50", day=today - dt.timedelta(days=2), explanation={"rate": "11"})
    statements.close_period(entry.billing_period_end)
    return rm0001


def test_the_french_pages_of_the_days_work_hold_no_english(client, money, alice):
    sign_in(client, alice, language="fr")
    statement = money.statements.first()
    for url in [
        "/fr/",
        "/fr/financials/",
        f"/fr/ledger/{N}/statements/{statement.pk}/",
        f"/fr/payments/pay/?account={N}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not _english_words(html), (url, _where(html))


def test_the_check_finds_english_when_there_is_some():
    assert _english_words("<main><p>Pay the balance of your account</p></main>") == {
        "Pay",
        "the",
        "balance",
        "of",
        "your",
        "account",
    }


@pytest.mark.parametrize(
    "printed, french",
    [("Free", "En franchise"), ("En fr.", "En franchise"), ("6.5 %", "6,5 %"), ("not a rate", "not a rate")],
)
def test_a_rate_reads_in_french_on_french_pages(printed, french):
    from django.utils import translation

    from tariff.templatetags.tariff_tags import rate_words

    with translation.override("fr"):
        assert rate_words(printed) == french
    with translation.override("en"):
        assert rate_words(printed) == printed

"""Money reachable from where people look (issue 17, item 3): each program account's balance, amount
due, due date, overdue amount and interest on the dashboard, with Pay and Statement links; alerts
that never contradict the figures; a Financials entry in the main navigation; RM numbers as links."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from ledger import statements
from ledger.models import EntryType
from payments import summary
from tests.conftest import sign_in
from tests.ledger.factories import post, rate

N = "123456782RM0001"
TODAY = dt.date.today()
NOTHING = "Nothing needs your attention."


def _item(who):
    return next(item for item in summary.summaries(who) if item.account.number == N)


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())  # keeps the NBSPs French uses


@pytest.fixture
def overdue_account(rm0001):
    """An assessment due ten days ago and left unpaid, with a day of interest on it."""
    rate("5", since=dt.date(2022, 1, 1))
    post(rm0001, amount="39857.00", day=TODAY - dt.timedelta(days=40), due_date=TODAY - dt.timedelta(days=10))
    post(rm0001, EntryType.INTEREST, "120.12", day=TODAY - dt.timedelta(days=1), due_date=TODAY - dt.timedelta(days=1))
    return rm0001


@pytest.fixture
def due_soon_account(rm0001):
    rate("5", since=dt.date(2022, 1, 1))
    entry = post(rm0001, amount="1500.00", day=TODAY - dt.timedelta(days=35), due_date=TODAY + dt.timedelta(days=3))
    statements.close_period(entry.billing_period_end)  # billed: on an issued statement
    return rm0001


def test_the_summary_reads_the_ledgers_own_figures(overdue_account, alice):
    item = _item(alice)
    assert item.account == overdue_account
    assert item.balance == Decimal("39977.12")
    assert item.overdue == Decimal("39977.12")  # the principal and the interest, both past due
    assert item.amount_due == Decimal("39977.12")
    assert item.due_date == TODAY - dt.timedelta(days=10)
    assert item.interest == Decimal("120.12")  # no statement yet: all the interest charged
    assert item.rate == Decimal("11")  # the prescribed 5% + 6 points (D11-6-5 para. 2)


def test_interest_counts_only_since_the_last_statement(rm0001, alice):
    rate("5", since=dt.date(2022, 1, 1))
    post(rm0001, EntryType.INTEREST, "10.00", day=dt.date(2025, 3, 10), due_date=dt.date(2025, 3, 10))
    statements.close_period(dt.date(2025, 3, 17))
    post(rm0001, EntryType.INTEREST, "2.50", day=dt.date(2025, 3, 20), due_date=dt.date(2025, 3, 20))
    item = _item(alice)
    assert item.interest == Decimal("2.50")
    assert item.statement.period_end == dt.date(2025, 3, 17)


def test_an_overdue_amount_is_an_alert_and_never_sits_under_nothing_needs_your_attention(
    client, overdue_account, alice
):
    sign_in(client, alice)
    page = _text(client.get("/en/"))
    assert "$39,977.12 overdue on 123456782RM0001" in page
    assert "11% a year" in page
    assert NOTHING not in page
    assert f'href="/en/payments/pay/?account={N}"' in page


def test_an_amount_due_within_ten_days_is_a_warning(client, due_soon_account, alice):
    sign_in(client, alice)
    page = _text(client.get("/en/"))
    assert f"$1,500.00 due on {TODAY + dt.timedelta(days=3):%Y-%m-%d} on {N}" in page
    assert "overdue on" not in page
    assert NOTHING not in page


def test_nothing_needs_your_attention_only_when_nothing_is_owing(client, rm0001, alice):
    post(rm0001, amount="800.00", day=TODAY - dt.timedelta(days=2), due_date=TODAY + dt.timedelta(days=40))
    sign_in(client, alice)
    page = _text(client.get("/en/"))
    assert NOTHING in page
    assert "$800.00" in page  # the balance is still shown


def test_the_dashboard_links_the_latest_statement_of_each_account(client, rm0001, alice):
    post(rm0001, amount="100.00", day=dt.date(2025, 3, 20))
    statements.close_period(dt.date(2025, 4, 17))
    [statement] = statements.close_period(dt.date(2025, 4, 17), reissue=True)
    sign_in(client, alice)
    page = _text(client.get("/en/"))
    assert f'href="/en/ledger/{N}/statements/{statement.pk}/"' in page
    assert statement.version == 2


def test_a_reader_sees_the_figures_and_alerts_but_no_pay_link(client, overdue_account, reader):
    client.force_login(reader)
    page = _text(client.get("/en/"))
    assert "$39,977.12 overdue on 123456782RM0001" in page
    assert "/payments/pay/" not in page
    assert f'href="/en/ledger/{N}/"' in page


def test_someone_else_sees_none_of_the_accounts_money(client, overdue_account, other_business_user):
    client.force_login(other_business_user)
    page = _text(client.get("/en/"))
    assert N not in page
    assert "39,977.12" not in page


def test_the_alerts_speak_french_on_french_pages(client, overdue_account, alice):
    sign_in(client, alice, language="fr")
    page = _text(client.get("/fr/"))
    assert "39\u00a0977,12\u00a0$ en souffrance sur 123456782RM0001" in page
    assert "au taux de 11 % par année" in page


def test_financials_is_in_the_main_navigation_and_leads_to_every_money_page(client, overdue_account, alice):
    sign_in(client, alice)
    page = _text(client.get("/en/declarations/"))
    assert 'href="/en/financials/"' in page
    financials = _text(client.get("/en/financials/"))
    for url in [
        f"/en/ledger/{N}/",
        f"/en/ledger/{N}/statements/",
        f"/en/ledger/{N}/transactions/",
        f"/en/ledger/{N}/notices/",
        f"/en/payments/pay/?account={N}",
        f"/en/payments/pad/{N}/",
        "/en/payments/",
    ]:
        assert f'href="{url}"' in financials, url
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_financials_shows_a_reader_no_payment_or_banking_pages(client, overdue_account, reader):
    client.force_login(reader)
    financials = _text(client.get("/en/financials/"))
    assert f'href="/en/ledger/{N}/statements/"' in financials
    assert "/payments/pay/" not in financials
    assert f"/payments/pad/{N}/" not in financials


def test_every_rm_number_on_the_client_pages_is_a_link(client, overdue_account, alice):
    from declarations.models import Declaration

    sign_in(client, alice)
    urls = ["/en/", "/en/financials/", "/en/businesses/program-accounts/", f"/en/ledger/{N}/statements/"]
    if Declaration.objects.exists():
        urls.append("/en/declarations/")
    for url in urls:
        page = client.get(url).content.decode()
        numbers = re.findall(r"\d{9}RM\d{4}", page)
        linked = re.findall(r'<gcds-link href="/en/ledger/(\d{9}RM\d{4})/">\1</gcds-link>', page)
        plain = [n for n in re.findall(r">\s*(\d{9}RM\d{4})\s*<", page) if n not in linked]
        assert numbers and not plain, (url, plain)

"""Brokers (issue 17, item 7): the switcher names its clients, a persistent "Acting for" banner on
every page with a way out, the switcher keeps the page's language, and a worklist across clients
(amounts owing and due dates per client, declarations to look at, a search by name or BN)."""

import datetime as dt
import re
from decimal import Decimal

from tests.conftest import sign_in


def test_the_switcher_names_each_client_and_the_banner_follows_on_every_page(client, relate, brenda, maple):
    relate("business", person=brenda)
    sign_in(client, brenda)
    home = client.get("/en/").content.decode()
    assert "Maple Leaf Imports Inc. (123456782)</option>" in home
    response = client.post("/en/relationships/acting-for/", {"client": "123456782", "next": "/en/declarations/"})
    assert response["Location"] == "/en/declarations/"
    for url in ["/en/", "/en/declarations/", "/en/financials/"]:
        page = client.get(url).content.decode()
        assert "Acting for Maple Leaf Imports Inc. (123456782)" in page, url
        assert "Stop acting for this client" in page, url
    client.post("/en/relationships/acting-for/", {"client": "", "next": "/en/"})
    assert "Acting for Maple Leaf" not in client.get("/en/").content.decode()


def test_switching_on_a_french_page_stays_in_french(client, relate, brenda):
    relate("business", person=brenda)
    sign_in(client, brenda, language="fr")
    response = client.post("/fr/relationships/acting-for/", {"client": "123456782"})
    assert response["Location"] == "/fr/"
    page = client.get("/fr/").content.decode()
    assert "Vous agissez pour Maple Leaf Imports Inc. (123456782)" in page


def test_the_worklist_shows_each_clients_money_and_finds_clients_by_name_or_bn(client, relate, brenda, rm0001):
    from ledger.models import InterestRate
    from tests.ledger.factories import post

    InterestRate.objects.create(effective_from=dt.date(2022, 1, 1), prescribed_rate=Decimal("5"))
    today = dt.date.today()
    post(rm0001, amount="2500.00", day=today - dt.timedelta(days=40), due_date=today - dt.timedelta(days=10))
    relate("business", person=brenda)
    sign_in(client, brenda)
    page = re.sub(r"[ \t\r\n]+", " ", client.get("/en/worklist/").content.decode())
    assert "Maple Leaf Imports Inc. (123456782)" in page
    assert 'href="/en/ledger/123456782RM0001/"' in page and "$2,500.00" in page
    assert "123456782RM0001, release prior to payment: Not enrolled" in page  # the security app fills the slot
    assert "Maple Leaf" in client.get("/en/worklist/?q=maple").content.decode()
    assert "Maple Leaf" in client.get("/en/worklist/?q=1234").content.decode()
    assert "No client matches." in client.get("/en/worklist/?q=zzz").content.decode()


def test_a_nul_character_in_the_worklist_search_is_ignored(client, relate, brenda, rm0001):
    relate("business", person=brenda)
    sign_in(client, brenda)
    assert "Maple Leaf Imports Inc." in client.get("/en/worklist/?q=Map%00le").content.decode()  # was a 500 on PG

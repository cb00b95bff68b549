"""Readers and the rest (issue 17, item 8): a Reader who opens a page that changes things is told
why and who gives access; the 403 and 404 pages say what to do next; a favicon; a session-timeout
warning that knows when the session ends and can renew it."""

import datetime as dt

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def test_a_reader_opening_the_pay_page_is_told_why_and_who_gives_access(client, reader):
    client.force_login(reader)
    response = client.get("/en/payments/pay/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your access lets you view, not change" in page and "make a payment" in page
    assert "alice@maple.example" in page


def test_the_reader_page_speaks_french(client, reader):
    client.force_login(reader)
    page = client.get("/fr/payments/pay/").content.decode()
    assert "Votre accès vous permet de consulter, non de modifier" in page
    assert "faire un paiement" in page


def test_the_403_page_names_who_gives_access_and_what_to_do_next(client, reader):
    client.force_login(reader)
    response = client.get("/en/ledger/refunds/")  # an officers' page
    assert response.status_code == 403
    page = response.content.decode()
    assert "Who can give you access" in page and "alice@maple.example" in page
    assert 'href="/en/access/request/"' in page and 'href="/en/financials/"' in page


def test_the_404_page_says_what_to_do_next(client, db):  # every page reads the outages (penalties)
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "What you can do next" in page
    assert 'href="/en/account/login/"' in page and 'href="/en/"' in page


def test_every_page_names_its_favicon_and_it_is_served(client, db):
    page = client.get("/en/").content.decode()
    assert 'rel="icon"' in page and "carm/favicon" in page
    assert finders.find("carm/favicon.svg")


def test_the_session_warning_knows_when_the_session_ends_and_staying_signed_in_renews_it(client, alice):
    client.force_login(alice)
    page = client.get("/en/").content.decode()
    assert 'data-session-ends="' in page and "carm/session.js" in page
    assert 'id="carm-session-warning"' in page
    response = client.post("/en/session/keep-alive/")
    ends = parse_datetime(response.json()["ends"])
    assert ends > timezone.now() + dt.timedelta(hours=7)  # a new lifetime (SESSION_COOKIE_AGE: 8 hours)
    assert client.get("/en/session/keep-alive/").status_code == 405

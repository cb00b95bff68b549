"""Brokers (issue 17, item 7, in part): the switcher names its clients, a persistent "Acting for"
banner on every page with a way out, and the switcher keeps the page's language."""

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

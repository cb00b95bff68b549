"""Bilingual through and through (issue 17, item 6, in part): signing in on either language's page
lands on the dashboard in the person's language, with the sign-in message in that language."""

from accounts.demo import ensure_person
from tests.conftest import sign_in


def test_an_english_speaker_signing_in_on_the_french_page_lands_in_english(client, alice):
    response = sign_in(client, alice, language="fr")
    assert response["Location"].startswith("/en/")
    page = client.get(response["Location"]).content.decode()
    assert "Successfully signed in as Alice Tremblay." in page


def test_a_french_speaker_signing_in_on_the_english_page_lands_in_french(client, db):
    olivier = ensure_person("olivier@maple.example", "Olivier Roy", "fr")
    response = sign_in(client, olivier, language="en")
    assert response["Location"].startswith("/fr/")
    page = client.get(response["Location"]).content.decode()
    assert "Connexion avec Olivier Roy réussie." in page

"""The release system's service account works through the API with its token only: its password opens
no session (refused before the second factor, saying why), and a session it holds anyway ends."""

import pytest

from accounts.demo import ensure_person
from accounts.services import create_api_token
from rights import OfficerRole
from tests.conftest import sign_in
from tests.releases.conftest import release_system  # noqa: F401 (fixture)

REFUSED = {
    "en": "This is a service account: it works through the API with its token and cannot sign in to the portal.",
    "fr": "Ceci est un compte de service : il passe par l’API avec son jeton et ne peut pas ouvrir de session "
    "dans le portail.",
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_its_password_opens_no_session_and_the_sign_in_page_says_why(client, release_system, language):
    response = client.post(
        f"/{language}/account/login/", {"login": release_system.email, "password": "Demo-pass-2026"}, follow=True
    )
    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0].endswith("/account/login/")
    assert REFUSED[language] in response.content.decode()
    assert client.get(f"/{language}/cbsa/").status_code == 302  # still signed out


def test_a_session_it_holds_anyway_ends_at_its_next_page(client, release_system):
    client.force_login(release_system)
    response = client.get("/en/cbsa/", follow=True)
    assert response.redirect_chain[0][0].endswith("/account/login/")
    assert REFUSED["en"] in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_its_token_still_calls_the_api(client, release_system):
    _token, key = create_api_token(release_system, name="release feed", days=30)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["email"] == release_system.email


def test_a_session_on_the_api_is_dropped(client, release_system):
    client.force_login(release_system)
    assert client.get("/api/v1/me").status_code in (401, 403)


def test_a_border_services_officer_still_signs_in(client, db):
    bruno = ensure_person("bruno@cbsa.example", "Bruno Tremblay", officer_roles=[OfficerRole.BORDER])
    sign_in(client, bruno)
    assert client.session["_auth_user_id"] == str(bruno.pk)

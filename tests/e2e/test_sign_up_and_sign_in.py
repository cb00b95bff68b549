"""A newcomer's first visit, as a person does it in the browser: sign up, verify the e-mail,
sign in, enrol an authenticator app, sign out, sign in with a code, switch language."""

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

PASSWORD = "A-long-passphrase-2026"


def _code(secret: str, steps_ahead: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


def _fill(page, field_id, value):
    # The input lives in the gcds-input's shadow DOM; Playwright's CSS locators pierce it.
    page.locator(f"input#{field_id}").fill(value)


def test_newcomer_signs_up_verifies_enrols_mfa_and_signs_back_in(page, live_server, checker, db):
    page.goto(f"{live_server.url}/en/")
    checker.check("welcome-en")
    page.get_by_role("link", name="Create an account").first.click()
    checker.check("sign-up")

    _fill(page, "id_email", "newcomer@example.com")
    _fill(page, "id_password1", PASSWORD)
    _fill(page, "id_password2", PASSWORD)
    _fill(page, "id_legal_name", "Nadia Newcomer")
    page.locator("select#id_preferred_language").select_option("en")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/account/confirm-email/$"))
    checker.check("verification-sent")

    link = re.search(r"http://\S+/account/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    checker.check("confirm-email")
    page.get_by_role("button", name="Confirm").click()

    page.goto(f"{live_server.url}/en/account/login/")
    _fill(page, "id_login", "newcomer@example.com")
    _fill(page, "id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # MFA is mandatory: enrolment comes first, after confirming the password (allauth asks for a
    # fresh confirmation before any change to a person's second factors).
    page.wait_for_url(re.compile(r"/account/reauthenticate/"))
    checker.check("confirm-password")
    _fill(page, "id_password", PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/account/2fa/totp/activate/"))
    checker.check("enrol-authenticator")

    secret = page.locator("#authenticator_secret").input_value()
    _fill(page, "id_code", _code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/account/2fa/"))
    checker.check("authenticator-enrolled")

    page.goto(f"{live_server.url}/en/account/logout/")
    checker.check("sign-out")
    page.get_by_role("button", name="Sign Out").click()

    page.goto(f"{live_server.url}/en/account/login/")
    _fill(page, "id_login", "newcomer@example.com")
    _fill(page, "id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/account/2fa/authenticate/"))
    checker.check("enter-code")
    _fill(page, "id_code", _code(secret, steps_ahead=1))  # the enrolment code cannot be reused
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/$"))
    checker.check("dashboard-en")
    assert page.get_by_role("heading", name="Welcome, Nadia").is_visible()

    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/$"))
    checker.check("dashboard-fr")
    assert page.get_by_role("heading", name="Bienvenue, Nadia").is_visible()


def test_wrong_password_shows_an_error_summary_in_french(page, live_server, checker, alice):
    page.goto(f"{live_server.url}/fr/account/login/")
    checker.check("sign-in-fr")
    _fill(page, "id_login", alice.email)
    _fill(page, "id_password", "wrong-password")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state("networkidle")
    checker.check("sign-in-error-fr")
    summary = page.locator("gcds-error-summary")
    assert summary.get_by_role("heading", name="Il y a un problème").is_visible()
    assert summary.get_by_role("link", name="L’adresse e-mail ou le mot de passe sont incorrects.").is_visible()

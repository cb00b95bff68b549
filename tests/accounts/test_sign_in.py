"""Sign-in with a password and a second factor, and every way it can go wrong."""

import html

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.test import Client

from accounts.management.commands.demo_totp import current_totp_code
from audit.models import AuditEntry
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _password_step(client, user, password="Demo-pass-2026", language="en"):
    return client.post(f"/{language}/account/login/", {"login": user.email, "password": password})


def test_sign_in_needs_the_password_then_the_authenticator_code(client, alice):
    response = _password_step(client, alice)
    assert response.url.endswith("/account/2fa/authenticate/")
    assert "_auth_user_id" not in client.session  # not signed in before the second factor
    response = client.post("/en/account/2fa/authenticate/", {"code": current_totp_code(alice)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_signed_in_person_lands_in_their_preferred_language(client, olivia):
    response = sign_in(client, olivia)
    assert response.url.startswith("/fr/")


def test_wrong_password_is_refused_with_a_clear_message_in_each_language(client, alice):
    response = _password_step(client, alice, password="wrong-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    response = _password_step(client, alice, password="wrong-password", language="fr")
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


def test_failed_sign_ins_are_audited_without_the_password(client, alice):
    _password_step(client, alice, password="wrong-password")
    entry = AuditEntry.objects.get(action="auth.sign_in_failed")
    assert entry.actor_label == alice.email
    assert "wrong-password" not in str(entry.after)


def test_account_locks_after_five_failed_sign_ins(client, alice):
    for _ in range(5):
        _password_step(client, alice, password="wrong-password")
    response = _password_step(client, alice)  # even the right password is refused now
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_authenticator_code_is_refused(client, alice):
    _password_step(client, alice)
    good = current_totp_code(alice)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post("/en/account/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_authenticator_code_is_refused(client, alice, monkeypatch):
    _password_step(client, alice)
    old_code = current_totp_code(alice)
    # Ten minutes later the same code is long expired (tolerance is one 30-second step at most).
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 600)
    response = client.post("/en/account/2fa/authenticate/", {"code": old_code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once_and_never_again(alice):
    codes = RecoveryCodes(Authenticator.objects.get(user=alice, type=Authenticator.Type.RECOVERY_CODES))
    code = codes.get_unused_codes()[0]
    first = Client()
    _password_step(first, alice)
    assert first.post("/en/account/2fa/authenticate/", {"code": code}).status_code == 302

    second = Client()
    _password_step(second, alice)
    response = second.post("/en/account/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()


def test_sign_up_sends_a_verification_email_and_records_the_profile(client):
    response = client.post(
        "/en/account/signup/",
        {
            "email": "newcomer@example.com",
            "password1": "A-long-passphrase-2026",
            "password2": "A-long-passphrase-2026",
            "legal_name": "Newcomer Person",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "newcomer@example.com" in mail.outbox[0].to
    from accounts.models import User

    user = User.objects.get(email="newcomer@example.com")
    assert (user.legal_name, user.preferred_language) == ("Newcomer Person", "fr")


def test_duplicate_email_at_sign_up_is_refused_clearly(client, alice):
    response = client.post(
        "/en/account/signup/",
        {
            "email": alice.email,
            "password1": "A-long-passphrase-2026",
            "password2": "A-long-passphrase-2026",
            "legal_name": "Someone Else",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert "A user is already registered with this email address." in response.content.decode()


def test_a_person_without_a_second_factor_must_enrol_before_anything_else(client, db):
    from accounts.models import User

    user = User.objects.create_user("nomfa@example.com", "A-long-passphrase-2026")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    response = client.get("/en/profile/")
    assert response.status_code == 302
    assert "/account/2fa/totp/activate/" in response.url


def test_a_tampered_csrf_token_gets_a_clear_page_not_a_500(alice):
    client = Client(enforce_csrf_checks=True)
    client.get("/en/account/login/")
    response = client.post(
        "/en/account/login/",
        {"login": alice.email, "password": "Demo-pass-2026", "csrfmiddlewaretoken": "tampered"},
    )
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()


def test_french_csrf_page_is_in_french(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/fr/account/login/", {"login": alice.email, "password": "x"})
    assert response.status_code == 403
    assert "Votre formulaire a expiré" in response.content.decode()


def test_an_unknown_language_prefix_gets_a_bilingual_not_found_page(client):
    response = client.get("/de/account/login/")
    assert response.status_code == 404
    body = html.unescape(response.content.decode())
    assert "We couldn't find that page" in body
    assert "Nous ne pouvons trouver cette page" in body


def test_password_reset_mails_a_link_that_sets_a_new_password(client, alice):
    import re

    response = client.post("/en/account/password/reset/", {"email": alice.email})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/en/account/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link).url  # allauth moves the key into the session, then shows the form
    response = client.post(form_url, {"password1": "A-brand-new-passphrase", "password2": "A-brand-new-passphrase"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("A-brand-new-passphrase")

"""Shared personas. Later issues add the business roles (BAM, PAM, Editor, Reader, broker...)."""

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.demo import ensure_person
from accounts.management.commands.demo_totp import current_totp_code


@pytest.fixture(autouse=True)
def _fresh_state():
    """English by default, and no rate-limit counters or used TOTP codes left by another test."""
    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def alice(db):
    """An enrolled importer user (TOTP + recovery codes), password Demo-pass-2026."""
    return ensure_person("alice@maple.example", "Alice Tremblay")


@pytest.fixture
def charlie(db):
    """An outsider: enrolled, linked to nothing."""
    return ensure_person("charlie@outside.example", "Charlie Outsider")


@pytest.fixture
def olivia(db):
    return ensure_person("olivia@cbsa.example", "Olivia Gagnon", "fr", officer=True)


def sign_in(client, user, password="Demo-pass-2026", language="en"):
    """The real two-step sign-in: password, then the authenticator code."""
    response = client.post(f"/{language}/account/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content[:500]
    response = client.post(f"/{language}/account/2fa/authenticate/", {"code": current_totp_code(user)})
    assert response.status_code == 302, response.content[:500]
    return response


@pytest.fixture
def signed_in_client(client, alice):
    sign_in(client, alice)
    return client

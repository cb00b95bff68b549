"""Shared personas. Business roles, all at Maple Leaf Imports Inc. (BN 123456782) unless said:
alice/bam (BAM), pam (PAM of RM0001), editor (Editor of RM0001), reader/rita (Reader of RM0001),
orphan/charlie (linked to nothing), other_business_user/bob (BAM of Northern Customs Brokers Ltd.)."""

import importlib

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.utils import translation
from hypothesis import settings

from accounts.demo import ensure_person
from accounts.management.commands.demo_totp import current_totp_code
from rights import OfficerRole

# Property tests assert rules, not speed (speed lives in bench/): Hypothesis' 200 ms deadline per example
# failed a rule test on the shared 2-core machine when a first example loaded the rate tables.
settings.register_profile("carm", deadline=None)
settings.load_profile("carm")


def _forget_tariff_reference():
    """The tariff's reference tables are kept in memory between look-ups; a rolled-back test's data
    load sends no signal, so each test starts without them."""
    from tariff import services

    services.clear_cache()


# The rows data migrations seed, by app: the migration and its loader that give the table its current
# content (a later reload included). tests/test_seeded_tables.py holds every data migration to this list.
# Not the code lists: declarations' own post_migrate receiver (declarations/apps.py) fills them again.
SEEDED_BY = {
    "ledger": [("0002_federal_holidays", "load"), ("0005_interest_rates_and_runs", "load_rates")],
    "payments": [("0002_pad_agreement_text", "load")],
    "rulings": [("0002_cbsa_offices", "load")],
    "tariff": [("0003_search_synonym_seed", "add_seed"), ("0004_search_synonym_glossary", "add_seed")],
}


def _seed_again(sender, plan=None, **kwargs):
    """A transactional test ends with a flush, which empties the seeded tables too, then sends
    post_migrate without a plan (the migrate command sends its plan, after its own seeding): every
    test after it finds the rows again, loaded by the migrations' own loaders (idempotent)."""
    if plan is None:
        for migration, loader in SEEDED_BY[sender.label]:
            getattr(importlib.import_module(f"{sender.name}.migrations.{migration}"), loader)(apps, None)


for _label in SEEDED_BY:
    post_migrate.connect(_seed_again, sender=apps.get_app_config(_label), dispatch_uid=f"tests-seed-{_label}")


@pytest.fixture(autouse=True)
def _fresh_state():
    """English by default, and no rate-limit counters or used TOTP codes left by another test."""
    cache.clear()
    _forget_tariff_reference()
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
    return ensure_person("olivia@cbsa.example", "Olivia Gagnon", "fr", officer_roles=[OfficerRole.SUPERVISOR])


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


@pytest.fixture
def registry_data(db):
    """CRA's registry as the demo loads it (Maple, Northern, Tidewater, Prairie), nothing registered."""
    from registry import demo

    demo.seed()


@pytest.fixture
def maple(registry_data):
    """The demo businesses registered, with their BAMs, and Rita reading Maple's RM0001."""
    from access import demo as access_demo
    from accounts import demo as people
    from businesses import demo as businesses_demo
    from businesses.models import Business

    people.seed()
    businesses_demo.seed()
    access_demo.seed()
    return Business.objects.get(bn9="123456782")


@pytest.fixture
def rm0001(maple):
    return maple.program_accounts.get(number="123456782RM0001")


@pytest.fixture
def bam(maple, alice):
    return alice


def _with_role(email, name, account, role):
    from access.services import set_role
    from accounts.models import User

    person = ensure_person(email, name)
    set_role(User.objects.get(email="alice@maple.example"), account, role, user=person)
    return person


@pytest.fixture
def pam(rm0001):
    return _with_role("paula@maple.example", "Paula Martin", rm0001, "pam")


@pytest.fixture
def editor(rm0001):
    return _with_role("eddie@maple.example", "Eddie Roy", rm0001, "editor")


@pytest.fixture
def reader(maple):
    from accounts.models import User

    return User.objects.get(email="rita@maple.example")


@pytest.fixture
def orphan(maple, charlie):
    return charlie


@pytest.fixture
def other_business_user(maple):
    from accounts.models import User

    return User.objects.get(email="bob@northern.example")

"""Delegation personas on top of tests/conftest.py: Northern Customs Brokers (bob, its BAM, and
Brenda, its employee), Tidewater Trade Consulting (tina), and a relationship factory."""

import datetime

import pytest
from django.utils import timezone

from accounts.demo import ensure_person
from businesses.models import Business
from delegation import services
from delegation.models import Relationship


@pytest.fixture
def northern(maple):
    return Business.objects.get(bn9="123026635")


@pytest.fixture
def tidewater(maple):
    return Business.objects.get(bn9="876543216")


@pytest.fixture
def bob(other_business_user):
    return other_business_user


@pytest.fixture
def tina(maple):
    from accounts.models import User

    return User.objects.get(email="tina@tidewater.example")


@pytest.fixture
def brenda(northern, bob):
    """An employee of Northern (member through a group), not yet working on any client."""
    from access.models import EmployeeGroup

    person = ensure_person("brenda@northern.example", "Brenda Broker")
    group, _ = EmployeeGroup.objects.get_or_create(business=northern, name="Declarations")
    group.members.add(person)
    return person


@pytest.fixture
def relate(alice, bob, northern, maple):
    """relate(scope, accounts=..., role=..., person=..., **terms): an approved Northern → Maple
    relationship with `person` (default brenda-less bob) assigned."""

    def make(scope="business", accounts=(), role="editor", person=None, **terms):
        pending = services.request_relationship(bob, northern, maple.bn9, scope=scope, accounts=accounts)
        relationship = services.approve(alice, pending, **terms)
        if person is not None:
            services.assign(bob, relationship, role, user=person)
        return relationship

    return make


@pytest.fixture
def api(client):
    """api(person) → a function calling the API with that person's token."""

    def as_person(person):
        key = _token(person)

        def call(method, path, data=None, **headers):
            extra = {"HTTP_AUTHORIZATION": f"Token {key}", **{f"HTTP_{k}": v for k, v in headers.items()}}
            if method == "get":
                return client.get(f"/api/v1/{path}", data or {}, **extra)
            send = getattr(client, method)
            return send(f"/api/v1/{path}", data or {}, content_type="application/json", **extra)

        return call

    return as_person


def _token(person):
    from accounts import services as account_services

    return account_services.create_api_token(person, name="test", days=30)[1]


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def expire(relationship):
    """Move a relationship past its expiry date (as if a year had gone by)."""
    Relationship.objects.filter(pk=relationship.pk).update(expires_on=days(-1))
    relationship.refresh_from_db()
    return relationship

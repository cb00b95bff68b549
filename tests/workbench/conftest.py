"""Workbench personas: the demo officers (one per officer role; olivia is the supervisor) seeded with
the demo people, on top of the shared Maple personas."""

import pytest

from accounts.models import User
from rights import OfficerRole

OFFICER_EMAILS = {
    OfficerRole.SUPERVISOR: "olivia@cbsa.example",
    OfficerRole.REVENUE: "remi@cbsa.example",
    OfficerRole.TRADE: "tariq@cbsa.example",
    OfficerRole.RECOURSE: "rose@cbsa.example",
    OfficerRole.AUDITOR: "aude@cbsa.example",
    OfficerRole.BORDER: "bruno@cbsa.example",
    OfficerRole.RELEASE_SYSTEM: "release-system@cbsa.example",
}


@pytest.fixture
def officers(maple):
    """{OfficerRole: the demo officer holding it}."""
    return {role: User.objects.get(email=email) for role, email in OFFICER_EMAILS.items()}


@pytest.fixture
def as_person(client):
    """as_person(user): the test client signed in as `user` (None: nobody)."""

    def sign(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign

"""Recourse fixtures: the shared personas (Maple's alice, the supervisor olivia), the declarations'
small tariff, CAD payloads and `on_day`, and officers of each role."""

import pytest

from accounts.demo import ensure_person
from rights import OfficerRole
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import broker, interest_rate, on_day  # noqa: F401 (fixtures)
from tests.delegation.conftest import api, bob, brenda, northern, relate, tidewater, tina  # noqa: F401 (fixtures)
from tests.security.conftest import sam, sureco  # noqa: F401 (fixtures)


@pytest.fixture
def officer(db):
    """A trade officer: verifications, re-determinations and penalties."""
    return ensure_person("trade.officer@cbsa.example", "Tara Trade", officer_roles=[OfficerRole.TRADE])


@pytest.fixture
def recourse_officer(db):
    return ensure_person("recourse.officer@cbsa.example", "Remi Recourse", officer_roles=[OfficerRole.RECOURSE])


@pytest.fixture
def revenue_officer(db):
    return ensure_person("revenue.officer@cbsa.example", "Rex Revenue", officer_roles=[OfficerRole.REVENUE])

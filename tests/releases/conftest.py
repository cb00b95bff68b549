"""Releases are recorded by the border (a border services officer or the release system's service
account) under the transaction number of the business that asked for the release."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.demo import ensure_person
from declarations import transaction_numbers
from releases import services
from rights import OfficerRole


@pytest.fixture
def release_system(db):
    return ensure_person(
        "release-system@cbsa.example", "CBSA release system", officer_roles=[OfficerRole.RELEASE_SYSTEM]
    )


@pytest.fixture
def bruno(db):
    """A border services officer."""
    return ensure_person("bruno@cbsa.example", "Bruno Tremblay", "fr", officer_roles=[OfficerRole.BORDER])


@pytest.fixture
def recorded(release_system):
    """recorded(asked_by business, account, day, vfd=..., mode=...) → the Release recorded under a new
    number of the business that asked for it."""

    def make(asked_by, account, day: dt.date, vfd="30000.00", mode="rmd"):
        return services.record_release(
            release_system,
            transaction_number=transaction_numbers.next_number(asked_by),
            account_number=account.number,
            release_date=day,
            release_office="0453",
            estimated_vfd=Decimal(vfd),
            mode=mode,
            cargo_control_number="8000X1",
        ).release

    return make

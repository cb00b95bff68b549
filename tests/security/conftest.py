"""Security personas and data on top of the shared and declarations ones: Maple's RM accounts, a
registered surety (Sureco, its person Sam) and another (Bondwell, Bea), RPP checked from 20 May 2025
(tests elsewhere run without it), and helpers to enrol, post a bond and write duties to the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.demo import ensure_person
from businesses.models import Business
from ledger.models import EntryType
from ledger.posting import post_entry
from rights import OfficerRole
from security import services
from security.models import Enrolment, ProviderMember, RppStatus, SuretyProvider
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import (  # noqa: F401 (fixtures)
    api,
    bob,
    brenda,
    broker,
    interest_rate,
    northern,
    on_day,
    relate,
    tidewater,
    tina,
)

D = dt.date
RM1, RM2 = "123456782RM0001", "123456782RM0002"
MAY_1 = D(2025, 5, 1)


@pytest.fixture(autouse=True)
def _rpp_checked(settings):
    settings.CARM_RPP_SECURITY_FROM = D(2025, 5, 20)


@pytest.fixture
def rm0002(maple):
    return maple.program_accounts.get(number=RM2)


@pytest.fixture
def ravi(db):
    """A revenue officer (MANAGE_SECURITY)."""
    return ensure_person("ravi@cbsa.example", "Ravi Officer", officer_roles=[OfficerRole.REVENUE])


def _provider(bn9, name, email, person):
    business, _ = Business.objects.get_or_create(
        bn9=bn9,
        defaults={
            "legal_name": name,
            "address_line": "1 Main",
            "city": "Ottawa",
            "province": "ON",
            "postal_code": "K1A0B1",
        },
    )
    provider = SuretyProvider.objects.create(business=business, name=name)
    ProviderMember.objects.create(provider=provider, user=ensure_person(email, person))
    return provider


@pytest.fixture
def sureco(db):
    return _provider("111111118", "Sureco Insurance", "sam@sureco.example", "Sam Surety")


@pytest.fixture
def bondwell(db):
    return _provider("222222226", "Bondwell Surety", "bea@bondwell.example", "Bea Bond")


@pytest.fixture
def sam(sureco):
    return sureco.members.get().user


@pytest.fixture
def bea(bondwell):
    return bondwell.members.get().user


def enrol(account, day=MAY_1):
    Enrolment.objects.create(program_account=account, status=RppStatus.ENROLLED, effective_from=day, reason="test")


def duties(account, day, amount, number="X"):
    """An assessment of `amount` dated `day` on the ledger (a CAD's duties and taxes)."""
    return post_entry(
        account,
        EntryType.ASSESSMENT,
        Decimal(amount),
        effective_date=day,
        source_key=f"T:{number}:{day}:{amount}",
        transaction_number=number,
    )


def secured(account, alice, sam, sureco, amount="50000.00", day=MAY_1):
    """Enrolled from `day`, its requirement calculated then, and a bond of `amount` allocated to it."""
    enrol(account, day)
    services.calculate(account, today=day)
    services.nominate(alice, account.business, sureco)
    return services.post_bond(
        sam,
        account.business,
        number=f"B-{account.number}",
        amount=amount,
        valid_from=day,
        allocations=[(account, amount)],
    )

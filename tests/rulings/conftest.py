"""Rulings personas and data on top of the shared ones: Maple (alice, rita), Northern's broker staff
(bob, brenda), the estimator's small tariff (water 2201.90.00.00, wine 2204.21.10.00), two officers
(olivia, oscar), and `filed(...)`: a complete draft or a filed request."""

import datetime as dt

import pytest

from accounts.demo import ensure_person
from rights import OfficerRole
from rulings import services
from tests.assessment.test_estimate_fixtures import WATER, WINE, tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import broker, on_day  # noqa: F401 (fixtures)
from tests.delegation.conftest import api, bob, brenda, northern, relate, tidewater, tina  # noqa: F401 (fixtures)

FILED = dt.date(2026, 1, 5)

ANSWERS = {
    "under_verification": False,
    "other_ruling": False,
    "imported_before": True,
    "consents_to_publication": True,
    "capacity": "importer",
    "contact_name": "Alice Tremblay",
    "contact_email": "alice@maple.example",
    "contact_phone": "613-555-0101",
    "trade_names": "Source Boréale",
    "description": "Source Boréale spring water from Maple Leaf Imports Inc., still, in 500 mL PET bottles",
    "composition": "Natural spring water, no additives",
    "manufacturing_process": "Drawn from the spring, filtered, bottled at source",
    "use": "Drinking water sold in grocery stores",
    "proposed_classification": WATER,
    "proposed_reasons": "Heading 22.01 covers waters not containing added sugar; GIR 1 and 6.",
    "offices": ["0453", "0497"],
}


@pytest.fixture
def oscar(db):
    return ensure_person("oscar@cbsa.example", "Oscar Pelletier", officer_roles=[OfficerRole.TRADE])


@pytest.fixture
def draft(alice, rm0001, tariff_rows):  # noqa: F811 (fixtures)
    """draft(**changes) → a draft by alice in RM0001 with every answer given (changes override)."""

    def make(who=None, kind="classification", **changes):
        ruling = services.new_draft(who or alice, rm0001, kind)
        services.update_draft(who or alice, ruling, {**ANSWERS, **changes})
        return ruling

    return make


@pytest.fixture
def filed(draft, alice, olivia):
    """filed(**changes) → a request submitted on FILED and assigned to olivia."""

    def make(**changes):
        ruling = services.submit(alice, draft(**changes), today=FILED)
        return services.transition(olivia, ruling, services.Event.ASSIGNED, today=FILED)

    return make

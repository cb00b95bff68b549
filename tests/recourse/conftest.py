"""Recourse fixtures: penalties' (the shared personas, the declarations' small tariff, CAD payloads,
`on_day`, officers of each role) and security's surety."""

from tests.penalties.conftest import (  # noqa: F401 (fixtures)
    api,
    bob,
    brenda,
    broker,
    interest_rate,
    northern,
    officer,
    on_day,
    recourse_officer,
    relate,
    revenue_officer,
    tariff_rows,
    tidewater,
    tina,
    usd_rates,
)
from tests.security.conftest import sam, sureco  # noqa: F401 (fixtures)

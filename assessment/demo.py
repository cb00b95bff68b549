"""Demo data of the assessment app: the shipped Bank of Canada rates (seed_demo runs `seed`).
Rows already loaded are skipped by the database, so a second run is quick."""

from pathlib import Path

from django.conf import settings

from . import exchange

RATES = Path(settings.BASE_DIR) / "data" / "boc-exchange-rates" / "boc_fx_daily_2017_2025.csv"


def seed(stdout=None):
    count = exchange.load(RATES)
    if stdout is not None:
        stdout.write(f"  {count} Bank of Canada exchange rates")

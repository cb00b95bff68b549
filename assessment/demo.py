"""Demo data of the assessment app: the shipped Bank of Canada rates (seed_demo runs `seed`), and
demo-only rates from the last shipped day to today, so that a foreign-currency CAD dated today can
be filed on a machine without network (marked DEMO on the page and in the assessment's why; the
Bank of Canada feed replaces them when it runs). Rows already loaded are skipped, so a second run
is quick."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import exchange

RATES = Path(settings.BASE_DIR) / "data" / "boc-exchange-rates" / "boc_fx_daily_2017_2025.csv"


def seed(stdout=None):
    count = exchange.load(RATES)
    demo = exchange.seed_demo_rates(timezone.localdate())
    if stdout is not None:
        stdout.write(f"  {count} Bank of Canada exchange rates, {demo} demo-only rates up to today")

"""Demo: Maple's goods released in the last days and not yet accounted for, placed around the day
the demo is loaded (issue #17 item 2), recorded by the release system's service account under the
transaction number of whoever asked for the release: one asked by its broker Northern nine days ago,
past its five-business-day deadline; one by Maple two days ago, due within days; one of low value by
Northern today, due the 24th of next month. Safe to run again: a second run finds them by their cargo
control numbers."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from businesses.models import Business
from declarations import transaction_numbers

from . import services
from .models import Release

CARGO = "8000DEMOREL"  # the demo's cargo control numbers start so
RELEASE_SYSTEM = "release-system@cbsa.example"
# (days before today, BN9 of the business that asked for the release, estimated value for duty)
STORY = [(9, "123026635", "12840.00"), (2, "123456782", "8575.50"), (0, "123026635", "2150.00")]


def seed(stdout=None):
    system = User.objects.filter(email=RELEASE_SYSTEM).first()
    asking = {business.bn9: business for business in Business.objects.filter(bn9__in={bn9 for _, bn9, _ in STORY})}
    if system is None or len(asking) < 2 or Release.objects.filter(cargo_control_number__startswith=CARGO).exists():
        return
    today = timezone.localdate()
    for n, (days, bn9, vfd) in enumerate(STORY, start=1):
        services.record_release(
            system,
            transaction_number=transaction_numbers.next_number(asking[bn9]),  # as the asker's software numbers it
            account_number="123456782RM0001",
            release_date=today - dt.timedelta(days=days),
            release_office="0453",
            estimated_vfd=Decimal(vfd),
            cargo_control_number=f"{CARGO}{n}",
        )
    if stdout:
        stdout.write(f"  {len(STORY)} releases awaiting accounting around {today.isoformat()}")

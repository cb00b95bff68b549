"""Demo: Maple's goods released in the last days and not yet accounted for, placed around the day
the demo is loaded (issue #17 item 2): one released by its broker Northern (bob) nine days ago, past
its five-business-day deadline; one released to Maple (alice) two days ago, due within days; one of
low value released today by Northern, due the 24th of next month. Safe to run again: a second run
finds them by their cargo control numbers."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from businesses.models import ProgramAccount

from . import services
from .models import Release

CARGO = "8000DEMOREL"  # the demo's cargo control numbers start so
# (days before today, released to, estimated value for duty)
STORY = [
    (9, "bob@northern.example", "12840.00"),
    (2, "alice@maple.example", "8575.50"),
    (0, "bob@northern.example", "2150.00"),
]


def seed(stdout=None):
    account = ProgramAccount.objects.filter(number="123456782RM0001").first()
    people = {user.email: user for user in User.objects.filter(email__in={email for _, email, _ in STORY})}
    if account is None or len(people) < 2 or Release.objects.filter(cargo_control_number__startswith=CARGO).exists():
        return
    today = timezone.localdate()
    for n, (days, email, vfd) in enumerate(STORY, start=1):
        services.record_release(
            people[email],
            account,
            release_date=today - dt.timedelta(days=days),
            release_office="0453",
            estimated_vfd=Decimal(vfd),
            cargo_control_number=f"{CARGO}{n}",
        )
    if stdout:
        stdout.write(f"  {len(STORY)} releases awaiting accounting around {today.isoformat()}")

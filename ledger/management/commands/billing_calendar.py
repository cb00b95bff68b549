import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from ledger.billing_cycle import UncoveredDateError
from ledger.services import billing_dates


class Command(BaseCommand):
    help = "Print, as JSON, the billing period, statement date, payment due date and CAD due date for a release date."

    def add_arguments(self, parser):
        parser.add_argument("--release-date", required=True, help="YYYY-MM-DD")

    def handle(self, *args, release_date, **options):
        try:
            day = dt.date.fromisoformat(release_date)
        except ValueError:
            raise CommandError(f"--release-date must be a date as YYYY-MM-DD, not {release_date!r}") from None
        try:
            dates = billing_dates(day)
        except UncoveredDateError as error:
            raise CommandError(f"{error}: add that year's holidays in the admin (Ledger → Holidays)") from None
        self.stdout.write(json.dumps(dates.as_dict(), indent=2))

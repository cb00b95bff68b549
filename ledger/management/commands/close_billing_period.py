import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ledger.statements import close_period


class Command(BaseCommand):
    help = "Issue the statements of account of a billing period (safe to run again: closed accounts are skipped)."

    def add_arguments(self, parser):
        parser.add_argument("--period-end", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD, a 17th")
        parser.add_argument("--reissue", action="store_true", help="issue a new version for accounts already closed")

    def handle(self, *args, period_end, reissue, **options):
        try:
            issued = close_period(period_end, reissue=reissue)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(issued)} statements issued for the period ending {period_end}")

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from ledger.interest import add_quarter


class Command(BaseCommand):
    help = (
        "Add a calendar quarter's prescribed interest rate for customs purposes as CBSA published it "
        "(% a year, 4 decimals), with where it was published. A quarter already loaded is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("rate", help="% a year as published, e.g. 1.1583")
        parser.add_argument("--source", required=True, help="the Customs Notice or CBSA message that published it")

    def handle(self, *args, year, quarter, rate, source, **options):
        try:
            rate = Decimal(rate)
            row = add_quarter(dt.date(year, 3 * quarter - 2, 1), rate, source)
        except (InvalidOperation, ValueError) as error:
            raise CommandError(f"{rate}: {error}" if str(error) else f"{rate} is not a rate") from error
        self.stdout.write(f"{row.effective_from} to {row.effective_to}: prescribed {row.prescribed_rate} %")

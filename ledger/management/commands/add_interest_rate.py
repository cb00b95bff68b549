import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from ledger.interest import add_quarter, auction_month, rate_from_auctions


class Command(BaseCommand):
    help = (
        "Add a calendar quarter's prescribed interest rate for customs purposes: as CBSA published it "
        "(% a year, 4 decimals), or computed from the average yields of the 3-month Treasury Bill auctions "
        "of the first month of the preceding quarter (--auction-yields), with where it was published. "
        "A quarter already loaded is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("rate", nargs="?", help="% a year as published, e.g. 1.1583")
        parser.add_argument(
            "--auction-yields",
            nargs="+",
            metavar="YIELD",
            help="instead of a rate: each auction's average yield, % a year (SOR/86-1121)",
        )
        parser.add_argument("--source", required=True, help="the CBSA message, or the auction results, it comes from")

    def handle(self, *args, year, quarter, rate, auction_yields, source, **options):
        first_day = dt.date(year, 3 * quarter - 2, 1)
        if (rate is None) == (auction_yields is None):
            raise CommandError("give either the published rate or --auction-yields, not both")
        try:
            if auction_yields:
                rate = rate_from_auctions([Decimal(value) for value in auction_yields])
                month = auction_month(first_day)
                source = f"{source}; SOR/86-1121: mean of the auctions of {month:%Y-%m} ({', '.join(auction_yields)})"
            else:
                rate = Decimal(rate)
            row = add_quarter(first_day, rate, source)
        except (InvalidOperation, ValueError) as error:
            raise CommandError(f"{rate}: {error}" if str(error) else f"{rate} is not a rate") from error
        self.stdout.write(f"{row.effective_from} to {row.effective_to}: prescribed {row.prescribed_rate} %")

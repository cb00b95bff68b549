from django.core.management.base import BaseCommand, CommandError

from ledger.balances import balances
from ledger.models import LedgerAccount


class Command(BaseCommand):
    help = "Verify each account's running balance against the sum of its entries."

    def handle(self, *args, **options):
        ledgers = LedgerAccount.objects.select_related("program_account")
        sums = balances(ledgers.values("program_account"))
        wrong = [
            f"{ledger.program_account.number}: running {ledger.balance}, entries {sums[ledger.program_account_id]}"
            for ledger in ledgers
            if ledger.balance != sums[ledger.program_account_id]
        ]
        if wrong:
            raise CommandError("running balances differ from the entries:\n" + "\n".join(wrong))
        self.stdout.write(f"{ledgers.count()} accounts balance")

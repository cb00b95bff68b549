"""The ledger demo data loads, balances, and loading it again changes nothing."""

from django.core.management import call_command

from ledger import demo
from ledger.models import LedgerEntry, Statement


def test_the_demo_history_is_idempotent_and_balances(maple):
    demo.seed()
    counts = LedgerEntry.objects.count(), Statement.objects.count()
    demo.seed()
    assert (LedgerEntry.objects.count(), Statement.objects.count()) == counts
    assert counts[0] > 20 and counts[1] >= 6
    call_command("check_ledger")

"""The payments demo loads after the ledger's, and loading it again changes nothing."""

from django.core.management import call_command

from ledger import demo as ledger_demo
from payments import demo
from payments.models import PadAgreement, Payment


def test_the_demo_is_idempotent(maple):
    ledger_demo.seed()
    demo.seed()
    demo.seed()
    assert PadAgreement.objects.count() == 1
    assert Payment.objects.get().status == "completed"
    call_command("check_ledger")

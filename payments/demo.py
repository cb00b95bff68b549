"""Demo payments: a PAD agreement on Maple's RM0001 (accepted by Alice, its BAM) and a bank bill payment
to RM0002 that arrived in a remittance file. Idempotent: the agreement and the bank reference are looked up first."""

from django.utils import timezone

from accounts.models import User
from businesses.models import ProgramAccount

from . import services
from .models import PadAgreement, Payment
from .remittance import import_remittance


def seed(stdout=None):
    alice = User.objects.filter(email="alice@maple.example").first()
    accounts = {a.number: a for a in ProgramAccount.objects.filter(number__in=["123456782RM0001", "123456782RM0002"])}
    if alice is None or len(accounts) < 2:
        return
    if not PadAgreement.objects.filter(program_account=accounts["123456782RM0001"]).exists():
        details = {"holder_name": "Maple Leaf Imports Inc.", "institution": "001", "transit": "00011"}
        details |= {"account_number": "1234567", "text_version": services.current_agreement_text().version}
        services.set_up_agreement(alice, accounts["123456782RM0001"], details)
    if not Payment.objects.filter(external_reference="DEMO-BNK-0001").exists():
        day = timezone.localdate().isoformat()
        content = f"bn15,amount,payment_date,reference,method\n123456782RM0002,1500.00,{day},DEMO-BNK-0001,bank\n"
        import_remittance(content.encode(), "demo-remittance.csv")
    if stdout:
        stdout.write("  payments: a PAD agreement (RM0001) and a bank bill payment (RM0002)")

from django.apps import AppConfig

import rights


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        from .models import PadAgreement, Payment, PaymentLine

        rights.register_path(PaymentLine, "program_account")
        rights.register_path(PadAgreement, "program_account")
        # A payment is a record of the business that made it, on the accounts of its lines: the
        # importer's visibility rules apply to providers as for CADs.
        rights.register_records(Payment, "lines__program_account")

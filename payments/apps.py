from django.apps import AppConfig
from django.db import models

import rights


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        from .models import PadAgreement, Payment, PaymentLine

        def payments_rule(actor, action):
            """Payments with a line on a program account `actor` may do `action` on."""
            lines = rights.restrict(PaymentLine.objects.all(), actor, action)
            return models.Q(pk__in=lines.values("payment"))

        rights.register_path(PaymentLine, "program_account")
        rights.register_path(PadAgreement, "program_account")
        rights.register_rows(Payment, payments_rule)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class PenaltiesConfig(AppConfig):
    name = "penalties"
    verbose_name = _("Penalties")

    def ready(self):
        """Notices are rows of an importer's account (its visibility rules apply); the ledger's
        nightly C336 reads its amount from the catalogue (a hook: the ledger is below this app)."""
        from ledger.interest import register_late_payment_amount

        from . import services
        from .models import PenaltyNotice

        rights.register_records(PenaltyNotice)
        register_late_payment_amount(services.late_payment_amount)

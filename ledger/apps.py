from django.apps import AppConfig

import rights
from businesses import affinity


class LedgerConfig(AppConfig):
    name = "ledger"

    def ready(self):
        from . import history
        from .models import DailyNotice, LedgerEntry, RefundRequest, Statement

        rights.register_records(LedgerEntry)  # a provider sees the categories the importer ticked
        for model in (Statement, DailyNotice, RefundRequest):
            rights.register_path(model, "program_account")
        affinity.register_history(history.ledger_history)

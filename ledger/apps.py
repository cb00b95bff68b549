from django.apps import AppConfig

import rights
from businesses import affinity


class LedgerConfig(AppConfig):
    name = "ledger"

    def ready(self):
        from . import history
        from .models import DailyNotice, LedgerEntry, RefundRequest, Statement, documents_rule

        rights.register_records(LedgerEntry)  # a provider sees the categories the importer ticked
        rights.register_path(RefundRequest, "program_account")
        for model in (Statement, DailyNotice):  # totals of every record: not for a limited provider
            rights.register_rows(model, documents_rule)
        affinity.register_history(history.ledger_history)

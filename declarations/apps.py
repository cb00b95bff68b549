from django.apps import AppConfig
from django.db.models.signals import post_migrate

import rights


class DeclarationsConfig(AppConfig):
    name = "declarations"

    def ready(self):
        from assessment.exchange import register_currency_list

        from . import codes
        from .models import Declaration

        rights.register_records(Declaration)  # a provider sees the categories the importer ticked
        register_currency_list(lambda code: codes.entry("currencies", code) is not None)
        # The code lists follow their CSVs after every migrate (and a test database's flush): an edited
        # CSV needs no data migration.
        post_migrate.connect(codes.sync_after_migrate, sender=self, dispatch_uid="declarations-code-lists")

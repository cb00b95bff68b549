from django.apps import AppConfig

import rights


class DeclarationsConfig(AppConfig):
    name = "declarations"

    def ready(self):
        from assessment.exchange import register_currency_list

        from . import codes
        from .models import Declaration

        rights.register_records(Declaration)  # a provider sees the categories the importer ticked
        register_currency_list(lambda code: codes.entry("currencies", code) is not None)

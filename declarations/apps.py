from django.apps import AppConfig

import rights


class DeclarationsConfig(AppConfig):
    name = "declarations"

    def ready(self):
        from .models import Declaration

        rights.register_records(Declaration)  # a provider sees the categories the importer ticked

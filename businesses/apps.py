from django.apps import AppConfig

import rights


class BusinessesConfig(AppConfig):
    name = "businesses"

    def ready(self):
        from .models import Business, ProgramAccount

        rights.register_owners(Business, ProgramAccount)

from django.apps import AppConfig


class DelegationConfig(AppConfig):
    name = "delegation"

    def ready(self):
        from . import rights  # relationships: where service providers' rights come from

        rights.register()

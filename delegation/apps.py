from django.apps import AppConfig


class DelegationConfig(AppConfig):
    name = "delegation"

    def ready(self):
        from . import relationships  # where service providers' rights come from

        relationships.register()

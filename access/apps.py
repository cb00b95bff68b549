from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"

    def ready(self):
        from . import permissions  # noqa: F401  (the access.<action> rules)

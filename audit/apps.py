from django.apps import AppConfig

import rights


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self):
        from . import signals  # noqa: F401  (sign-in and MFA events)
        from .services import record

        rights.register_recorder(record)  # every refused attempt is audited

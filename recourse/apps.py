from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class RecourseConfig(AppConfig):
    name = "recourse"
    verbose_name = _("Appeals and compliance")

    def ready(self):
        """Statements of adjustment and requests are rows of an importer's account; security for
        appeals is not withdrawn while an open request relies on it."""
        from security import services as security

        from .models import Appeal, StatementOfAdjustment
        from .services import security_relied_on

        rights.register_records(StatementOfAdjustment)
        rights.register_records(Appeal)
        security.register_commitments(security_relied_on)

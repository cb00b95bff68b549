from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class RecourseConfig(AppConfig):
    name = "recourse"
    verbose_name = _("Appeals and compliance")

    def ready(self):
        """Statements of adjustment and requests are rows of an importer's account."""
        from .models import Appeal, StatementOfAdjustment

        rights.register_records(StatementOfAdjustment)
        rights.register_records(Appeal)

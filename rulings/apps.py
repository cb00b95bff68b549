from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class RulingsConfig(AppConfig):
    name = "rulings"
    verbose_name = _("Rulings")

    def ready(self):
        """Published rulings vouch for their code in the classification tool, and a CAD line that
        contradicts a ruling the importer holds is flagged: hooks, so neither app imports this one."""
        from declarations.validation import register_warnings
        from tariff.services import register_evidence

        from . import checks, services
        from .models import RulingRequest

        rights.register_records(RulingRequest)  # filed in an importer's account: its visibility rules apply
        register_evidence(services.evidence_for)
        register_warnings(checks.cad_warnings)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Release prior to payment and financial security")

    def ready(self):
        """Security rows belong to program accounts (a bond to its importer); an RPP CAD is refused by
        declarations without enrolment and sufficient security; deposits are paid through payments; the
        usage of each account's security is watched on the audit trail: hooks (security.checks), so no
        lower app imports this one."""
        from declarations.validation import register_acceptance

        from . import checks
        from .models import Bond, CashDeposit, Enrolment, ModificationRequest, Requirement

        for model in (Enrolment, Requirement, CashDeposit, ModificationRequest):
            rights.register_path(model, "program_account")
        rights.register_rows(Bond, checks.bond_rule)
        register_acceptance(checks.rpp_acceptance)
        checks.connect()

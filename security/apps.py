from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

import rights


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Release prior to payment and financial security")

    def ready(self):
        """Security rows belong to program accounts (a bond to its importer); an RPP CAD is refused by
        declarations without enrolment and sufficient security: a hook, so declarations never imports this app."""
        from audit.services import recorded
        from declarations.validation import register_acceptance
        from payments.services import register_purpose

        from . import checks, services
        from .models import Bond, CashDeposit, Enrolment, ModificationRequest, Requirement

        for model in (Enrolment, Requirement, CashDeposit, ModificationRequest):
            rights.register_path(model, "program_account")
        rights.register_rows(Bond, checks.bond_rule)
        register_acceptance(checks.rpp_acceptance)
        recorded.connect(checks.usage_moved, dispatch_uid="security.usage")
        register_purpose(
            services.DEPOSIT_PURPOSE, paid=services.deposit_line_paid, returned=services.deposit_line_returned
        )

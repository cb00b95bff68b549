from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from registry.bn import AccountType, Program
from rights import RestrictedQuerySet


class Business(models.Model):
    """A legal entity registered in the portal, identified by its BN9."""

    class Kind(models.TextChoices):
        IMPORTER = "importer", _("Importer")
        CUSTOMS_BROKER = "customs_broker", _("Customs broker")
        TRADE_CONSULTANT = "trade_consultant", _("Trade consultant")

    bn9 = models.CharField(_("business number"), max_length=9, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    operating_name = models.CharField(_("operating name"), max_length=200, blank=True)
    address_line = models.CharField(_("address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province or territory"), max_length=2)
    postal_code = models.CharField(_("postal code"), max_length=7)
    # The delegation issue needs to know which businesses offer customs services.
    kind = models.CharField(_("kind of business"), max_length=20, choices=Kind.choices, default=Kind.IMPORTER)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self):
        return f"{self.legal_name} ({self.bn9})"

    @property
    def address(self) -> str:
        return f"{self.address_line}, {self.city} {self.province} {self.postal_code}"


class ProgramAccount(models.Model):
    """A customs program account (BN15, RM) of a business, copied from the registry at registration."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="program_accounts")
    number = models.CharField(_("program account number"), max_length=15, unique=True)
    program = models.CharField(_("program"), max_length=2, choices=Program.choices, default=Program.IMPORT_EXPORT)
    account_type = models.CharField(_("account type"), max_length=8, choices=AccountType.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("program account")
        verbose_name_plural = _("program accounts")

    def __str__(self):
        return self.number


class TermsVersion(models.Model):
    """The terms and conditions a registrant accepts; each change is a new version."""

    version = models.CharField(max_length=20, unique=True)
    published_at = models.DateTimeField()
    text_en = models.TextField()
    text_fr = models.TextField()

    def __str__(self):
        return self.version

    @property
    def text(self) -> str:
        return self.text_fr if translation.get_language() == "fr" else self.text_en


class TermsAcceptance(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="terms_acceptances")
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="terms_acceptances")
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT)
    accepted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} accepted {self.terms} for {self.business.bn9}"


class RegistrationAttempt(models.Model):
    """One answer to the identity or affinity questions for a BN (the lockout counts failures)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bn9 = models.CharField(max_length=9)
    step = models.CharField(max_length=10)  # identity / affinity
    succeeded = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "bn9", "at"])]

    def __str__(self):
        return f"{self.bn9} {self.step} {'passed' if self.succeeded else 'failed'}"


class AccountingProgram(models.TextChoices):
    """The accounting program of an RM account (values: ledger.billing_cycle.AccountingProgram)."""

    REGULAR = "regular", _("Regular (release prior to payment, 18th–17th billing period)")
    CLVS = "clvs", _("Courier Low Value Shipment program (CLVS)")
    CONTINUOUS = "continuous", _("Continuous-transmission commodities")
    CSA = "csa", _("Customs Self-Assessment (CSA)")


class CsaPeriod(models.TextChoices):
    """The accounting period a CSA importer chose (SOR/86-1062 s.10.3(1); values: ledger.billing_cycle.CsaPeriod)."""

    MONTH = "month", _("Calendar month (first to last day), due the 10th weekday after the 17th of the next month")
    CYCLE = "cycle", _("18th to 17th of the next month, due the 10th weekday after the 17th")


class AccountProgramRecord(models.Model):
    """The accounting program of an RM account from `effective_from` on: one row per change, never
    edited, so the program on any past day can be read back (the history). An account without a row
    is in the regular program (businesses.account_programs.DEFAULT). Its RPP enrolment is security's
    (security.Enrolment: account_programs.rpp_enrolled)."""

    program_account = models.ForeignKey(ProgramAccount, on_delete=models.PROTECT, related_name="program_history")
    effective_from = models.DateField(_("effective from"))
    accounting_program = models.CharField(
        _("accounting program"), max_length=10, choices=AccountingProgram.choices, default=AccountingProgram.REGULAR
    )
    csa_period = models.CharField(
        _("CSA accounting period"),
        max_length=5,
        choices=CsaPeriod.choices,
        default=CsaPeriod.MONTH,
        help_text=_("The period a CSA importer chose (SOR/86-1062 s.10.3(1)); other programs ignore it."),
    )
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["program_account", "-effective_from"]
        verbose_name = _("accounting program of an account")
        verbose_name_plural = _("accounting programs of accounts")
        constraints = [
            models.UniqueConstraint(fields=["program_account", "effective_from"], name="account_program_one_per_day")
        ]

    def __str__(self):
        return f"{self.program_account.number} {self.effective_from} {self.accounting_program}"

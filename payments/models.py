"""Payments: what was paid, how, for which program accounts, and what it became in the ledger.

A payment is committed before the gateway is called (so a crash leaves a trace the reconciler can
resolve by its reference) and its ledger credits are posted in the same database transaction as
its move to COMPLETED. Card details are never stored: only the gateway's token, the brand, the last
four digits and the expiry."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import Table
from rights import RestrictedQuerySet


class Method(models.TextChoices):
    CARD = "card", _("Credit card")
    PAD = "pad", _("Pre-authorized debit")
    BANK = "bank", _("Online banking bill payment")
    WIRE = "wire", _("Wire transfer")
    CHEQUE = "cheque", _("Cheque at a bank")


class Status(models.TextChoices):
    INITIATED = "initiated", _("Being processed")
    PENDING = "pending", _("Pending: awaiting the payment processor")
    REQUIRES_ACTION = "requires_action", _("Awaiting 3-D Secure authentication")
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    SETTLED = "settled", _("Settled")
    RETURNED = "returned", _("Returned (insufficient funds)")
    DECLINED = "declined", _("Declined")
    FAILED = "failed", _("Failed: not charged")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses whose outcome is not known yet: the reconciliation task looks at them.
UNRESOLVED = [Status.INITIATED, Status.PENDING]
# Statuses that carry ledger credits.
POSTED = [Status.COMPLETED, Status.SETTLED]

# A card payment waiting for its answer may be recorded again as waiting (a retry that timed out too).
_CARD_OUTCOMES = {Status.PENDING, Status.REQUIRES_ACTION, Status.DECLINED, Status.COMPLETED, Status.FAILED}
TRANSITIONS = Table(
    Status,
    {
        Status.INITIATED: _CARD_OUTCOMES,
        Status.PENDING: _CARD_OUTCOMES,
        Status.REQUIRES_ACTION: _CARD_OUTCOMES,
        Status.SCHEDULED: {Status.COMPLETED, Status.CANCELLED},
        Status.COMPLETED: {Status.SETTLED, Status.RETURNED},  # a PAD debit: the bank's answer
    },
)


class Payment(models.Model):
    reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INITIATED)
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=2)
    # Who asked for it and with which key: the same key from the same person is the same payment.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of what was asked, to spot a reused key")
    channel = models.CharField(max_length=10, default="web")
    # The business that made it: a service provider paying for its client, else the importer (None:
    # the importer or CBSA, e.g. a remittance). The client's visibility rules apply to it as to a CAD.
    submitted_by_business = models.ForeignKey(
        "businesses.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Card: the gateway's token and what may be shown; never the number or the CVV.
    card_token = models.CharField(max_length=100, blank=True)
    card_brand = models.CharField(_("card"), max_length=20, blank=True)
    card_last4 = models.CharField(_("last 4 digits"), max_length=4, blank=True)
    card_expiry = models.CharField(_("expiry"), max_length=7, blank=True)
    gateway_charge = models.CharField(max_length=100, blank=True)
    # PAD: the agreement debited and the date chosen.
    pad_agreement = models.ForeignKey(
        "PadAgreement", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    scheduled_for = models.DateField(_("debit date"), null=True, blank=True)
    # Remittance: the bank's reference of the line imported.
    remittance_import = models.ForeignKey(
        "RemittanceImport", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    external_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    failure_code = models.CharField(max_length=40, blank=True)
    failure_message = models.CharField(max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()  # through its lines: see PaymentsConfig.ready
    transitions = TRANSITIONS

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["requested_by", "idempotency_key"], name="payment_unique_key"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            TRANSITIONS.constraint("payment_status_known"),
            models.UniqueConstraint(
                fields=["external_reference"],
                condition=~models.Q(external_reference=""),
                name="payment_unique_bank_reference",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_status_created")]

    def __str__(self):
        return f"{self.reference} {self.amount} {self.status}"

    @property
    def is_unresolved(self):
        return self.status in UNRESOLVED


class PaymentLine(models.Model):
    """The part of a payment for one program account, and the ledger credit it became."""

    class Kind(models.TextChoices):
        BALANCE = "balance", _("Full balance")
        DUE = "due", _("Amount due")
        TRANSACTIONS = "transactions", _("Chosen transactions")
        AMOUNT = "amount", _("Another amount")
        # Paid into something of an app above payments (a security deposit, issue 19), not the ledger:
        # only services.pay_for makes such a line, never the pay page nor the API.
        DEPOSIT = "deposit", _("Security deposit")

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    program_account = models.ForeignKey("businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("paying"), max_length=12, choices=Kind.choices, default=Kind.AMOUNT)
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=2)
    chosen = models.ManyToManyField("ledger.LedgerEntry", blank=True, related_name="+")
    entry = models.OneToOneField(
        "ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_line"
    )
    return_entry = models.OneToOneField(
        "ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What a DEPOSIT line pays, as the app that asked names it ("security.deposit:12"): services.register_purpose.
    purpose = models.CharField(max_length=40, blank=True)

    objects = RestrictedQuerySet.as_manager()  # rows of their program account: PaymentsConfig.ready

    class Meta:
        ordering = ["program_account__number"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "program_account"], name="payment_line_unique_account"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.payment.reference} {self.program_account_id} {self.amount}"


# What a payer chooses to pay on the pay page and in the API: debts in the ledger.
PAYABLE_KINDS = [(value, label) for value, label in PaymentLine.Kind.choices if value != PaymentLine.Kind.DEPOSIT]


class PadAgreementText(models.Model):
    """A published version of the PAD agreement; a payer accepts one version, kept forever."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    published_on = models.DateField(_("published on"))
    text_en = models.TextField()
    text_fr = models.TextField()

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"PAD agreement v{self.version}"

    def text(self, language: str) -> str:
        return self.text_fr if language.startswith("fr") else self.text_en


class PadAgreement(models.Model):
    """A business's authorization for CBSA to debit a Canadian bank account for one program account."""

    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="pad_agreements"
    )
    holder_name = models.CharField(_("account holder"), max_length=100)
    institution = models.CharField(
        _("institution number"),
        max_length=3,
        validators=[RegexValidator(r"^\d{3}\Z", _("The institution number is 3 digits."), "bad_institution")],
    )
    transit = models.CharField(
        _("transit number"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}\Z", _("The transit number is 5 digits."), "bad_transit")],
    )
    account_number = models.CharField(
        _("account number"),
        max_length=12,
        validators=[RegexValidator(r"^\d{7,12}\Z", _("The account number is 7 to 12 digits."), "bad_account")],
    )
    agreement_text = models.ForeignKey(PadAgreementText, on_delete=models.PROTECT, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("PAD agreement")
        verbose_name_plural = _("PAD agreements")

    def __str__(self):
        return f"{self.program_account_id} {self.institution}-{self.transit} {self.masked_account}"

    @property
    def masked_account(self) -> str:
        return "•" * (len(self.account_number) - 3) + self.account_number[-3:]

    @property
    def is_active(self):
        return self.cancelled_at is None


class RemittanceImport(models.Model):
    """One remittance file imported: its checksum, counts and the errors of its rejected lines."""

    file_name = models.CharField(_("file"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    posted = models.PositiveIntegerField(_("lines posted"), default=0)
    skipped = models.PositiveIntegerField(_("lines already imported"), default=0)
    errors = models.JSONField(_("errors"), default=list)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.file_name} {self.imported_at:%Y-%m-%d %H:%M}"


class SandboxCharge(models.Model):
    """The sandbox gateway's own book of charges (a real gateway keeps this on its side). Written
    outside the portal's transactions, so a portal rollback cannot erase a charge: like a real one."""

    charge_id = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    token = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=15, decimal_places=2)
    status = models.CharField(max_length=20)  # authorized, requires_action, captured, declined, refunded
    decline_code = models.CharField(max_length=40, blank=True)
    refunded = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.charge_id} {self.amount} {self.status}"


def payments_for(who):
    """The payments `who` may see, each with only its lines on accounts `who` may see: a payment that
    also paid a client's other accounts does not show them to a provider limited to some of them."""
    lines = PaymentLine.objects.visible_to(who).select_related("program_account", "entry", "return_entry")
    return Payment.objects.visible_to(who).prefetch_related(models.Prefetch("lines", queryset=lines))

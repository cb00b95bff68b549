"""Release prior to payment (RPP) and the financial security behind it (issue 19).

- `Enrolment`: the RPP sub-program status of an importer RM account, one row per change (history).
- `Requirement`: the security required of an account from a day on, with its working (which month,
  which amount); set at enrolment, by the annual review, or by an officer's approved modification.
- `SuretyProvider` (a registered financial security provider: a business whose people hold the
  provider role, `ProviderMember`) and `ProviderNomination` (an importer naming its provider).
- `Bond` (a written security agreement) and `BondAllocation` (its share for one RM account);
  `CashDeposit`; `ModificationRequest`; `ReviewRun` / `ReviewResult` (the annual review).
- `SecurityEvent`: the history of every change to an instrument, never edited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.append_only import AppendOnlyModel, AppendOnlyQuerySet
from core.transitions import Table
from rights import RestrictedQuerySet

MONEY = {"max_digits": 15, "decimal_places": 2}


class RppStatus(models.TextChoices):
    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    REQUESTED = "requested", _("Enrolment requested")
    ENROLLED = "enrolled", _("Enrolled")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


RPP_MOVES = Table(
    RppStatus,
    {
        RppStatus.NOT_ENROLLED: {RppStatus.REQUESTED, RppStatus.ENROLLED},
        RppStatus.REQUESTED: {RppStatus.ENROLLED, RppStatus.NOT_ENROLLED},
        RppStatus.ENROLLED: {RppStatus.SUSPENDED, RppStatus.ENDED},
        RppStatus.SUSPENDED: {RppStatus.ENROLLED, RppStatus.ENDED},
        RppStatus.ENDED: {RppStatus.REQUESTED, RppStatus.ENROLLED},
    },
)


class AppendOnlyRestricted(AppendOnlyQuerySet, RestrictedQuerySet):
    pass


class Enrolment(AppendOnlyModel):
    """The account's RPP status from `effective_from` on (the newest row of a day wins)."""

    program_account = models.ForeignKey("businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("RPP status"), max_length=12, choices=RppStatus.choices)
    effective_from = models.DateField(_("effective from"))
    reason = models.CharField(_("reason"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AppendOnlyRestricted.as_manager()

    class Meta:
        ordering = ["program_account", "-effective_from", "-id"]
        constraints = [RPP_MOVES.constraint("security_enrolment_status")]

    def __str__(self):
        return f"{self.program_account_id} {self.status} {self.effective_from}"


class Basis(models.TextChoices):
    CALCULATED = "calculated", _("Calculated from the highest month of the previous 12 months")
    NEW_IMPORTER = "new_importer", _("New importer (no history): the configured estimate")
    REVIEW = "review", _("Annual review")
    MODIFIED = "modified", _("Modified by a CBSA officer on request")


class Requirement(AppendOnlyModel):
    """What an account must post from `effective_from`: a bond of `bond_amount`, or a cash deposit of
    `cash_amount` (security.rules says how each follows from `highest_amount`)."""

    # No index of its own: security_requirement_day begins with it (one index less to write 200,000
    # review rows into).
    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    effective_from = models.DateField(_("effective from"))
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    period_start = models.DateField(_("period from"), null=True)
    period_end = models.DateField(_("period to"), null=True)
    highest_month = models.DateField(_("highest month"), null=True)  # its first day
    highest_amount = models.DecimalField(_("duties and taxes of the highest month"), **MONEY)
    bond_amount = models.DecimalField(_("bond required"), **MONEY)
    cash_amount = models.DecimalField(_("cash deposit required"), **MONEY)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AppendOnlyRestricted.as_manager()

    class Meta:
        ordering = ["program_account", "-effective_from", "-id"]
        indexes = [models.Index(fields=["program_account", "effective_from"], name="security_requirement_day")]

    def __str__(self):
        return f"{self.program_account_id} {self.bond_amount}/{self.cash_amount} from {self.effective_from}"


class SuretyProvider(models.Model):
    """A registered financial security provider (a surety): its people post bonds by API."""

    business = models.OneToOneField("businesses.Business", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    is_registered = models.BooleanField(_("registered with CBSA"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProviderMember(models.Model):
    """The provider role: a person of the provider who may act on its bonds."""

    provider = models.ForeignKey(SuretyProvider, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "user"], name="security_provider_member_once")]

    def __str__(self):
        return f"{self.user} ({self.provider})"


class ProviderNomination(models.Model):
    """An importer names the provider it takes security from; ending it keeps the row."""

    importer = models.ForeignKey("businesses.Business", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(SuretyProvider, on_delete=models.PROTECT, related_name="nominations")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.importer} names {self.provider}"


class SecurityProgram(models.TextChoices):
    """What an instrument secures. BSF259 (the security agreement) names the agency program:
    "Importation [Release Prior to Payment]" or "Importation [Appeals]" (Customs Act s.60(1): a
    request for re-determination once the duties are paid or security is given). Security for an
    appeal does not count toward the RPP requirement, nor RPP security toward an appeal."""

    RPP = "rpp", _("Release prior to payment")
    APPEALS = "appeals", _("Appeals (Customs Act s.60(1))")


class BondStatus(models.TextChoices):
    AWAITING_PROVIDER = "awaiting_provider", _("Awaiting the provider's confirmation")
    AWAITING_OFFICER = "awaiting_officer", _("Paper bond awaiting a CBSA officer")
    ACTIVE = "active", _("In force")
    CANCELLED = "cancelled", _("Cancelled")


class BondChannel(models.TextChoices):
    API = "api", _("Posted by the provider (Bond API)")
    PORTAL = "portal", _("Entered by the importer, confirmed by the provider")
    PAPER = "paper", _("Paper bond recorded by a CBSA officer (exception)")


BOND_MOVES = Table(
    BondStatus,
    {
        BondStatus.AWAITING_PROVIDER: {BondStatus.ACTIVE, BondStatus.CANCELLED},
        BondStatus.AWAITING_OFFICER: {BondStatus.ACTIVE, BondStatus.CANCELLED},
        BondStatus.ACTIVE: {BondStatus.CANCELLED},
    },
)


class Bond(models.Model):
    """A written security agreement (surety bond) of one importer (BN9), allocated across its RM
    accounts. `allocated` is the sum of the allocations, kept by conditional updates so that two
    allocations at once cannot exceed `amount`."""

    transitions = BOND_MOVES

    number = models.CharField(_("bond number"), max_length=40)
    provider = models.ForeignKey(SuretyProvider, on_delete=models.PROTECT, related_name="bonds")
    importer = models.ForeignKey("businesses.Business", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=BondChannel.choices)
    program = models.CharField(_("secures"), max_length=8, choices=SecurityProgram.choices, default=SecurityProgram.RPP)
    status = models.CharField(_("status"), max_length=20, choices=BondStatus.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    allocated = models.DecimalField(_("allocated"), default=0, **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["importer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="security_bond_number_per_provider"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="security_bond_positive"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0, allocated__lte=models.F("amount")), name="security_bond_allocated"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="security_bond_validity",
            ),
            BOND_MOVES.constraint("security_bond_status"),
        ]

    def __str__(self):
        return self.number


class BondAllocation(models.Model):
    """The share of a bond covering one RM account of its importer."""

    bond = models.ForeignKey(Bond, on_delete=models.PROTECT, related_name="allocations")
    program_account = models.ForeignKey("businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bond", "program_account"], name="security_allocation_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="security_allocation_not_negative"),
        ]

    def __str__(self):
        return f"{self.bond} → {self.program_account}: {self.amount}"


class DepositStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    HELD = "held", _("Held as security")
    RELEASED = "released", _("Released")


DEPOSIT_MOVES = Table(
    DepositStatus,
    {
        DepositStatus.AWAITING_PAYMENT: {DepositStatus.HELD},
        # a pre-authorized debit returned NSF: the money never came, the deposit awaits payment again
        DepositStatus.HELD: {DepositStatus.RELEASED, DepositStatus.AWAITING_PAYMENT},
    },
)


class CashDeposit(models.Model):
    """Cash posted as security for one RM account (no interest is paid on it: brief §7)."""

    transitions = DEPOSIT_MOVES

    program_account = models.ForeignKey("businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **MONEY)
    program = models.CharField(_("secures"), max_length=8, choices=SecurityProgram.choices, default=SecurityProgram.RPP)
    status = models.CharField(_("status"), max_length=20, choices=DepositStatus.choices)
    reference = models.CharField(_("payment reference"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="security_deposit_positive"),
            DEPOSIT_MOVES.constraint("security_deposit_status"),
        ]

    def __str__(self):
        return f"{self.program_account} deposit {self.amount}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a CBSA officer")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


REQUEST_MOVES = Table(RequestStatus, {RequestStatus.PENDING: {RequestStatus.APPROVED, RequestStatus.REFUSED}})


class ModificationRequest(models.Model):
    """An importer asks CBSA to modify its calculated requirement, with its rationale."""

    transitions = REQUEST_MOVES

    program_account = models.ForeignKey("businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    proposed_amount = models.DecimalField(_("proposed highest month"), **MONEY)
    rationale = models.TextField(_("rationale"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    due_by = models.DateField(_("decide by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["due_by", "pk"]
        constraints = [REQUEST_MOVES.constraint("security_request_status")]

    def __str__(self):
        return f"{self.program_account} modification {self.status}"


class ReviewRun(models.Model):
    """The annual review of one day: resumable (accounts up to `reached` are done), idempotent."""

    day = models.DateField(_("review day"), unique=True)
    period_start = models.DateField()
    period_end = models.DateField()
    due_by = models.DateField(_("deadline to post the increase"))
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    reached = models.BigIntegerField(default=0)  # the last account id reviewed (by id): a stopped run goes on after it
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"review {self.day}"


class ReviewResult(models.Model):
    run = models.ForeignKey(ReviewRun, on_delete=models.PROTECT, related_name="results")
    program_account = models.ForeignKey("businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+")
    previous_bond = models.DecimalField(**MONEY, null=True)
    bond_amount = models.DecimalField(**MONEY)
    rose = models.BooleanField(default=False)
    suspended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "program_account"], name="security_review_once")]

    def __str__(self):
        return f"{self.run} {self.program_account_id} {self.bond_amount}"


class SecurityEvent(AppendOnlyModel):
    """One change to a bond, an allocation or a deposit: what it was, what it became."""

    kind = models.CharField(max_length=40)
    bond = models.ForeignKey(Bond, null=True, on_delete=models.PROTECT, related_name="events")
    deposit = models.ForeignKey(CashDeposit, null=True, on_delete=models.PROTECT, related_name="events")
    program_account = models.ForeignKey(
        "businesses.ProgramAccount", null=True, on_delete=models.PROTECT, related_name="+"
    )
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.kind} {self.at}"

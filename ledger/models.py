from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from access.grants import works_for
from audit.append_only import (  # noqa: F401  (AppendOnlyError re-exported)
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
)
from businesses.models import ProgramAccount
from delegation.models import Relationship
from delegation.relationships import client_relationships
from rights import Action, RestrictedQuerySet


class Holiday(models.Model):
    """A holiday of the harmonized billing cycle (it defers due dates and CAD deadlines).
    Officers keep the table current in the admin; the federal list for 2024–2027 is loaded by a migration."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    rule = models.CharField(
        _("rule"), max_length=100, blank=True, help_text=_("How the date is set, e.g. first Monday of September")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class EntryType(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")
    INTEREST = "interest", _("Interest")
    PENALTY = "penalty", _("Penalty")
    OFFSET = "offset", _("Offset or transfer")
    REVERSAL = "reversal", _("Reversal")


class LedgerEntryQuerySet(AppendOnlyQuerySet, RestrictedQuerySet):
    """`visible_to`: the entries of the program accounts the rights kernel gives; a service
    provider sees the categories the importer ticked (records, see LedgerConfig.ready)."""


def accounts_with_documents(who, own: bool = False):
    """The program accounts whose account-level documents and figures (statements, daily notices,
    balance, overdue, refundable credit) `who` sees: every account they may view, except a client's
    account reached through a relationship that hides some of its records (the importer's visibility
    rules): a total adds up the hidden records too. One rule for pages, exports and API (README,
    delegation). `own`: through the person's own grants only (rights.held), not an officer's view."""
    accounts = rights.held(ProgramAccount.objects.all(), who) if own else ProgramAccount.objects.visible_to(who)
    user = rights.actor_of(who).user
    if user is None:
        return accounts
    limited = Relationship.objects.in_force().filter(
        Q(scope="business", importer=OuterRef("business")) | Q(program_accounts=OuterRef("pk")),
        pk__in=client_relationships(who).values("pk"),
    )
    limited = limited.exclude(sees_provider_records=True, sees_importer_records=True, sees_other_records=True)
    return accounts.filter(works_for(user, OuterRef("business")) | ~Q(Exists(limited)))


def documents_rule(actor, action):
    """The rights kernel's rule for statements and daily notices (LedgerConfig.ready): read-only
    documents of the accounts above, through the person's own grants (the kernel adds an officer's view)."""
    if action != Action.VIEW:
        return Q(pk=None)
    return Q(program_account__in=accounts_with_documents(actor, own=True).values("pk"))


class DocumentQuerySet(AppendOnlyQuerySet, RestrictedQuerySet):
    """`visible_to`: the rights kernel with documents_rule."""


NIGHT_ENTRIES = (
    models.Q(reverses__isnull=False) | models.Q(reference="C336") | models.Q(source_key__startswith="INTFIX:")
)


class LedgerEntry(AppendOnlyModel):
    """One movement of the Accounts Receivable Ledger of a program account.

    Sign: a debit (the client owes more: assessment, interest, penalty, refund paid out) is
    positive; a credit (payment, offset received, reversal of a debit) is negative. The balance
    is the sum of the amounts: positive means the client owes CBSA."""

    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    entry_type = models.CharField(_("type"), max_length=12, choices=EntryType.choices)
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=2)
    effective_date = models.DateField(_("date"))
    due_date = models.DateField(_("due date"))
    billing_period_end = models.DateField(_("billing period end"))
    # Idempotency: posting the same source document twice returns the first entry.
    source_key = models.CharField(max_length=100)
    transaction_number = models.CharField(_("transaction number"), max_length=20, blank=True, db_index=True)
    document_version = models.CharField(_("version"), max_length=5, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    submitted_by_business = models.ForeignKey(
        "businesses.Business",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals")
    explanation = models.JSONField(default=dict, blank=True)
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = LedgerEntryQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["effective_date", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["program_account", "source_key"], name="ledger_entry_unique_source"),
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_not_zero"),
        ]
        indexes = [
            models.Index(fields=["program_account", "effective_date", "id"], name="ledger_entry_account_date"),
            models.Index(fields=["program_account", "due_date"], name="ledger_entry_account_due"),
            models.Index(fields=["program_account", "posted_at"], name="ledger_entry_account_posted"),
            # The few entries dated a night that the nightly interest counts from the day's start
            # (interest.owed_at_start): reversals, a recalculation's corrections, C336.
            models.Index(fields=["effective_date"], name="ledger_entry_night", condition=NIGHT_ENTRIES),
        ]

    def __str__(self):
        return f"{self.program_account_id} {self.effective_date} {self.entry_type} {self.amount}"

    @property
    def billing_period_start(self):
        from .billing_cycle import billing_period

        return billing_period(self.billing_period_end)[0]


class OffsettingPreference(models.TextChoices):
    """CBSA offers three choices but does not publish their names; ours are [DESIGN]:
    oldest first: credits clear any open debit at once, oldest due date first;
    current statement: credits clear debits on their due date (and anything overdue, oldest first);
    hold: credits clear only overdue debits (the law requires it) and are otherwise held for a refund request."""

    OLDEST_FIRST = "oldest_first", _("Apply to oldest first")
    CURRENT_STATEMENT = "current_statement", _("Apply to current statement only")
    HOLD_FOR_REFUND = "hold_for_refund", _("Hold credit for refund request")


class LedgerAccount(models.Model):
    """Per program account state the ledger maintains beside its entries (not money evidence):
    the running balance (check_ledger verifies it against the entries), the offsetting preference,
    the last closed period, and where the nightly interest run got to."""

    program_account = models.OneToOneField("businesses.ProgramAccount", on_delete=models.PROTECT, related_name="ledger")
    balance = models.DecimalField(_("balance"), max_digits=15, decimal_places=2, default=0)
    offsetting_preference = models.CharField(
        _("offsetting preference"),
        max_length=20,
        choices=OffsettingPreference.choices,
        default=OffsettingPreference.CURRENT_STATEMENT,
    )
    demand_issued_on = models.DateField(
        _("demand issued on"),
        null=True,
        blank=True,
        help_text=_("Recorded for collections; interest runs at the specified rate from the day after the due date."),
    )
    closed_through = models.DateField(null=True, blank=True)
    interest_through = models.DateField(null=True, blank=True)
    # Fractions of a cent of interest not yet posted, so daily rounding never drifts.
    interest_carry = models.DecimalField(max_digits=15, decimal_places=8, default=0)

    def __str__(self):
        return str(self.program_account)


class InterestRate(models.Model):
    """The prescribed rate of a calendar quarter as CBSA publishes it (% a year, 4 decimals:
    "will be 1.1583", CBSA message TCC18-049), from the Interest Rate for Customs Purposes
    Regulations (SOR/86-1121: the T-bill yield of the first month of the preceding quarter).
    A row holds from `effective_from` to `effective_to` (the quarter's last day); without an end it
    holds until the next row. The specified rate is derived, never stored (D11-6-5 para. 2)."""

    effective_from = models.DateField(_("effective from"), unique=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    prescribed_rate = models.DecimalField(_("prescribed rate (% a year)"), max_digits=7, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where CBSA published the rate"))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("interest rate")
        verbose_name_plural = _("interest rates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="ledger_interest_rate_period",
            )
        ]

    def __str__(self):
        return f"{self.effective_from} {self.prescribed_rate}%"


class LedgerRun(models.Model):
    """A day (or billing period end) a scheduled ledger job finished: where its catch-up resumes."""

    class Job(models.TextChoices):
        INTEREST = "interest", _("Interest and late-payment penalties")
        STATEMENTS = "statements", _("Statement close")
        MONTH_STATEMENTS = "months", _("Calendar-month statement close")

    job = models.CharField(max_length=12, choices=Job.choices)
    day = models.DateField()
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="ledger_run_unique")]

    def __str__(self):
        return f"{self.job} {self.day}"


class Allocation(AppendOnlyModel):
    """A credit clearing (part of) a debit on a day: what offsetting did."""

    credit = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="allocations_from")
    debit = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="allocations_to")
    amount = models.DecimalField(max_digits=15, decimal_places=2)
    cleared_on = models.DateField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="ledger_allocation_positive")]

    def __str__(self):
        return f"{self.cleared_on} {self.credit_id} → {self.debit_id} {self.amount}"


class Statement(AppendOnlyModel):
    """A statement of account: issued once, immutable; a reissue is a new version."""

    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="statements"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    statement_date = models.DateField(_("statement date"))
    due_date = models.DateField(_("payment due date"))
    opening_balance = models.DecimalField(_("opening balance"), max_digits=15, decimal_places=2)
    closing_balance = models.DecimalField(_("closing balance"), max_digits=15, decimal_places=2)
    amount_due = models.DecimalField(_("amount due"), max_digits=15, decimal_places=2)
    overdue = models.DecimalField(_("overdue"), max_digits=15, decimal_places=2)
    content = models.JSONField()
    checksum = models.CharField(_("SHA-256"), max_length=64)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-period_end", "-version"]
        verbose_name = _("statement of account")
        verbose_name_plural = _("statements of account")
        constraints = [
            models.UniqueConstraint(fields=["program_account", "period_end", "version"], name="ledger_statement_unique")
        ]

    def __str__(self):
        return f"{self.program_account_id} {self.period_end} v{self.version}"


class DailyNotice(AppendOnlyModel):
    """The transactions posted on a day to a program account (made only when there were some)."""

    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="daily_notices"
    )
    day = models.DateField(_("day"))
    entry_count = models.PositiveIntegerField(_("transactions"))
    total = models.DecimalField(_("total"), max_digits=15, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-day"]
        verbose_name = _("daily notice")
        verbose_name_plural = _("daily notices")
        constraints = [models.UniqueConstraint(fields=["program_account", "day"], name="ledger_notice_unique")]

    def __str__(self):
        return f"{self.program_account_id} {self.day}"


class RefundRequest(models.Model):
    """A client's request to be paid a credit back; an officer approves or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="refund_requests"
    )
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    entry = models.OneToOneField(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("refund request")
        verbose_name_plural = _("refund requests")

    def __str__(self):
        return f"{self.program_account_id} {self.amount} {self.status}"

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import Table
from rights import RestrictedQuerySet

MONEY = {"max_digits": 15, "decimal_places": 2}
REQUEST_DAYS = 90  # Customs Act s.60(1) and s.129(1): within ninety days after the notice is given
LATE_LIMIT_DAYS = 365  # s.129.1(5)(a): an extension only if asked within one year after those 90 days
DOCUMENT_DAYS = 30  # the client's time to add documents after the officer's rationale (domain brief §8)
FURTHER_RECOURSE_DAYS = 90  # s.67(1): appeal to the CITT within ninety days after the s.60 decision


class Issue(models.TextChoices):
    ORIGIN = "origin", _("Origin")
    CLASSIFICATION = "classification", _("Tariff classification")
    VALUE = "value", _("Value for duty")


class StatementOfAdjustment(models.Model):
    """The document CBSA gives for an adjustment decision (Customs Act s.59(2) notice): a compliance
    verification or re-determination made a new version of the CAD and posted its delta."""

    number = models.CharField(_("statement number"), max_length=24, unique=True)
    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+", verbose_name=_("importer account")
    )
    submitted_by_business = models.ForeignKey(
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("accounted by")
    )
    declaration = models.ForeignKey("declarations.Declaration", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("declarations.DeclarationVersion", on_delete=models.PROTECT, related_name="+")
    issue = models.CharField(_("issue"), max_length=16, choices=Issue.choices)
    subject = models.CharField(_("subject"), max_length=120)  # what the issue is about: a tariff item, an origin
    reasons = models.TextField(_("reasons"))
    delta = models.DecimalField(_("change in duties and taxes"), **MONEY)
    ledger_entry = models.ForeignKey(
        "ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()  # records: rights.register_records

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("statement of adjustment")
        verbose_name_plural = _("statements of adjustment")

    def __str__(self):
        return self.number

    @property
    def issue_key(self) -> str:
        """Statements on the same issue go in one request (CBSA: grouped in one appeal)."""
        return f"{self.issue}:{self.subject.strip().upper()}"

    @property
    def request_deadline(self) -> dt.date:
        return self.issued_on + dt.timedelta(days=REQUEST_DAYS)


class Kind(models.TextChoices):
    REDETERMINATION = "s60", _("Request for re-determination (s.60)")
    PENALTY = "s129", _("Penalty appeal (s.129)")


class Status(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RATIONALE = "rationale", _("Officer's rationale shared")
    DECIDED = "decided", _("Decided")


class Decision(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    PARTLY = "partly", _("Partly allowed")
    DENIED = "denied", _("Denied")


APPEAL_TRANSITIONS = Table(
    Status,
    {Status.ACKNOWLEDGED: {Status.RATIONALE, Status.DECIDED}, Status.RATIONALE: {Status.DECIDED}},
)


class Appeal(models.Model):
    """A client's request: re-determination of statements of adjustment on one issue (s.60) or a
    decision of the Minister on a penalty notice (s.129)."""

    number = models.CharField(_("request number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACKNOWLEDGED)
    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+", verbose_name=_("importer account")
    )
    submitted_by_business = models.ForeignKey(
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("filed on"))
    deadline = models.DateField(_("deadline"))
    grounds = models.TextField(_("grounds"))
    late_reason = models.TextField(_("reason for filing late"), blank=True)
    issue_key = models.CharField(_("issue"), max_length=140, blank=True)
    statements = models.ManyToManyField(StatementOfAdjustment, blank=True, related_name="appeals")
    notice = models.ForeignKey(
        "penalties.PenaltyNotice", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    disputed = models.DecimalField(_("amount disputed"), **MONEY)
    # The share of the account's security for appeals this request was accepted on (s.60(1): paid
    # or secured); held while the request is open (security.committed).
    secured = models.DecimalField(_("security relied on"), default=0, **MONEY)
    rationale = models.TextField(_("officer's rationale"), blank=True)
    rationale_on = models.DateField(_("rationale shared on"), null=True, blank=True)
    documents_until = models.DateField(_("documents accepted until"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    relief = models.DecimalField(_("relief"), default=0, **MONEY)
    interest = models.DecimalField(_("interest paid"), default=0, **MONEY)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    further_recourse_filed_on = models.DateField(_("CITT appeal filed on"), null=True, blank=True)
    further_recourse_reference = models.CharField(_("CITT file number"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()  # records: rights.register_records
    transitions = APPEAL_TRANSITIONS

    class Meta:
        ordering = ["-filed_on", "-number"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            # s.129: one appeal per notice.
            models.UniqueConstraint(
                fields=["notice"], condition=models.Q(notice__isnull=False), name="appeal_one_per_notice"
            ),
            APPEAL_TRANSITIONS.constraint("appeal_status_known"),
        ]

    def __str__(self):
        return self.number

    @property
    def further_recourse_deadline(self) -> dt.date | None:
        return self.decided_on + dt.timedelta(days=FURTHER_RECOURSE_DAYS) if self.decided_on else None


class AppealDocument(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name

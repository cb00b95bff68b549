from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import Table
from rights import RestrictedQuerySet

MONEY = {"max_digits": 15, "decimal_places": 2}


class Outage(models.Model):
    """A system outage an officer declared: late-accounting penalties whose deadline falls in it, or
    within the relief after it, are waived, and clients see its message while it is current."""

    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    reason = models.TextField(_("reason"))
    message_en = models.CharField(_("message (English)"), max_length=500)
    message_fr = models.CharField(_("message (French)"), max_length=500)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="outage_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    WAIVED = "waived", _("Waived")  # never charged: an outage relief
    CANCELLED = "cancelled", _("Cancelled")  # charged, then taken back (an appeal allowed, an officer)
    REDUCED = "reduced", _("Reduced")  # part taken back (an appeal partly allowed)


NOTICE_TRANSITIONS = Table(
    NoticeStatus,
    {
        NoticeStatus.ISSUED: {NoticeStatus.CANCELLED, NoticeStatus.REDUCED},
        NoticeStatus.REDUCED: {NoticeStatus.CANCELLED},
    },
)


class PenaltyNotice(models.Model):
    """A Notice of Penalty Assessment (Customs Act s.109.3): one contravention at one level, posted
    to the importer's ledger (ledger.posting) with its due date. A waived notice records the relief
    and posts nothing."""

    number = models.CharField(_("notice number"), max_length=24, unique=True)
    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="+", verbose_name=_("importer account")
    )
    submitted_by_business = models.ForeignKey(
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    contravention = models.CharField(_("contravention"), max_length=8)
    level = models.PositiveSmallIntegerField(_("occurrence level"), default=1)
    amount = models.DecimalField(_("penalty"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED)
    source_key = models.CharField(_("source"), max_length=80)
    transaction_number = models.CharField(_("transaction number"), max_length=14, blank=True)
    occurred_on = models.DateField(_("contravention date"))
    issued_on = models.DateField(_("issued on"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    waived_by_outage = models.ForeignKey(Outage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ledger_entry = models.ForeignKey(
        "ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()  # records: rights.register_records
    transitions = NOTICE_TRANSITIONS

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("notice of penalty assessment")
        verbose_name_plural = _("notices of penalty assessment")
        constraints = [
            models.UniqueConstraint(fields=["program_account", "source_key"], name="penalty_notice_source_once"),
            NOTICE_TRANSITIONS.constraint("penalty_notice_status_known"),
        ]
        indexes = [models.Index(fields=["program_account", "contravention", "occurred_on"], name="penalty_history")]

    def __str__(self):
        return self.number


class PenaltyRun(models.Model):
    """A day the automatic late-accounting run finished (the catch-up starts after the last)."""

    day = models.DateField(unique=True)
    raised = models.PositiveIntegerField(default=0)
    waived = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return self.day.isoformat()

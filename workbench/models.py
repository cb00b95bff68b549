"""The officer's workbench: notes on a client, support requests, queue assignments and job runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from businesses.models import Business
from core.transitions import Table
from rights import RestrictedQuerySet


class OfficerNote(models.Model):
    """An officer's note on a business (client 360): never edited, never deleted."""

    business = models.ForeignKey(Business, models.PROTECT, related_name="officer_notes")
    text = models.TextField(_("note"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self):
        return f"{self.business.bn9} {self.written_at:%Y-%m-%d}"


class SupportKind(models.TextChoices):
    QUESTION = "question", _("Question")
    REGISTRATION = "registration", _("Registration needing a manual check")


class SupportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


SUPPORT_TRANSITIONS = Table(SupportStatus, {SupportStatus.OPEN: {SupportStatus.ANSWERED}})


class SupportRequest(models.Model):
    """A client asks CBSA (a question, or a registration that needs a manual check); an officer answers."""

    Kind = SupportKind
    Status = SupportStatus
    transitions = SUPPORT_TRANSITIONS

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.QUESTION)
    business = models.ForeignKey(Business, models.PROTECT, null=True, blank=True, related_name="support_requests")
    bn9 = models.CharField(_("business number"), max_length=9, blank=True)  # a registration has no business yet
    subject = models.CharField(_("subject"), max_length=200)
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="support_requests")
    asked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            SUPPORT_TRANSITIONS.constraint("support_request_status_known"),
            models.CheckConstraint(condition=Q(kind__in=SupportKind.values), name="support_request_kind_known"),
        ]

    def __str__(self):
        return self.subject


class Assignment(models.Model):
    """Who works an item of a queue. Re-assigning ends the open assignment (kept, never deleted)."""

    queue = models.CharField(max_length=40)
    item = models.CharField(max_length=64)  # the item's key in its queue (its primary key)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="work_assignments")
    reason = models.TextField(_("reason"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "item"], condition=Q(ended_at__isnull=True), name="one_open_assignment_per_item"
            )
        ]

    def __str__(self):
        return f"{self.queue}/{self.item} → {self.officer}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


RUN_TRANSITIONS = Table(
    RunStatus,
    {RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED}, RunStatus.RUNNING: {RunStatus.DONE, RunStatus.FAILED}},
)


class Run(models.Model):
    """One launch of a job (billing close, interest...): its progress, fed by the task, and outcome."""

    Status = RunStatus
    transitions = RUN_TRANSITIONS

    job = models.CharField(_("job"), max_length=40)
    day = models.DateField(_("day"))  # the day (or period end) the job runs for
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(null=True, blank=True)  # what the job did; 0: nothing to do
    error = models.TextField(blank=True)
    reason = models.TextField(_("reason"))
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    launched_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-launched_at", "-pk"]
        constraints = [RUN_TRANSITIONS.constraint("run_status_known")]

    def __str__(self):
        return f"{self.job} {self.day} {self.status}"

    @property
    def label(self) -> str:
        from .extensions import jobs  # filled by the apps' ready(), after the models load

        return jobs[self.job].label if self.job in jobs else self.job

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

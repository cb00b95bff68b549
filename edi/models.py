"""EDI messages, stored raw and immutable with their correlation ids; a business's channel (callback
URL and shared secret), deliveries of pushed messages, and subscriptions to notices and statements."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from access.grants import employment
from audit.append_only import AppendOnlyModel
from rights import RestrictedQuerySet


def own_business_rows(path: str):
    """The rights rule of rows belonging to a business through `path`: those of the businesses the
    actor works for (access.grants.employment), narrowed to a token's business as every rule."""

    def rule(actor, action):
        grants, groups = employment(actor.user)
        narrowing = actor.narrowing("business__bn9")
        employers = [grants.filter(narrowing).values("business"), groups.filter(narrowing).values("business")]
        return models.Q(**{f"{path}__in": employers[0]}) | models.Q(**{f"{path}__in": employers[1]})

    return rule


class Format(models.TextChoices):
    XML = "xml", _("WCO XML")
    EDIFACT = "edifact", _("UN/EDIFACT")


class Direction(models.TextChoices):
    IN = "in", pgettext_lazy("EDI message direction", "Received")
    OUT = "out", pgettext_lazy("EDI message direction", "Sent")


class Kind(models.TextChoices):
    DECLARATION = "declaration", _("Declaration")
    RESPONSE = "response", _("Response")
    STATUS = "status", _("Status change")
    NOTICE = "notice", _("Daily notice")
    STATEMENT = "statement", _("Statement of account")


class Outcome(models.TextChoices):
    """What a response or status message says (edi.wire's statuses)."""

    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    PENDING = "pending", _("Pending approval")
    SYNTAX_ERROR = "syntax_error", _("Syntax error")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Message(AppendOnlyModel):
    """One message as it came in or went out, never changed. An inbound declaration's answer is a
    RESPONSE replying to it; a duplicate's answer repeats the original response (`original`)."""

    correlation_id = models.UUIDField(_("correlation id"), default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    business = models.ForeignKey(  # the sender of what came in, the recipient of what goes out
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("business")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("channel"), max_length=8, blank=True)  # api, drop, system
    reference = models.CharField(_("interchange reference"), max_length=35, blank=True, db_index=True)
    in_reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    original = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats")
    status = models.CharField(_("status"), max_length=12, choices=Outcome.choices, blank=True)
    transaction_number = models.CharField(_("transaction number"), max_length=14, blank=True, db_index=True)
    document = models.CharField(max_length=64, blank=True)  # a notice's or statement's key (sent once)
    raw = models.TextField(_("message"))
    size = models.PositiveIntegerField(_("bytes"), default=0)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("EDI message")
        verbose_name_plural = _("EDI messages")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind", "document"], condition=~models.Q(document=""), name="edi_document_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.correlation_id}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Channel(models.Model):
    """A business's system-to-system channel: where its pushes go, the secret that signs them, the
    format it reads. The person who set it up is the one the drop folder's messages are filed as."""

    business = models.OneToOneField("businesses.Business", on_delete=models.PROTECT, related_name="edi_channel")
    callback_url = models.URLField(_("callback URL"), blank=True)
    secret = models.CharField(_("shared secret"), max_length=64, default=new_secret)
    secret_rotated_at = models.DateTimeField(_("secret rotated"), default=timezone.now)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.XML)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("EDI channel")
        verbose_name_plural = _("EDI channels")

    def __str__(self):
        return f"EDI {self.business.bn9}"


class Delivery(models.Model):
    """One outbound message on its way to a channel: pushed (with retries), or pulled from the queue."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Gave up")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="deliveries")
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    pulled_at = models.DateTimeField(_("pulled"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("EDI delivery")
        verbose_name_plural = _("EDI deliveries")
        constraints = [models.UniqueConstraint(fields=["channel", "message"], name="edi_delivery_once")]

    def __str__(self):
        return f"{self.message} → {self.channel} ({self.status})"


class Subscription(models.Model):
    """An account's daily notices or statements of account sent by EDI to a channel: the importer's
    own or its broker's."""

    class Document(models.TextChoices):
        NOTICES = "notices", _("Daily notices")
        STATEMENTS = "statements", _("Statements of account")

    program_account = models.ForeignKey(
        "businesses.ProgramAccount", on_delete=models.PROTECT, related_name="edi_subscriptions"
    )
    document = models.CharField(_("document"), max_length=10, choices=Document.choices)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("EDI subscription")
        verbose_name_plural = _("EDI subscriptions")
        constraints = [models.UniqueConstraint(fields=["program_account", "document"], name="edi_subscription_once")]

    def __str__(self):
        return f"{self.program_account} {self.document} → {self.channel}"

"""Notifications: what each person was told (the inbox), how it went out (deliveries by email and
SMS, with their status), what each person chose (preferences, a profile with a phone number and the
daily digest), the business defaults its BAMs set, and the classification numbers people watch."""

from django.conf import settings
from django.db import models
from django.urls import translate_url
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from businesses.models import Business, ProgramAccount
from portal.templatetags.portal import money

from .catalogue import KINDS, WORDS

MONEY_FIELDS = {"amount", "amount_due", "overdue", "shortfall", "required", "delta", "relief", "covered"}


class NotificationQuerySet(models.QuerySet):
    def inbox_of(self, user):
        """What a person sees in the portal inbox: theirs only, never archived."""
        return self.filter(recipient=user, in_inbox=True, archived_at__isnull=True)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One event told to one person. `key` names the event's subject (a record, an audit entry), so
    the same event is never told twice to the same person."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("event"), max_length=40, choices=[(code, kind.title) for code, kind in KINDS.items()])
    key = models.CharField(max_length=100)
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    program_account = models.ForeignKey(
        ProgramAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    context = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=200, blank=True)
    in_inbox = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notifications_told_once"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.recipient}: {self.kind} {self.key}"

    @property
    def event(self):
        return KINDS[self.kind]

    @property
    def url(self) -> str:
        """The link in the active language (links are kept as made, in the language of the moment)."""
        return translate_url(self.link, get_language()) if self.link else ""

    @property
    def title(self):
        return self.event.title

    @property
    def message(self) -> str:
        """The message in the active language, its placeholders filled (amounts written as the
        language writes them; a missing one left blank)."""
        values = {
            name: money(value) if name in MONEY_FIELDS else WORDS.get(value, value)
            for name, value in self.context.items()
        }
        return str(self.event.message) % _Filled(values)


class _Filled(dict):
    def __missing__(self, key):
        return ""


class Delivery(models.Model):
    """One notification sent (or to send) by email or SMS."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message (SMS)")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("delivery status", "Queued")
        HELD = "held", pgettext_lazy("delivery status", "Held for the daily digest")
        RETRYING = "retrying", pgettext_lazy("delivery status", "Failed, will be retried")
        SENT = "sent", pgettext_lazy("delivery status", "Sent")
        FAILED = "failed", pgettext_lazy("delivery status", "Failed")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="notifications_one_delivery_per_channel")
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.status}"


class Profile(models.Model):
    """A person's notification settings that are not per event: the mobile number SMS go to, and
    whether emails that can wait are batched into one daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_profile")
    phone = models.CharField(
        _("mobile phone number"), max_length=20, blank=True, help_text=_("E.164, e.g. +16135550123")
    )
    daily_digest = models.BooleanField(_("send emails that can wait as one daily digest"), default=False)

    def __str__(self):
        return str(self.user)


class ChannelChoice(models.Model):
    """The channels chosen for one event kind."""

    kind = models.CharField(max_length=40, choices=[(code, kind.title) for code, kind in KINDS.items()])
    inbox = models.BooleanField(_("portal inbox"), default=True)
    email = models.BooleanField(_("email"), default=True)
    sms = models.BooleanField(_("text message (SMS)"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.kind}: {', '.join(sorted(self.channels())) or '-'}"

    def channels(self) -> set[str]:
        return {name for name in ("inbox", "email", "sms") if getattr(self, name)}


class Preference(ChannelChoice):
    """A person's channels for one event kind (absent: the business default, else the catalogue's)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_one_preference")]


class BusinessDefault(ChannelChoice):
    """The channels a business's BAMs chose for its people, for one event kind about the business."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="notification_defaults")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "kind"], name="notifications_one_business_default")]


class Watch(models.Model):
    """A person watching a classification number (or a tariff item or heading) for changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tariff_watches")
    code = models.CharField(_("classification number"), max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="notifications_watch_once")]
        indexes = [models.Index(fields=["code"])]

    def __str__(self):
        return f"{self.user}: {self.code}"


class TariffScan(models.Model):
    """A tariff schedule version whose changes were told to the people watching (each once)."""

    version = models.OneToOneField("tariff.DataLoad", on_delete=models.CASCADE, related_name="+")
    scanned_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.version_id} {self.scanned_at:%Y-%m-%d %H:%M}"

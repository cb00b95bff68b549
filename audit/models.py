from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .append_only import (  # noqa: F401  (AppendOnlyError re-exported)
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
)


class AuditEntry(AppendOnlyModel):
    """Who did what, acting for which business, on which object, when and from where."""

    class Channel(models.TextChoices):
        WEB = "web", _("Portal")
        API = "api", _("API")
        EDI = "edi", _("EDI")
        TASK = "task", _("Scheduled task")
        ADMIN = "admin", _("Administration")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as text too, so the entry still reads right if the account is renamed.
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    actor_business = models.CharField(_("on behalf of business (BN9)"), max_length=9, blank=True, db_index=True)
    acting_for_business = models.CharField(_("acting for business (BN9)"), max_length=9, blank=True, db_index=True)
    action = models.CharField(_("what"), max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    ip_address = models.GenericIPAddressField(_("from IP"), null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

"""Officer appointments: which CBSA employee holds which officer role. Ended, never deleted, so
who could decide what on a given day stays answerable."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kernel import OfficerRole


class OfficerAppointment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="officer_appointments")
    role = models.CharField(_("officer role"), max_length=20, choices=OfficerRole.choices)
    reason = models.TextField(_("reason"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(ended_at__isnull=True), name="one_open_appointment_per_role"
            ),
            models.CheckConstraint(condition=Q(role__in=OfficerRole.values), name="officer_appointment_role_known"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"

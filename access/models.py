from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from businesses.models import Business, ProgramAccount
from core.transitions import Table
from rights import RestrictedQuerySet


class Role(models.TextChoices):
    """BAM is held on a business; PAM, Editor and Reader on one program account.
    Orphan is derived (a person with no grant) and never stored; Expired is kept for the
    delegation issue (a provider who may still view what it submitted for a former client)."""

    BAM = "bam", _("Business account manager")
    PAM = "pam", _("Program account manager")
    EDITOR = "editor", _("Editor")
    READER = "reader", _("Reader")
    ORPHAN = "orphan", _("Orphan user")
    EXPIRED = "expired", _("Expired user")


PROGRAM_ROLES = [Role.PAM, Role.EDITOR, Role.READER]


class EmployeeGroup(models.Model):
    """Employees of a business grouped to be granted roles together."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="employee_groups")
    name = models.CharField(_("group name"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="employee_groups", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["business", "name"], name="access_unique_group_name")]

    def __str__(self):
        return self.name


class RoleGrant(models.Model):
    """A role held by a person or an employee group: BAM on a business, or a program role on one
    of its program accounts. A person holds at most one role per program account."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="role_grants")
    program_account = models.ForeignKey(
        ProgramAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    group = models.ForeignKey(
        EmployeeGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True) | Q(user__isnull=True, group__isnull=False),
                name="access_grant_to_user_or_group",
            ),
            # BAM is business-wide and personal; the other roles name one program account.
            models.CheckConstraint(
                condition=Q(role="bam", program_account__isnull=True, group__isnull=True)
                | Q(role__in=["pam", "editor", "reader", "expired"], program_account__isnull=False),
                name="access_grant_scope_matches_role",
            ),
            models.UniqueConstraint(fields=["user", "business"], condition=Q(role="bam"), name="access_unique_bam"),
            models.UniqueConstraint(fields=["user", "program_account"], name="access_one_role_per_account"),
            models.UniqueConstraint(fields=["group", "program_account"], name="access_one_group_role_per_account"),
        ]

    def __str__(self):
        holder = self.user or self.group
        return f"{holder}: {self.get_role_display()} — {self.program_account or self.business}"

    def describe(self) -> dict:
        """The grant as the audit trail records it."""
        return {
            "business": self.business.bn9,
            "program_account": self.program_account.number if self.program_account else "",
            "user": self.user.email if self.user else "",
            "group": self.group.name if self.group else "",
            "role": self.role,
        }


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Decided by a manager or withdrawn by the requester, once.
ACCESS_REQUEST_TRANSITIONS = Table(
    AccessRequestStatus,
    {
        AccessRequestStatus.PENDING: {
            AccessRequestStatus.APPROVED,
            AccessRequestStatus.REJECTED,
            AccessRequestStatus.WITHDRAWN,
        }
    },
)


class AccessRequest(models.Model):
    """An employee asking the managers of their employer's business for access."""

    Status = AccessRequestStatus

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="access_requests")
    note = models.TextField(_("justification"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    transitions = ACCESS_REQUEST_TRANSITIONS

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "business"], condition=Q(status="pending"), name="access_one_pending_request"
            ),
            ACCESS_REQUEST_TRANSITIONS.constraint("access_request_status_known"),
        ]

    def __str__(self):
        return f"{self.user} → {self.business.bn9} ({self.status})"

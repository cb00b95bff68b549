"""Business relationships: a service provider (customs broker, trade consultant) acting for an
importer. One row is the request and, once approved, the relationship with its terms; the
provider's people work on it through ClientAssignments. Rights come from delegation.relationships."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import EmployeeGroup, Role
from businesses.models import Business, ProgramAccount
from core.transitions import Table
from rights import RestrictedQuerySet

PROVIDER_KINDS = [Business.Kind.CUSTOMS_BROKER, Business.Kind.TRADE_CONSULTANT]
CLIENT_ROLES = [Role.EDITOR, Role.READER]


class RelationshipQuerySet(RestrictedQuerySet):
    def in_force(self, on=None):
        """Approved and not past its expiry date: effective at once, whether or not the nightly
        task has marked it expired yet."""
        return self.filter(status=Relationship.Status.ACTIVE, expires_on__gte=on or timezone.localdate())

    def expired(self, on=None):
        """Ended by its expiry date (marked by the task, or due to be)."""
        return self.filter(
            Q(status=Relationship.Status.EXPIRED)
            | Q(status=Relationship.Status.ACTIVE, expires_on__lt=on or timezone.localdate())
        )

    def pending(self):
        return self.filter(status=Relationship.Status.PENDING)


class RelationshipStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    REJECTED = "rejected", _("Rejected")
    LAPSED = "lapsed", _("Lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")
    ENDED = "ended", _("Ended by the service provider")
    EXPIRED = "expired", _("Expired")


# A request is decided, withdrawn by its sender or lapses; a relationship in force ends one way.
RELATIONSHIP_TRANSITIONS = Table(
    RelationshipStatus,
    {
        RelationshipStatus.PENDING: {
            RelationshipStatus.ACTIVE,
            RelationshipStatus.REJECTED,
            RelationshipStatus.WITHDRAWN,
            RelationshipStatus.LAPSED,
        },
        RelationshipStatus.ACTIVE: {RelationshipStatus.REVOKED, RelationshipStatus.ENDED, RelationshipStatus.EXPIRED},
    },
)


class Relationship(models.Model):
    Status = RelationshipStatus

    class Scope(models.TextChoices):
        BUSINESS = "business", _("Business management (every program account)")
        PROGRAM = "program", _("Program management (named program accounts)")

    class Side(models.TextChoices):
        PROVIDER = "provider", _("Service provider")
        IMPORTER = "importer", _("Importer")

    provider = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="client_relationships")
    importer = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="provider_relationships")
    initiated_by = models.CharField(max_length=8, choices=Side.choices, default=Side.PROVIDER)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    program_accounts = models.ManyToManyField(ProgramAccount, blank=True, related_name="+")
    note = models.TextField(_("message"), blank=True)
    # Visibility rules: which records of the importer's accounts the provider's people see.
    sees_provider_records = models.BooleanField(_("records submitted by this service provider"), default=True)
    sees_importer_records = models.BooleanField(_("records submitted by the importer"), default=False)
    sees_other_records = models.BooleanField(_("records submitted by other businesses"), default=False)
    allows_payments = models.BooleanField(_("may pay amounts owing"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    request_expires_on = models.DateField(_("request lapses on"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = RelationshipQuerySet.as_manager()
    transitions = RELATIONSHIP_TRANSITIONS

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "importer"],
                condition=Q(status__in=["pending", "active"]),
                name="delegation_one_open_relationship",
            ),
            models.CheckConstraint(condition=~Q(provider=models.F("importer")), name="delegation_not_to_self"),
            RELATIONSHIP_TRANSITIONS.constraint("delegation_relationship_status_known"),
        ]

    def __str__(self):
        return f"{self.provider.bn9} → {self.importer.bn9} ({self.status})"

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.ACTIVE and self.expires_on >= timezone.localdate()

    def describe(self) -> dict:
        """The terms as the audit trail records them."""
        return {
            "provider": self.provider.bn9,
            "importer": self.importer.bn9,
            "status": self.status,
            "scope": self.scope,
            "program_accounts": sorted(self.program_accounts.values_list("number", flat=True)) if self.pk else [],
            "visibility": {
                "provider": self.sees_provider_records,
                "importer": self.sees_importer_records,
                "others": self.sees_other_records,
            },
            "allows_payments": self.allows_payments,
            "expires_on": self.expires_on.isoformat() if self.expires_on else "",
            "reason": self.reason,
        }


def default_expiry() -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today + datetime.timedelta(days=365)


class ClientGroup(models.Model):
    """A provider's clients grouped (for example "Ontario importers") so that its employees and
    employee groups are assigned to all of them at once. The assignment follows the membership: a
    relationship added to the group is staffed at once, one taken out no longer is."""

    provider = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="client_groups")
    name = models.CharField(_("name of the client group"), max_length=100)
    relationships = models.ManyToManyField(Relationship, blank=True, related_name="client_groups")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="delegation_unique_client_group")]

    def __str__(self):
        return self.name


class ClientAssignment(models.Model):
    """One of the provider's employees (or groups) working on a client, or on every client of a
    client group, as Editor or Reader, within each relationship's scope."""

    relationship = models.ForeignKey(
        Relationship, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    client_group = models.ForeignKey(
        ClientGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="client_assignments"
    )
    group = models.ForeignKey(
        EmployeeGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="client_assignments"
    )
    role = models.CharField(_("role"), max_length=8, choices=[(r.value, r.label) for r in CLIENT_ROLES])
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True) | Q(user__isnull=True, group__isnull=False),
                name="delegation_assignment_user_or_group",
            ),
            models.CheckConstraint(
                condition=Q(relationship__isnull=False, client_group__isnull=True)
                | Q(relationship__isnull=True, client_group__isnull=False),
                name="delegation_assignment_to_client_or_client_group",
            ),
            models.UniqueConstraint(fields=["relationship", "user"], name="delegation_one_assignment_per_user"),
            models.UniqueConstraint(fields=["relationship", "group"], name="delegation_one_assignment_per_group"),
            models.UniqueConstraint(fields=["client_group", "user"], name="delegation_one_group_assignment_per_user"),
            models.UniqueConstraint(fields=["client_group", "group"], name="delegation_one_group_assignment_per_group"),
        ]

    def __str__(self):
        return f"{self.user or self.group}: {self.role} for {self.relationship or self.client_group}"

    def describe(self) -> dict:
        return {
            "user": self.user.email if self.user else "",
            "group": self.group.name if self.group else "",
            "role": self.role,
        }


class Notification(models.Model):
    """A notice to a business (expiry coming). Created once per relationship and kind; sent_at is
    set by whatever delivers it (e-mail delivery is not part of this issue)."""

    class Kind(models.TextChoices):
        EXPIRES_IN_30_DAYS = "expiry_30", _("Relationship expires in 30 days")
        EXPIRES_IN_7_DAYS = "expiry_7", _("Relationship expires in 7 days")

    recipient = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="delegation_notifications")
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "relationship", "kind"], name="delegation_one_notification_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.recipient.bn9}: {self.kind}"

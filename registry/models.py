"""The local copy of CRA's business registry. Only registry.adapters.LocalRegistry reads these
tables and only registry.loader writes them: the rest of the portal asks the configured adapter."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .bn import AccountType, Program


class RegisteredEntity(models.Model):
    bn9 = models.CharField(max_length=9, unique=True)
    legal_name = models.CharField(max_length=200)
    operating_name = models.CharField(max_length=200, blank=True)
    address_line = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    province = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=7)

    class Meta:
        verbose_name = _("registered entity")
        verbose_name_plural = _("registered entities")

    def __str__(self):
        return f"{self.legal_name} ({self.bn9})"


class RegisteredProgramAccount(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    entity = models.ForeignKey(RegisteredEntity, on_delete=models.CASCADE, related_name="program_accounts")
    number = models.CharField(max_length=15, unique=True)
    program = models.CharField(max_length=2, choices=Program.choices)
    account_type = models.CharField(max_length=8, choices=AccountType.choices, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.ACTIVE)

    def __str__(self):
        return self.number


class ImportTransaction(models.Model):
    """A past accounting transaction and its total duties and taxes (affinity questions)."""

    entity = models.ForeignKey(RegisteredEntity, on_delete=models.CASCADE, related_name="transactions")
    number = models.CharField(max_length=14)
    accounted_on = models.DateField()
    duties_and_taxes = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "number"], name="registry_unique_transaction")]

    def __str__(self):
        return self.number


class Payment(models.Model):
    entity = models.ForeignKey(RegisteredEntity, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    def __str__(self):
        return f"{self.paid_on}: {self.amount}"


class StatementBalance(models.Model):
    entity = models.ForeignKey(RegisteredEntity, on_delete=models.CASCADE, related_name="statements")
    issued_on = models.DateField()
    balance = models.DecimalField(max_digits=14, decimal_places=2)

    def __str__(self):
        return f"{self.issued_on}: {self.balance}"

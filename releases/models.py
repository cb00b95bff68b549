from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rights import RestrictedQuerySet


class Mode(models.TextChoices):
    """How the goods were released: it sets the accounting deadline (releases.services.deadline)."""

    RMD = "rmd", _("Release on minimum documentation")
    CLVS = "clvs", _("Courier low value shipment (CLVS)")
    CASH = "cash", _("Cash CAD paid before release")


class Release(models.Model):
    """Goods released under a transaction number; the CAD under the same number accounts for them.
    The one record of a release: a paid cash CAD's release is one too, linked to its CAD."""

    transaction_number = models.CharField(_("transaction number"), max_length=14, unique=True)
    program_account = models.ForeignKey(
        "businesses.ProgramAccount",
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("importer account"),
    )
    # The importer itself or its broker: who must account for the goods (rights: records rule).
    submitted_by_business = models.ForeignKey(
        "businesses.Business", on_delete=models.PROTECT, related_name="+", verbose_name=_("released for")
    )
    release_date = models.DateField(_("release date"), db_index=True)
    release_office = models.CharField(_("release office"), max_length=4)
    cargo_control_number = models.CharField(_("cargo control number"), max_length=25, blank=True)
    # Sets the deadline: $3,300 or less is accounted by the 24th of the next month (AMPS C292).
    estimated_vfd = models.DecimalField(_("estimated value for duty"), max_digits=15, decimal_places=2)
    mode = models.CharField(_("release mode"), max_length=4, choices=Mode.choices, default=Mode.RMD)
    # A cash CAD accounted for the goods before their release (mode CASH): that CAD.
    declaration = models.OneToOneField(
        "declarations.Declaration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="release",
        verbose_name=_("cash CAD"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()  # records: rights.register_records

    class Meta:
        ordering = ["release_date", "transaction_number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.CheckConstraint(condition=models.Q(mode__in=Mode.values), name="release_mode_known"),
            models.CheckConstraint(
                condition=models.Q(mode="cash", declaration__isnull=False)
                | (~models.Q(mode="cash") & models.Q(declaration__isnull=True)),
                name="release_cash_has_its_cad",
            ),
        ]

    def __str__(self):
        return self.transaction_number

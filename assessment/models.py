from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """A Bank of Canada daily rate: how many Canadian dollars one unit of `currency` bought on `date`.

    The Bank publishes on business days only; `assessment.exchange.rate_on` fills weekends and
    holidays from the previous business day. Officers can add a missing rate in the admin.
    """

    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. USD."))
    date = models.DateField(_("date"))
    cad_per_unit = models.DecimalField(_("CAD per unit"), max_digits=18, decimal_places=8)

    class Meta:
        ordering = ["currency", "-date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [models.UniqueConstraint(fields=["currency", "date"], name="assessment_one_rate_a_day")]

    def __str__(self):
        return f"{self.currency} {self.date} {self.cad_per_unit}"

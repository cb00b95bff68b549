from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """A daily rate: how many Canadian dollars one unit of `currency` bought on `date`.

    Most come from the Bank of Canada (published on business days only; `assessment.exchange.rate_on`
    fills weekends and holidays from the previous business day). Officers enter the currencies the
    Bank does not publish, and a Bank rate the feed missed (the officer page, audited). Demo rates
    exist only in the demo: never a rate to assess a real declaration with.
    """

    class Source(models.TextChoices):
        BANK_OF_CANADA = "boc", _("Bank of Canada")
        OFFICER = "officer", _("CBSA officer")
        DEMO = "demo", _("demo only (not a published rate)")

    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. USD."))
    date = models.DateField(_("date"))
    cad_per_unit = models.DecimalField(_("CAD per unit"), max_digits=18, decimal_places=8)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.BANK_OF_CANADA)

    class Meta:
        ordering = ["currency", "-date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [models.UniqueConstraint(fields=["currency", "date"], name="assessment_one_rate_a_day")]

    def __str__(self):
        return f"{self.currency} {self.date} {self.cad_per_unit}"

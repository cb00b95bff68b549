from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A holiday of the harmonized billing cycle (it defers due dates and CAD deadlines).
    Officers keep the table current in the admin; the federal list for 2024–2027 is loaded by a migration."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    rule = models.CharField(_("rule"), max_length=100, blank=True, help_text=_("How the date is set, e.g. first Monday of September"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"

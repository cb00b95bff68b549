"""The search synonyms officers curate (tariff.search reads them; the admin edits them).

Kept apart from tariff/models.py because the search owns it; tariff/models.py imports it so
Django registers the model with the tariff app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchSynonym(models.Model):
    """A word traders use that the schedule spells otherwise: "tee" -> "t-shirt",
    "sneakers" -> "footwear sports", "chaussures" -> "footwear". A search for the term also looks
    for the schedule words, and says so in its reasons."""

    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")

    term = models.CharField(
        _("term"), max_length=80, help_text=_("What people type: one word or a short phrase, e.g. 'cell phone'.")
    )
    means = models.CharField(
        _("schedule words"), max_length=200, help_text=_("Words the tariff uses for it, e.g. 'telephones cellular'.")
    )
    language = models.CharField(_("language of the term"), max_length=2, choices=Language.choices, default="en")
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "tariff"
        ordering = ["language", "term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        constraints = [models.UniqueConstraint(fields=["language", "term"], name="tariff_synonym_once")]

    def __str__(self):
        return f"{self.term} → {self.means}"

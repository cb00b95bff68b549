"""The Customs Tariff schedule, versioned by date.

Reading guide (field names are stable; other apps and tariff.search build on them):

- `DataLoad`: one load of a source file (a schedule version, the legal notes, the HS nomenclature).
  Every tariff row points at the load that created it.
- `Section` and `Chapter`: the 21 sections and 99 chapters with their titles (not dated: their
  numbering is fixed by the Harmonized System).
- `TariffLine`: one printed row of the schedule: heading (4 digits), subheading (6), tariff item
  (8, where Canada sets rates), classification number (10, with the unit of measure) or grouping
  row (5, 7 or 9 digits: "Horses:", "Other:"). `code` holds the digits only.
- `Rate`: one treatment's rate (MFN, UST, CEUT...) for one rate-bearing code, printed text plus the
  assessment engine's structured form. Rates sit on 8-digit rows; a 10-digit number takes its
  tariff item's rates (or its own when the file has no tariff-item row above it).
- `LegalNote`: a section or chapter note (legal, subheading, supplementary or statistical).
- `Change`: what a schedule version changed compared with the one before (for /changes).

French text: `Section.title_fr`, `Chapter.title_fr`, `TariffLine.description_fr` (with
`description_fr_source`: Canada's French schedule or the Harmonized System's French wording) and
`LegalNote.text_fr`; empty where no French source has the row. Each French text says where it comes
from (`*_fr_source`), so pages can mark the Harmonized System's wording. `in_language` picks the page's.

Dated rows: a row applies on day D when `valid_from <= D` and (`valid_to` is null or D <
`valid_to`): `valid_to` is the first day the row no longer applies. A new version never
overwrites a row; it closes it (sets `valid_to`) and adds the replacement. Use
`Model.objects.as_of(day)` to ask any question at a date.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(english: str, french: str) -> str:
    """The French text on French pages when the source has it; the English otherwise."""
    return french if french and get_language() == "fr" else english


def code_starts_with(prefix: str) -> Q:
    """Rows whose code starts with `prefix`, written as a range because SQLite cannot use an index
    for LIKE (codes are digits and ":" sorts right after "9")."""
    return Q(code__gte=prefix, code__lt=prefix + ":")


class DatedQuerySet(models.QuerySet):
    def as_of(self, day):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)

    def current(self):
        return self.filter(valid_to__isnull=True)


class DatedRow(models.Model):
    valid_from = models.DateField(_("effective from"))
    valid_to = models.DateField(_("effective until (exclusive)"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True


class DataLoad(models.Model):
    class Kind(models.TextChoices):
        SCHEDULE = "schedule", _("Tariff schedule version")
        NOTES = "notes", _("Section and chapter notes")
        HS = "hs", _("Harmonized System nomenclature")
        FRENCH = "french", _("French text of the tariff")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=100)
    effective_date = models.DateField()
    source_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, help_text="Checksum of the file: a re-load is a no-op.")
    # Tariff treatments the file carries (schedules only); the others are left as they were.
    treatments = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "effective_date"]
        constraints = [models.UniqueConstraint(fields=["kind", "sha256"], name="tariff_load_once")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label} ({self.effective_date})"


class FrenchSource(models.TextChoices):
    """Where a row's French description comes from: Canada's own French schedule, or (failing it) the
    French wording of the Harmonized System the row carries (6 digits and above, EU nomenclature)."""

    CBSA = "cbsa", _("Customs Tariff, French edition")
    HS = "hs", _("Harmonized System, French wording")


class Section(models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    roman = models.CharField(max_length=6)
    title_en = models.TextField()
    title_fr = models.TextField(blank=True)
    title_fr_source = models.CharField(max_length=4, blank=True, choices=FrenchSource.choices)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.roman} {self.title_en}"

    @property
    def title(self):
        return in_language(self.title_en, self.title_fr)


class Chapter(models.Model):
    number = models.CharField(max_length=2, primary_key=True, help_text="Two digits: 01..99.")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="chapters")
    title_en = models.TextField()
    title_fr = models.TextField(blank=True)
    title_fr_source = models.CharField(max_length=4, blank=True, choices=FrenchSource.choices)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.title_en}"

    @property
    def title(self):
        return in_language(self.title_en, self.title_fr)


class TariffLine(DatedRow):
    class Level(models.TextChoices):
        HEADING = "heading", _("Heading")
        SUBHEADING = "subheading", _("Subheading")
        TARIFF_ITEM = "tariff_item", _("Tariff item")
        CLASSIFICATION = "classification", _("Classification number")
        GROUPING = "grouping", _("Grouping")

    code = models.CharField(max_length=10, db_index=True, help_text="Digits only, 4 to 10.")
    printed_code = models.CharField(max_length=13, help_text="As printed: 0101.21.00.00.")
    level = models.CharField(max_length=14, choices=Level.choices)
    chapter = models.CharField(max_length=2, db_index=True)
    # The nearest printed row above this one (longest code that is a prefix of it); the chapter
    # number for headings. Children of X are the rows whose parent_code is X.
    parent_code = models.CharField(max_length=10)
    description_en = models.TextField()
    description_fr = models.TextField(blank=True, help_text="Empty when the source has no French.")
    description_fr_source = models.CharField(max_length=4, blank=True, choices=FrenchSource.choices)
    subchapter_title = models.TextField(blank=True, help_text="Chapters 98-99 sub-chapter heading.")
    footnote = models.TextField(blank=True)
    unit_of_measure = models.CharField(max_length=3, blank=True, help_text="UN/ECE code, 10-digit rows.")
    amended_on = models.DateField(null=True, blank=True, help_text="The row's EFF_DATE in the source.")
    version = models.ForeignKey(DataLoad, on_delete=models.PROTECT, related_name="lines")

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["code", "valid_from"]
        indexes = [
            models.Index(fields=["code", "valid_from"]),
            models.Index(fields=["parent_code", "valid_from"]),
        ]

    def __str__(self):
        return f"{self.printed_code} {self.description_en[:60]}"

    @property
    def description(self):
        return in_language(self.description_en, self.description_fr)


class Rate(DatedRow):
    code = models.CharField(max_length=10, help_text="The rate-bearing row: usually 8 digits.")
    treatment = models.CharField(max_length=6, help_text="Column code: MFN, GT, UST, CEUT... (tariff.treatments).")
    text = models.CharField(max_length=255, help_text="As printed: 'Free', '6.5 %', '3.32 ¢/kg'.")
    # assessment_engine's Rate.to_dict(); null when the text could not be parsed (kept as printed).
    structured = models.JSONField(null=True, blank=True)
    version = models.ForeignKey(DataLoad, on_delete=models.PROTECT, related_name="rates")

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["code", "treatment", "valid_from"]
        indexes = [models.Index(fields=["code", "valid_from"])]

    def __str__(self):
        return f"{self.code} {self.treatment} {self.text}"


class LegalNote(DatedRow):
    class Kind(models.TextChoices):
        NOTE = "note", _("Notes")
        SUBHEADING = "subheading", _("Subheading notes")
        SUPPLEMENTARY = "supplementary", _("Supplementary notes")
        STATISTICAL = "statistical", _("Statistical notes")

    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    text_en = models.TextField()
    text_fr = models.TextField(blank=True)
    text_fr_source = models.CharField(max_length=4, blank=True, choices=FrenchSource.choices)
    version = models.ForeignKey(DataLoad, on_delete=models.PROTECT, related_name="notes")

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["section", "chapter", "kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=True) ^ Q(chapter__isnull=True), name="tariff_note_one_scope"
            )
        ]

    def __str__(self):
        scope = f"chapter {self.chapter_id}" if self.chapter_id else f"section {self.section_id}"
        return f"{self.get_kind_display()}, {scope}"

    @property
    def text(self):
        return in_language(self.text_en, self.text_fr)


class HsCode(models.Model):
    """The WCO Harmonized System (short Comtrade-style wording): for search and display only."""

    edition = models.PositiveSmallIntegerField(help_text="HS edition year: 2022.")
    code = models.CharField(max_length=6, help_text="2, 4 or 6 digits.")
    description = models.TextField()
    section = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="tariff_hs_code_once")]

    def __str__(self):
        return f"HS{self.edition} {self.code}"


class Change(models.Model):
    """One difference a schedule version made to the one before it (the first version is the
    baseline and records none)."""

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")
        AMENDED = "amended", _("Amended")

    version = models.ForeignKey(DataLoad, on_delete=models.CASCADE, related_name="changes")
    code = models.CharField(max_length=10)
    treatment = models.CharField(max_length=6, blank=True, help_text="Empty for a change to the row itself.")
    action = models.CharField(max_length=8, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["version", "code", "treatment"]
        indexes = [models.Index(fields=["version", "code"])]

    def __str__(self):
        return " ".join(part for part in (self.code, self.treatment, self.action) if part)


# The search's own model (curated synonyms) lives beside it; importing it here registers it.
from .search_models import SearchSynonym  # noqa: E402, F401

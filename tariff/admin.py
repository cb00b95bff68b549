"""Officers read the loaded tariff in the admin; data only changes through the load commands (so
history stays whole). Search synonyms are the one thing officers edit here."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import DataLoad, LegalNote, Rate, SearchSynonym, TariffLine


@admin.register(DataLoad)
class DataLoadAdmin(ReadOnlyAdmin):
    list_display = ["kind", "label", "effective_date", "source_name", "loaded_at"]
    list_filter = ["kind"]


@admin.register(TariffLine)
class TariffLineAdmin(ReadOnlyAdmin):
    list_display = ["printed_code", "description_en", "unit_of_measure", "valid_from", "valid_to"]
    list_filter = ["level", "version"]
    search_fields = ["code", "description_en"]


@admin.register(Rate)
class RateAdmin(ReadOnlyAdmin):
    list_display = ["code", "treatment", "text", "valid_from", "valid_to"]
    list_filter = ["treatment", "version"]
    search_fields = ["code"]


@admin.register(LegalNote)
class LegalNoteAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "valid_from", "valid_to"]
    list_filter = ["kind"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "means", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["term", "means"]

"""The filters of the transaction history, shared by the account's page (and its CSV) and the API
(GET /api/v1/ledger/entries): the same names, the same validation, the same labels in English and
French. The API also takes `program_account` (the page has the account in its address)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import EntryType, LedgerEntry


class EntryFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start date must be on or before the end date."), code="bad_range")
        return data


class EntryFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("From (YYYY-MM-DD)"), field_name="effective_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To (YYYY-MM-DD)"), field_name="effective_date", lookup_expr="lte")
    entry_type = django_filters.ChoiceFilter(label=_("Type"), choices=EntryType.choices, empty_label=_("All types"))
    transaction_number = django_filters.CharFilter(label=_("Transaction number"), max_length=20)
    submitted_by = django_filters.CharFilter(
        label=_("Submitted by (business number)"), field_name="submitted_by_business__bn9", max_length=9
    )

    class Meta:
        model = LedgerEntry
        fields = ["date_from", "date_to", "entry_type", "transaction_number", "submitted_by"]
        form = EntryFilterForm

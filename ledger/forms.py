from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField

from .models import EntryType, OffsettingPreference


class HistoryFilter(forms.Form):
    """Filters of the transaction history (page, CSV and API share them)."""

    date_from = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    date_to = forms.DateField(label=_("To (YYYY-MM-DD)"), required=False)
    entry_type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + EntryType.choices)
    transaction_number = forms.CharField(label=_("Transaction number"), required=False, max_length=20)
    submitted_by = forms.CharField(label=_("Submitted by (business number)"), required=False, max_length=9)

    def filter(self, entries):
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        lookups = {
            "effective_date__gte": data["date_from"],
            "effective_date__lte": data["date_to"],
            "entry_type": data["entry_type"],
            "transaction_number": data["transaction_number"],
            "submitted_by_business__bn9": data["submitted_by"],
        }
        return entries.filter(**{key: value for key, value in lookups.items() if value})


class PreferenceForm(forms.Form):
    offsetting_preference = forms.ChoiceField(label=_("Offsetting preference"), choices=OffsettingPreference.choices)


class RefundForm(forms.Form):
    amount = AmountField(label=_("Amount to refund"), min_value=Decimal("0.01"))

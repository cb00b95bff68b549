from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField

from .models import OffsettingPreference


class PreferenceForm(forms.Form):
    offsetting_preference = forms.ChoiceField(label=_("Offsetting preference"), choices=OffsettingPreference.choices)


class RefundForm(forms.Form):
    amount = AmountField(label=_("Amount to refund"))  # more than zero: offsetting.request_refund says so

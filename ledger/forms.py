from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OffsettingPreference


class PreferenceForm(forms.Form):
    offsetting_preference = forms.ChoiceField(label=_("Offsetting preference"), choices=OffsettingPreference.choices)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to refund"), min_value=0.01, max_digits=15, decimal_places=2)

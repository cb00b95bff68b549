"""The release an officer records (the page and the API read it alike; releases.services checks it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField

from .models import Mode


class ReleaseForm(forms.Form):
    transaction_number = forms.CharField(label=_("Transaction number (14 digits)"), max_length=20)
    account_number = forms.CharField(label=_("Importer's RM account (15 characters)"), max_length=15)
    release_date = forms.DateField(label=_("Release date (YYYY-MM-DD)"))
    release_office = forms.CharField(label=_("Release office (4 digits)"), max_length=4)
    mode = forms.ChoiceField(
        label=_("Release mode"), choices=[(mode, mode.label) for mode in (Mode.RMD, Mode.CLVS)], required=False
    )
    estimated_vfd = AmountField(label=_("Estimated value for duty (dollars)"))
    cargo_control_number = forms.CharField(label=_("Cargo control number"), max_length=25, required=False)

    def release(self) -> dict:
        """The arguments of releases.services.record_release (release on minimum documentation by default)."""
        return {**self.cleaned_data, "mode": self.cleaned_data["mode"] or Mode.RMD}

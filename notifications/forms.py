from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number for text messages"),
        required=False,
        max_length=30,
        help_text=_("Leave empty to receive no text messages. Example: +1 613 555 0123"),
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    daily_digest = forms.BooleanField(
        label=_("Send me the emails that can wait as one daily digest (money and security events still come at once)"),
        required=False,
    )

    def clean_phone(self):
        try:
            return services.normalise_phone(self.cleaned_data["phone"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0], code=error.code) from None


class WatchForm(forms.Form):
    code = forms.CharField(
        label=_("Classification number to watch"),
        max_length=20,
        help_text=_(
            "10 digits for a classification number, 8 for a tariff item; dots may be left out. Example: 0101.21.00.10"
        ),
    )

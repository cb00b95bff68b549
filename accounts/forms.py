from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.forms import phone_validator

from .models import User


class SignupProfileForm(forms.Form):
    """Extra fields allauth's sign-up asks for: the start of the personal profile."""

    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=User.Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The select shows a language before anyone touches it: that one is sent (the page's language).
        self.fields["preferred_language"].initial = translation.get_language() or User.Language.ENGLISH

    def signup(self, request, user):
        user.legal_name = self.cleaned_data["legal_name"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["legal_name", "preferred_language"])


class ProfileForm(forms.ModelForm):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)  # required: blank is refused
    phone = forms.CharField(label=_("Telephone"), max_length=32, required=False, validators=[phone_validator])

    class Meta:
        model = User
        fields = ["legal_name", "preferred_language", "phone"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("For example: brokerage system"))
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, initial=90
    )  # max: CARM_API_TOKEN_MAX_DAYS, in the service
    business_number = forms.CharField(label=_("Limit to one business (BN9, optional)"), max_length=11, required=False)

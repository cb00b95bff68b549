from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField
from registry.bn import parse_bn9

from . import affinity
from .models import Business

PROVINCES = [
    ("", _("Choose a province or territory")),
    ("AB", _("Alberta")),
    ("BC", _("British Columbia")),
    ("MB", _("Manitoba")),
    ("NB", _("New Brunswick")),
    ("NL", _("Newfoundland and Labrador")),
    ("NS", _("Nova Scotia")),
    ("NT", _("Northwest Territories")),
    ("NU", _("Nunavut")),
    ("ON", _("Ontario")),
    ("PE", _("Prince Edward Island")),
    ("QC", _("Quebec")),
    ("SK", _("Saskatchewan")),
    ("YT", _("Yukon")),
]


class BusinessNumberForm(forms.Form):
    bn = forms.CharField(
        label=_("Business number (BN9)"),
        max_length=20,
        help_text=_("The 9 digits the Canada Revenue Agency gave your business, for example 123456782."),
    )

    def clean_bn(self):
        return parse_bn9(self.cleaned_data["bn"])


class IdentityForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name of the business"),
        max_length=200,
        help_text=_("As registered with the Canada Revenue Agency."),
    )
    address_line = forms.CharField(label=_("Street address"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    province = forms.ChoiceField(label=_("Province or territory"), choices=PROVINCES)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10)
    kind = forms.ChoiceField(
        label=_("What does your business do?"),
        choices=[("", _("Choose what your business does")), *Business.Kind.choices],
    )


class AffinityForm(forms.Form):
    """Only the questions asked for this business are kept (affinity.questions)."""

    transaction_number = forms.CharField(
        label=_("Transaction number of one of your imports"),
        max_length=20,
        help_text=_("14 digits, from an accounting declaration of this business."),
    )
    duties_and_taxes = AmountField(
        label=_("Total duties and taxes of that transaction ($)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
    )
    last_payment = AmountField(label=_("Amount of your last payment to the CBSA ($)"), max_digits=14, decimal_places=2)
    last_statement_balance = AmountField(
        label=_("Balance of your last statement of account ($)"),
        max_digits=14,
        decimal_places=2,
    )

    FIELDS_BY_QUESTION = {
        affinity.TRANSACTION: ["transaction_number", "duties_and_taxes"],
        affinity.PAYMENT: ["last_payment"],
        affinity.STATEMENT: ["last_statement_balance"],
    }

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        kept = {name for question in questions for name in self.FIELDS_BY_QUESTION[question]}
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]

    def answers(self) -> affinity.Answers:
        return affinity.Answers(**self.cleaned_data)


class TermsForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read and accept the terms and conditions"),
        error_messages={"required": _("Accept the terms and conditions to continue.")},
    )

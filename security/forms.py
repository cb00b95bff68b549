from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField

from .models import RppStatus, SecurityProgram, SuretyProvider


class ModificationForm(forms.Form):
    proposed_amount = AmountField(
        label=_("Highest month of duties and taxes you propose"), max_digits=15, decimal_places=2
    )
    rationale = forms.CharField(
        label=_("Why the calculation should be modified"), widget=forms.Textarea, max_length=4000
    )


def PROGRAM():  # noqa: N802 (a field factory, read as a field)
    """What an instrument secures: RPP unless the importer gives it for appeals (s.60(1))."""
    return forms.TypedChoiceField(
        label=_("It secures"), choices=SecurityProgram.choices, required=False, empty_value=SecurityProgram.RPP
    )


class BondForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Financial security provider"), queryset=SuretyProvider.objects.filter(is_registered=True)
    )
    number = forms.CharField(label=_("Bond number"), max_length=40)
    amount = AmountField(label=_("Amount"), max_digits=15, decimal_places=2)
    valid_from = forms.DateField(label=_("Valid from (YYYY-MM-DD)"))
    valid_to = forms.DateField(label=_("Valid to (YYYY-MM-DD, optional)"), required=False)
    paper = forms.BooleanField(label=_("This is a paper bond (form BSF259), sent to CBSA by mail"), required=False)
    program = PROGRAM()


class DepositForm(forms.Form):
    amount = AmountField(label=_("Cash deposit"), max_digits=15, decimal_places=2)
    program = PROGRAM()


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Approve")), ("0", _("Refuse"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=4000)


class EnrolmentForm(forms.Form):
    status = forms.ChoiceField(label=_("RPP status"), choices=RppStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)

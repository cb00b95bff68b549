import json

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField
from penalties import catalogue

from .models import Decision, Issue

TEXT = {"rows": 4}


class PenaltyAppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why the penalty should be cancelled or reduced"), widget=forms.Textarea(attrs=TEXT)
    )
    late_reason = forms.CharField(
        label=_("If the 90 days have passed: why the appeal could not be made on time"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )


class RedeterminationForm(forms.Form):
    grounds = forms.CharField(label=_("Why the decision should be changed"), widget=forms.Textarea(attrs=TEXT))


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, PNG or JPEG, 10 MB at most)"))


class TribunalForm(forms.Form):
    filed_on = forms.DateField(label=_("Filed with the Tribunal on (YYYY-MM-DD)"))
    reference = forms.CharField(label=_("Tribunal file number"), max_length=40)


class RationaleForm(forms.Form):
    rationale = forms.CharField(label=_("Rationale to share with the client"), widget=forms.Textarea(attrs=TEXT))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    relief = AmountField(label=_("Amount relieved when partly allowed"), required=False, decimal_places=2)
    reasons = forms.CharField(label=_("Reasons for the decision"), widget=forms.Textarea(attrs=TEXT))


class FindCadForm(forms.Form):
    transaction_number = forms.RegexField(
        label=_("Transaction number of the CAD (14 digits)"),
        regex=r"^\d{14}$",
        error_messages={"invalid": _("A transaction number is 14 digits.")},
    )


class RedetermineForm(forms.Form):
    """An officer's s.59 re-determination: what it is about, why, and the CAD as it should read."""

    issue = forms.ChoiceField(label=_("Issue"), choices=Issue.choices)
    subject = forms.CharField(label=_("What the issue is about (a tariff item, an origin)"), max_length=120)
    reasons = forms.CharField(label=_("Reasons given to the importer"), widget=forms.Textarea(attrs=TEXT))
    payload = forms.CharField(
        label=_("The CAD as it should now read (JSON, as the API takes it)"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
    )

    def clean_payload(self):
        try:
            payload = json.loads(self.cleaned_data["payload"])
        except ValueError as error:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s): %(message)s"),
                code="invalid_json",
                params={"line": getattr(error, "lineno", "?"), "message": getattr(error, "msg", str(error))},
            ) from None
        if not isinstance(payload, dict):
            raise forms.ValidationError(_("Send the declaration as a JSON object."), code="invalid")
        return payload


class OutageForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts (YYYY-MM-DD HH:MM)"))
    ends_at = forms.DateTimeField(label=_("Ends (YYYY-MM-DD HH:MM)"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXT))
    message_en = forms.CharField(label=_("Message to clients in English"), max_length=500)
    message_fr = forms.CharField(label=_("Message to clients in French"), max_length=500)


class AssessForm(forms.Form):
    account = forms.CharField(label=_("Importer account (BN15)"), max_length=15)
    contravention = forms.ChoiceField(label=_("Contravention"), choices=())
    occurred_on = forms.DateField(label=_("Contravention date (YYYY-MM-DD)"))
    reference = forms.CharField(label=_("Document the penalty is for"), max_length=60)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contravention"].choices = [
            (code, f"{code} — {item.description}") for code, item in sorted(catalogue.contraventions().items())
        ]

"""Forms of the ruling pages. They read what was typed; every rule is rulings.services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Capacity, Kind, Status

YES_NO = [("", _("Choose an answer")), ("yes", _("Yes")), ("no", _("No"))]


class YesNo(forms.TypedChoiceField):
    """A question answered Yes or No; left unanswered, None (services name the missing answer)."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=YES_NO, coerce=lambda value: value == "yes", empty_value=None, required=False, **kwargs
        )

    def prepare_value(self, value):
        return {True: "yes", False: "no"}.get(value, value)


class ContextForm(forms.Form):
    """Step 1: the ruling's context."""

    account = forms.ChoiceField(label=_("Importer account"))
    kind = forms.ChoiceField(label=_("Kind of ruling"), choices=[("", _("Choose a kind"))] + Kind.choices)
    agreement = forms.ChoiceField(
        label=_("Free trade agreement (origin rulings)"), choices=[("", "—")] + Agreement.choices, required=False
    )
    offices = forms.CharField(
        label=_("Ports of entry"),
        required=False,
        help_text=_("CBSA office codes separated by commas, e.g. 0497, 0453. Find a code with the search above."),
    )
    under_verification = YesNo(label=_("Are the goods under verification, audit or appeal?"))
    other_ruling = YesNo(label=_("Are the goods the subject of another ruling or request?"))
    imported_before = YesNo(label=_("Were the goods imported before?"))
    consents_to_publication = forms.BooleanField(
        label=_("I consent to the publication of the ruling, without my name or business details"), required=False
    )

    def __init__(self, *args, accounts=(), locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(number, number) for number in accounts]
        if locked:  # a draft keeps its account and kind
            del self.fields["account"], self.fields["kind"]

    def answers(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name not in ("account", "kind", "offices")}
        data["offices"] = [code.strip() for code in self.cleaned_data["offices"].replace(";", ",").split(",")]
        return data


class DetailsForm(forms.Form):
    """Step 2: the applicant and the goods."""

    capacity = forms.ChoiceField(
        label=_("Applicant capacity"), choices=[("", _("Choose a capacity"))] + Capacity.choices, required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=30, required=False)
    trade_names = forms.CharField(label=_("Trade names, brands and models"), max_length=300, required=False)
    description = forms.CharField(label=_("Full description of the goods"), widget=forms.Textarea, required=False)
    composition = forms.CharField(label=_("Composition"), widget=forms.Textarea, required=False)
    manufacturing_process = forms.CharField(label=_("Manufacturing process"), widget=forms.Textarea, required=False)
    use = forms.CharField(label=_("Use"), widget=forms.Textarea, required=False)
    proposed_classification = forms.CharField(
        label=_("Proposed classification number"),
        max_length=16,
        required=False,
        help_text=_("10 digits, e.g. 2201.90.00.00"),
    )
    proposed_reasons = forms.CharField(
        label=_("Reasons for the proposed classification"), widget=forms.Textarea, required=False
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Literature, photo or drawing (PDF, PNG or JPEG, 10 MB at most)"), required=False)


class MessageForm(forms.Form):
    message = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=5000)


class OfficerForm(forms.Form):
    """An officer's step; the services check which fields the step needs."""

    event = forms.ChoiceField(label=_("Step"))
    message = forms.CharField(label=_("Message to the applicant"), widget=forms.Textarea, required=False)
    classification = forms.CharField(label=_("Classification number ruled"), max_length=16, required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea, required=False)
    effective_date = forms.DateField(label=_("Effective date (YYYY-MM-DD)"), required=False)

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = events


class ModificationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Why should the ruling be modified?"))
    message = forms.CharField(label=_("Explain"), widget=forms.Textarea, max_length=5000)

    def __init__(self, *args, grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [("", _("Choose a reason"))] + list(grounds)


class ListFilter(forms.Form):
    """The applicant's list: submission date range, kind, status, case number."""

    submitted_from = forms.DateField(label=_("Submitted from (YYYY-MM-DD)"), required=False)
    submitted_to = forms.DateField(label=_("Submitted to (YYYY-MM-DD)"), required=False)
    kind = forms.ChoiceField(label=_("Kind of ruling"), choices=[("", _("All"))] + Kind.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + Status.choices, required=False)
    case_number = forms.CharField(label=_("Case number"), max_length=20, required=False)

    def filter(self, rulings):
        if not self.is_valid():
            return rulings.none()
        data = self.cleaned_data
        if data["submitted_from"]:
            rulings = rulings.filter(submitted_on__gte=data["submitted_from"])
        if data["submitted_to"]:
            rulings = rulings.filter(submitted_on__lte=data["submitted_to"])
        if data["kind"]:
            rulings = rulings.filter(kind=data["kind"])
        if data["status"]:
            rulings = rulings.filter(status=data["status"])
        if data["case_number"]:
            rulings = rulings.filter(case_number__icontains=data["case_number"].strip())
        return rulings


class RegisterSearch(forms.Form):
    q = forms.CharField(label=_("Words describing the goods"), max_length=200, required=False)
    code = forms.CharField(label=_("Classification number (or its start)"), max_length=16, required=False)
    kind = forms.ChoiceField(label=_("Kind of ruling"), choices=[("", _("All"))] + Kind.choices, required=False)

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CLIENT_ROLES, Relationship


class CheckboxesMixin:
    """One checkbox per item (fields named <prefix><key>): program accounts, clients."""

    def add_checkboxes(self, prefix, items: dict, chosen=()):
        """items: key → (label, object)."""
        self.checkboxes = {prefix + key: item for key, (_label, item) in items.items()}
        for key, (label, item) in items.items():
            self.fields[prefix + key] = forms.BooleanField(label=label, required=False, initial=item in chosen)

    def checked(self):
        return [item for name, item in self.checkboxes.items() if self.cleaned_data.get(name)]


class RequestForm(forms.Form):
    bn = forms.CharField(label=_("Business number (BN9) of the other business"), max_length=20)
    scope = forms.ChoiceField(label=_("Access asked for"), choices=Relationship.Scope.choices)
    accounts = forms.CharField(
        label=_("Program accounts (BN15), for program management"),
        required=False,
        max_length=500,
        help_text=_("Separate several numbers with commas, for example 123456782RM0001."),
    )
    note = forms.CharField(label=_("Message"), widget=forms.Textarea, required=False, max_length=1000)
    allows_payments = forms.BooleanField(label=_("The service provider may pay amounts owing"), required=False)

    def __init__(self, *args, inviting, **kwargs):
        super().__init__(*args, **kwargs)
        if not inviting:  # only the importer grants payments
            del self.fields["allows_payments"]

    def account_numbers(self):
        return [n.strip() for n in self.cleaned_data["accounts"].split(",") if n.strip()]


class TermsForm(CheckboxesMixin, forms.Form):
    scope = forms.ChoiceField(label=_("Scope"), choices=Relationship.Scope.choices)
    expires_on = forms.DateField(
        label=_("Expiry date"),
        widget=forms.DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("YYYY-MM-DD. At most what you choose; never in the past."),
    )
    sees_provider = forms.BooleanField(label=_("Records submitted by this service provider"), required=False)
    sees_importer = forms.BooleanField(label=_("Records submitted by the importer"), required=False)
    sees_others = forms.BooleanField(label=_("Records submitted by other businesses"), required=False)
    allows_payments = forms.BooleanField(label=_("The service provider may pay amounts owing"), required=False)
    reason = forms.CharField(
        label=_("Reason (required to reject)"), widget=forms.Textarea, required=False, max_length=1000
    )

    def __init__(self, *args, accounts, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_checkboxes("account_", {a.number: (a.number, a) for a in accounts}, list(chosen))
        self.order_fields(["scope", *self.checkboxes])  # accounts right after scope

    def terms(self):
        data = self.cleaned_data
        return {
            "scope": data["scope"],
            "accounts": self.checked(),
            "expires_on": data["expires_on"],
            "sees_provider": data["sees_provider"],
            "sees_importer": data["sees_importer"],
            "sees_others": data["sees_others"],
            "allows_payments": data["allows_payments"],
        }


class ReasonForm(forms.Form):
    """A provider accepting or declining an importer's invitation (the importer sets the terms)."""

    reason = forms.CharField(
        label=_("Reason (required to reject)"), widget=forms.Textarea, required=False, max_length=1000
    )

    def terms(self):
        return {}


class AssignmentForm(forms.Form):
    person = forms.ChoiceField(label=_("Employee or group"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("No access")), *[(r.value, r.label) for r in CLIENT_ROLES]], required=False
    )

    def __init__(self, *args, people, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {f"user-{u.pk}": ("user", u) for u in people}
        self.options.update({f"group-{g.pk}": ("group", g) for g in groups})
        self.fields["person"].choices = [
            ("", _("Choose an employee or group")),  # nothing preselected: the browser shows what is sent
            *[(f"user-{u.pk}", f"{u} ({u.email})") for u in people],
            *[(f"group-{g.pk}", _("Group: %(name)s") % {"name": g.name}) for g in groups],
        ]

    def holder(self) -> dict:
        kind, holder = self.options[self.cleaned_data["person"]]
        return {kind: holder}


class ClientGroupForm(CheckboxesMixin, forms.Form):
    name = forms.CharField(label=_("Name of the client group"), max_length=100)

    def __init__(self, *args, relationships, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        clients = {str(r.pk): (f"{r.importer.legal_name} ({r.importer.bn9})", r) for r in relationships}
        self.add_checkboxes("client_", clients, list(chosen))


class BulkRequestForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One importer business number (BN9) a row, optionally followed by program account numbers (BN15)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError(_("The file is larger than 1 MB."), code="too_large")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as CSV in UTF-8."), code="encoding") from None

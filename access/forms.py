from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PROGRAM_ROLES

ROLE_CHOICES = [("", _("No access")), *[(role.value, role.label) for role in PROGRAM_ROLES]]
PREFIX = "account_"


class AccessRequestForm(forms.Form):
    bn = forms.CharField(label=_("Your employer's business number (BN9)"), max_length=20)
    note = forms.CharField(
        label=_("Why do you need access?"),
        widget=forms.Textarea,
        max_length=1000,
        help_text=_("For example: your position and the work you do for the business."),
    )


class RoleAssignmentForm(forms.Form):
    """One role choice per program account the manager may manage (fields named account_<BN15>),
    and, for a BAM, whether the person becomes a business account manager too."""

    def __init__(self, *args, accounts, current=None, with_bam=False, is_bam=False, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.accounts = {account.number: account for account in accounts}
        if with_bam:
            self.fields["bam"] = forms.BooleanField(
                label=_("Business account manager (all program accounts)"), required=False, initial=is_bam
            )
        for number in self.accounts:
            self.fields[PREFIX + number] = forms.ChoiceField(
                label=_("Role on %(account)s") % {"account": number},
                choices=ROLE_CHOICES,
                required=False,
                initial=current.get(number, ""),
            )

    def unknown_accounts(self) -> list[str]:
        """Program account numbers posted that this form did not offer: forged or stale."""
        return [
            key[len(PREFIX) :]
            for key in self.data
            if key.startswith(PREFIX) and key[len(PREFIX) :] not in self.accounts
        ]

    def roles(self) -> dict:
        return {account: self.cleaned_data[PREFIX + number] or None for number, account in self.accounts.items()}


class DecisionForm(RoleAssignmentForm):
    reason = forms.CharField(
        label=_("Reason (required to reject)"), widget=forms.Textarea, required=False, max_length=1000
    )


class GroupForm(RoleAssignmentForm):
    name = forms.CharField(label=_("Group name"), max_length=100)
    members = forms.MultipleChoiceField(label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(user.pk): user for user in people}
        self.fields["members"].choices = [(pk, f"{user} ({user.email})") for pk, user in self.people.items()]
        self.order_fields(["name", "members"])

    def chosen_members(self):
        return [self.people[pk] for pk in self.cleaned_data["members"]]

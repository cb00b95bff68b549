from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Format, Subscription


class ChannelForm(forms.Form):
    callback_url = forms.URLField(
        label=_("Callback URL"),
        required=False,
        assume_scheme="https",
        help_text=_("Where your system receives responses and status changes (leave blank to use the pull queue only)"),
    )
    format = forms.ChoiceField(label=_("Format of what we send you"), choices=Format.choices)


class SubscriptionForm(forms.Form):
    program_account = forms.ChoiceField(label=_("Program account"))
    document = forms.ChoiceField(label=_("Document"), choices=Subscription.Document.choices)
    channel = forms.ChoiceField(label=_("Send to"), help_text=_("Your channel or your service provider's"))

    def __init__(self, *args, accounts=(), channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program_account"].choices = [(a.number, a.number) for a in accounts]
        none = [("", _("Do not send by EDI"))]
        self.fields["channel"].choices = none + [
            (c.business.bn9, f"{c.business.legal_name} ({c.business.bn9})") for c in channels
        ]
        self.fields["channel"].required = False

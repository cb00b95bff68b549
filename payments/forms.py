import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import AmountField

from .gateways import CARD_ERROR_FIELDS, gateway
from .models import PAYABLE_KINDS, Method, PadAgreement, PaymentLine


class KeyForm(forms.Form):
    """The idempotency key of a payment form (a second submit of it is the same payment)."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class PaymentForm(KeyForm):
    """How to pay, and the idempotency key of this form."""

    method = forms.ChoiceField(widget=forms.HiddenInput, choices=[(Method.CARD, Method.CARD), (Method.PAD, Method.PAD)])


class TransactionsField(forms.TypedMultipleChoiceField):
    """Ticked rows of open transactions: an entry's id, or a run of daily interest's ids joined by
    commas (one box on the page); every id is still checked against the account's open debits."""

    def to_python(self, value):
        return [part.strip() for item in super().to_python(value) for part in item.split(",")]


class LineForm(forms.Form):
    """What to pay on one program account (the form's prefix is its BN15)."""

    kind = forms.ChoiceField(
        label=_("What to pay"), required=False, choices=[("", _("Nothing on this account")), *PAYABLE_KINDS]
    )
    amount = AmountField(label=_("Amount, when paying another amount"), required=False)
    transactions = TransactionsField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, account, owing, entries, **kwargs):
        super().__init__(*args, prefix=account.number, **kwargs)
        self.account, self.owing, self.entries = account, owing, entries
        self.fields["transactions"].choices = [(entry.pk, entry.pk) for entry in entries]
        if owing is None:  # the account's totals are hidden from this payer: no "balance" nor "amount due"
            hidden = {PaymentLine.Kind.BALANCE, PaymentLine.Kind.DUE}
            self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] not in hidden]

    def clean(self):
        data = super().clean()
        if data.get("kind") == PaymentLine.Kind.AMOUNT and data.get("amount") is None:
            self.add_error("amount", _("Enter the amount to pay."))
        return data

    @property
    def checked(self) -> set[int]:
        ticked = (part for value in self["transactions"].value() or [] for part in str(value).split(","))
        return {int(part) for part in ticked if part.isascii() and part.isdigit()}

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data["kind"]:
            return None
        return {
            "program_account": self.account.number,
            "kind": data["kind"],
            "amount": data["amount"] if data["kind"] == PaymentLine.Kind.AMOUNT else None,
            "transactions": data["transactions"] if data["kind"] == PaymentLine.Kind.TRANSACTIONS else [],
        }


class CardForm(forms.Form):
    """The card goes to the gateway, which returns a token; the number and CVV are never kept."""

    name = forms.CharField(
        label=_("Name on the card"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "cc-name"})
    )
    number = forms.CharField(
        label=_("Card number"), max_length=23, widget=forms.TextInput(attrs={"autocomplete": "cc-number"})
    )
    expiry = forms.RegexField(
        label=_("Expiry (MM/YY)"),
        regex=r"^\s*\d{1,2}\s*/\s*\d{2}\s*$",
        error_messages={"invalid": _("Enter the expiry as MM/YY.")},
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp"}),
    )
    cvv = forms.CharField(
        label=_("Security code (CVV)"), max_length=4, widget=forms.PasswordInput(attrs={"autocomplete": "cc-csc"})
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        month, year = (int(part) for part in data["expiry"].split("/"))
        try:
            self.token = gateway().tokenize(data["number"], month, 2000 + year, data["cvv"].strip())
        except ValidationError as error:
            self.add_error(CARD_ERROR_FIELDS.get(error.code), error)
        return data


class PadPaymentForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("PAD agreement"), queryset=PadAgreement.objects.none())
    debit_date = forms.DateField(label=_("Debit date (YYYY-MM-DD)"))

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = (
            lambda pad: f"{pad.program_account.number} — {pad.institution}-{pad.transit} {pad.masked_account}"
        )
        self.fields["debit_date"].initial = timezone.localdate() + dt.timedelta(days=1)


class PadAgreementForm(forms.ModelForm):
    text_version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(label=_("I have read the PAD agreement above and I accept it."))

    class Meta:
        model = PadAgreement
        fields = ["holder_name", "institution", "transit", "account_number"]


class RemittanceForm(forms.Form):
    file = forms.FileField(label=_("Remittance file (CSV)"))

"""Forms accept what they show (issue 17, item 5): one input convention in both languages — dates
shown as YYYY-MM-DD (what their labels ask and their validators take), amounts as either language
writes them, a language select that sends what it shows; and bad input refused with a specific
message (a blank legal name, a phone that is not one)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from accounts.forms import ProfileForm, SignupProfileForm
from core.forms import AmountField
from ledger.forms import RefundForm
from payments.forms import PadPaymentForm
from payments.models import PadAgreement


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("10000,50", "10000.50"),  # French decimal comma
        ("10 000,50 $", "10000.50"),
        ("10\u00a0000,50\u00a0$", "10000.50"),  # as the French pages print it
        ("$10,000.50", "10000.50"),  # as the English pages print it
        ("10000.50", "10000.50"),
        ("1,500", "1500"),  # a comma before three digits groups thousands
    ],
)
def test_an_amount_is_read_as_either_language_writes_it(typed, amount):
    assert AmountField().clean(typed) == Decimal(amount)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_refund_form_takes_a_french_decimal_comma(language):
    with translation.override(language):
        form = RefundForm({"amount": "10000,50"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("10000.50")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_pad_debit_date_default_is_shown_as_its_label_asks_and_its_validator_takes_it(db, language):
    with translation.override(language):
        form = PadPaymentForm(agreements=PadAgreement.objects.none())
        html = render_to_string("portal/includes/field.html", {"field": form["debit_date"]})
        tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        assert f'value="{tomorrow}"' in html
        bound = PadPaymentForm({"debit_date": tomorrow}, agreements=PadAgreement.objects.none())
        bound.is_valid()
        assert "debit_date" not in bound.errors


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_sign_up_language_select_sends_the_language_it_shows(client, db, language):
    with translation.override(language):
        assert SignupProfileForm().fields["preferred_language"].initial == language
    page = client.get(f"/{language}/account/signup/").content.decode()
    assert f'<option value="{language}" selected>' in page


def test_a_blank_legal_name_and_a_phone_that_is_not_one_are_refused(alice):
    form = ProfileForm({"legal_name": "   ", "preferred_language": "en", "phone": "call me maybe"}, instance=alice)
    assert not form.is_valid()
    assert set(form.errors) == {"legal_name", "phone"}
    assert "10 digits" in form.errors["phone"][0]
    with translation.override("fr"):
        form = ProfileForm({"legal_name": "", "preferred_language": "fr", "phone": "appelez-moi"}, instance=alice)
        assert not form.is_valid() and "10 chiffres" in form.errors["phone"][0]


@pytest.mark.parametrize("phone", ["613-555-0123", "(613) 555-0123", "+1 613 555 0123", "613.555.0123 ext. 12"])
def test_a_real_phone_number_is_accepted(alice, phone):
    form = ProfileForm({"legal_name": "Alice Tremblay", "preferred_language": "en", "phone": phone}, instance=alice)
    assert form.is_valid(), form.errors

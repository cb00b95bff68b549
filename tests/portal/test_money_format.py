"""Amounts read the way each official language writes Canadian dollars."""

from decimal import Decimal

from django.utils import translation

from portal.templatetags.portal import money


def test_english_puts_the_dollar_sign_first_with_comma_thousands():
    with translation.override("en"):
        assert money(Decimal("31950")) == "$31,950.00"
        assert money("-1597.5") == "-$1,597.50"


def test_french_uses_a_decimal_comma_spaced_thousands_and_a_trailing_dollar_sign():
    with translation.override("fr"):
        assert money(Decimal("31950.00")) == "31\u00a0950,00\u00a0$"


def test_something_that_is_not_an_amount_is_shown_as_is():
    assert money("n/a") == "n/a"

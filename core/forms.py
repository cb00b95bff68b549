"""Form fields that accept what the pages show, in both official languages: one input convention
for amounts (issue 17, item 5). Dates are YYYY-MM-DD everywhere (portal's `input_value` filter
shows them so); amounts may be written as either language writes them."""

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"[\s\u00a0\u202f$]")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")


def normalize_amount(value):
    """10 000,50 $ / 10000,50 (French) and $10,000.50 / 10000.50 (English) → 10000.50. A comma with
    one or two digits after it is a decimal comma; any other comma groups thousands."""
    if not isinstance(value, str):
        return value
    text = _SPACES.sub("", value)
    if _DECIMAL_COMMA.match(text):
        return text.replace(",", ".")
    return text.replace(",", "")


class AmountField(forms.DecimalField):
    """A dollar amount, two decimals, written as either language writes it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(normalize_amount(value))


phone_validator = RegexValidator(
    r"^\+?1?[\s.\-]?\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}(\s*(x|ext\.?|poste)\s*\d{1,6})?$",
    _("Enter a telephone number of 10 digits, for example 613-555-0123 (an extension may follow: ext. 123)."),
    code="invalid_phone",
)

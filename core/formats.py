"""Amounts as each official language writes them, for pages and for messages built in services."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language

NBSP = "\u00a0"  # French keeps groups of digits and the $ sign on one line


def money(amount, lang: str | None = None) -> str:
    """Canadian dollars: $1,500.00 in English, 1 500,00 $ in French (the active language by default)."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(amount)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):,.2f}".split(".")
    if (lang or get_language()) == "fr":
        return sign + whole.replace(",", NBSP) + "," + cents + NBSP + "$"
    return f"{sign}${whole}.{cents}"

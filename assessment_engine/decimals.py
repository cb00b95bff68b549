"""Decimal coercion and cent rounding shared by the rate and assessment modules."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InvalidValueError, NegativeValueError, NonNumericError

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Far above any real line, far below where 28-digit Decimal arithmetic would lose cents.
LIMIT = Decimal("1e15")


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half up: CBSA rounds every assessed amount this way."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: object, field: str, *, positive: bool = False) -> Decimal:
    """A finite, non-negative Decimal from a Decimal, an int or a numeric string.

    Floats are refused: they cannot hold most cent amounts exactly.
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise NonNumericError(f"{value!r} is not a number", field) from None
    else:
        raise NonNumericError(f"{value!r} is not a number (give a Decimal, an int or a numeric string)", field)
    if not number.is_finite():
        raise NonNumericError(f"{value!r} is not a finite number", field)
    if number >= LIMIT:
        raise InvalidValueError(f"{field} is implausibly large (got {number})", field)
    if number < 0:
        raise NegativeValueError(f"{field} must not be negative (got {number})", field)
    if positive and number == 0:
        raise InvalidValueError(f"{field} must be greater than zero", field)
    return number

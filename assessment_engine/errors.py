"""Errors of the assessment engine.

Every error carries a machine `code`, the input `field` it concerns and a human `message`, so the
API layer can turn any of them into a structured error without knowing the subclasses.
"""


class AssessmentError(ValueError):
    code = "assessment_error"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "code": self.code, "message": self.message}


class RateParseError(AssessmentError):
    """A tariff rate text that does not follow any known form."""

    code = "rate_unparseable"

    def __init__(self, text: object, position: int, reason: str, field: str | None = "rate"):
        super().__init__(f"cannot parse rate {text!r} at position {position}: {reason}", field)
        self.text = text
        self.position = position
        self.reason = reason


class InvalidValueError(AssessmentError):
    code = "invalid"


class NonNumericError(InvalidValueError):
    code = "not_a_number"


class NegativeValueError(InvalidValueError):
    code = "negative"


class MissingValueError(AssessmentError):
    code = "required"


class MissingQuantityError(MissingValueError):
    """A specific rate is charged per unit, so it cannot be assessed without a quantity."""

    code = "quantity_required"


class UnknownUnitError(AssessmentError):
    code = "unknown_unit"


class UnitMismatchError(AssessmentError):
    """The declared quantity's unit cannot be converted to the unit a rate is charged in."""

    code = "unit_mismatch"

    def __init__(self, rate_unit: str, quantity_unit: str, field: str | None = "unit", reason: str = ""):
        super().__init__(
            f"a rate per {rate_unit} cannot be applied to a quantity in {quantity_unit}"
            + (f" ({reason})" if reason else ""),
            field,
        )
        self.rate_unit = rate_unit
        self.quantity_unit = quantity_unit


class RateNotAssessableError(AssessmentError):
    """The rate exists in the tariff but gives no amount (`N/A`, `See Note 1`)."""

    code = "rate_not_assessable"

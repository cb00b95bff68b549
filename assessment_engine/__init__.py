"""The duty and tax assessment engine: pure Python and Decimal, no Django.

>>> from decimal import Decimal
>>> rate = parse_rate("243 % but not less than $2.82/kg")  # once, when the tariff is loaded
>>> line = Line(rate=rate, vfd=Decimal("100.00"), quantity=Decimal("100"), unit="KGM")
>>> assess_line(line).cud
Decimal('282.00')
"""

from .assess import (
    GST_RATE,
    RULES,
    AmountType,
    Charge,
    DeclarationAssessment,
    Explanation,
    Line,
    LineAssessment,
    assess_declaration,
    assess_line,
)
from .decimals import cents
from .errors import (
    AssessmentError,
    InvalidValueError,
    MissingQuantityError,
    MissingValueError,
    NegativeValueError,
    NonNumericError,
    RateNotAssessableError,
    RateParseError,
    UnitMismatchError,
    UnknownUnitError,
)
from .rates import Rate, RateKind, as_rate, parse_rate
from .units import UNITS, Unit, convert

__all__ = [
    "GST_RATE",
    "RULES",
    "UNITS",
    "AmountType",
    "AssessmentError",
    "Charge",
    "DeclarationAssessment",
    "Explanation",
    "InvalidValueError",
    "Line",
    "LineAssessment",
    "MissingQuantityError",
    "MissingValueError",
    "NegativeValueError",
    "NonNumericError",
    "Rate",
    "RateKind",
    "RateNotAssessableError",
    "RateParseError",
    "UnitMismatchError",
    "Unit",
    "UnknownUnitError",
    "as_rate",
    "assess_declaration",
    "assess_line",
    "cents",
    "convert",
    "parse_rate",
]

"""Transaction numbers (domain brief §1): 14 digits = 5-digit account security number + 8-digit
sequence + 1 check digit.

The check digit as broker software computes it [CODE]: over the first 13 digits, left to right with
0-based index i, double the digit when i is odd (a product of 10 or more counts as the sum of its
two digits), sum everything; the check digit is that sum mod 10. The official text (D17-1-10
Appendix F) was not retrieved: `check_digit` is the one place the algorithm lives; making and
validating numbers both call it.
"""

import re

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from .models import SecurityNumber

_FORMAT = re.compile(r"\d{14}")
FIRST_SECURITY_NUMBER = 10000
MAX_SEQUENCE = 10**8 - 1


class TransactionNumberError(ValueError):
    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code, self.message = code, message


def check_digit(first13: str) -> str:
    total = 0
    for index, char in enumerate(first13):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit >= 10:
                digit -= 9  # the sum of its two digits
        total += digit
    return str(total % 10)


def normalise(text) -> str:
    """Digits only: brokers print numbers with spaces or dashes (10207 00350233 2)."""
    return re.sub(r"[\s-]", "", str(text or ""))


def validate(text) -> str:
    """The number without separators, or TransactionNumberError (malformed / bad_check_digit)."""
    number = normalise(text)
    if not _FORMAT.fullmatch(number):
        raise TransactionNumberError(
            "malformed_transaction_number", _("A transaction number is 14 digits, e.g. 10207003502332.")
        )
    if check_digit(number[:13]) != number[13]:
        raise TransactionNumberError(
            "bad_check_digit", _("The check digit of this transaction number is wrong: check for a mistyped digit.")
        )
    return number


def make(security_number: str, sequence: int) -> str:
    first13 = f"{security_number}{sequence:08d}"
    return first13 + check_digit(first13)


def security_number_of(business) -> SecurityNumber:
    """The business's account security number, allotted on its first CAD (the next free one)."""
    found = SecurityNumber.objects.filter(business=business).first()
    if found is not None:
        return found
    for _attempt in range(5):
        highest = SecurityNumber.objects.aggregate(highest=Max("number"))["highest"]
        number = f"{max(FIRST_SECURITY_NUMBER, int(highest or 0) + 1):05d}"
        try:
            with transaction.atomic():
                return SecurityNumber.objects.create(business=business, number=number)
        except IntegrityError:  # another request allotted it at the same moment
            found = SecurityNumber.objects.filter(business=business).first()
            if found is not None:
                return found
    raise RuntimeError("could not allot an account security number")


def next_number(business) -> str:
    """A new transaction number of `business` (its security number, the next sequence)."""
    return next_numbers(business, 1)[0]


def next_numbers(business, count: int) -> list[str]:
    """`count` new transaction numbers of `business` (a batch's): one UPDATE ... RETURNING, whose
    row lock lasts until the transaction using the numbers ends."""
    column = {field.name: connection.ops.quote_name(field.column) for field in SecurityNumber._meta.concrete_fields}
    sql = (
        f"UPDATE {connection.ops.quote_name(SecurityNumber._meta.db_table)} "
        f"SET {column['next_sequence']} = {column['next_sequence']} + %s WHERE {column['business']} = %s "
        f"RETURNING {column['number']}, {column['next_sequence']} - %s"
    )
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [count, business.pk, count])
            row = cursor.fetchone()
        if row is not None:
            break
        security_number_of(business)  # the business's first CAD: allot its number
    security, first = row
    if first + count - 1 > MAX_SEQUENCE:
        raise TransactionNumberError("sequence_exhausted", _("This account security number has no numbers left."))
    return [make(security, sequence) for sequence in range(first, first + count)]


def belongs_to(number: str, business) -> bool:
    """Whether a (valid) number was made from `business`'s account security number."""
    return SecurityNumber.objects.filter(business=business, number=number[:5]).exists()

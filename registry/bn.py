"""Business Number rules (CRA). A BN9 identifies a legal entity: 8 digits and a Luhn check digit.
A BN15 is a program account: BN9 + a two-letter program identifier + a 4-digit reference,
e.g. 123456782RM0001. python-stdnum does the checking; its BN15 check knows only RC/RM/RP/RT, so
we check the program identifier ourselves against the full list below.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.ca import bn as stdnum_bn
from stdnum.exceptions import InvalidChecksum, InvalidFormat


class Program(models.TextChoices):
    IMPORT_EXPORT = "RM", _("Import-export (customs)")
    GST_HST = "RT", _("GST/HST")
    PAYROLL = "RP", _("Payroll deductions")
    CORPORATE_INCOME_TAX = "RC", _("Corporate income tax")
    EXCISE_DUTY = "RD", _("Excise duty")
    EXCISE_TAX = "RE", _("Excise tax")
    CHARITY = "RR", _("Registered charity")
    INSURANCE_PREMIUM_TAX = "RN", _("Insurance premium tax")
    AIR_TRAVELLERS_CHARGE = "RG", _("Air travellers security charge")
    INFORMATION_RETURNS = "RZ", _("Information returns")


class AccountType(models.TextChoices):
    """What an import-export (RM) account is used for."""

    IMPORTER = "importer", _("Importer")
    EXPORTER = "exporter", _("Exporter")
    BOTH = "both", _("Importer and exporter")


# Only import-export accounts are customs program accounts.
CUSTOMS_PROGRAMS = {Program.IMPORT_EXPORT}


def compact(value: str) -> str:
    """Spaces and dashes removed, letters upper-cased: ' 12345 6782-rm 0001' -> '123456782RM0001'."""
    return stdnum_bn.compact(value or "").upper()


def _check_bn9(number: str) -> None:
    try:
        stdnum_bn.validate(number)
    except InvalidFormat:
        raise ValidationError(_("A business number has digits only."), code="bn_format") from None
    except InvalidChecksum:
        raise ValidationError(
            _("%(number)s is not a valid business number: its check digit is wrong.") % {"number": number},
            code="bn_checksum",
        ) from None


def parse_bn9(value: str) -> str:
    """The BN9 in `value`, or a ValidationError saying precisely what is wrong."""
    number = compact(value)
    if len(number) != 9:
        raise ValidationError(
            _("A business number has 9 digits (you entered %(count)s characters).") % {"count": len(number)},
            code="bn_length",
        )
    _check_bn9(number)
    return number


def parse_bn15(value: str) -> str:
    """The program account number (BN15) in `value`, or a ValidationError saying what is wrong."""
    number = compact(value)
    if len(number) != 15:
        raise ValidationError(
            _("A program account number has 15 characters, like 123456782RM0001 (you entered %(count)s).")
            % {"count": len(number)},
            code="bn15_length",
        )
    _check_bn9(number[:9])
    if number[9:11] not in Program.values:
        raise ValidationError(
            _("%(program)s is not a CRA program identifier (RM is import-export).") % {"program": number[9:11]},
            code="bn_program",
        )
    if not (number[11:].isascii() and number[11:].isdigit()):
        raise ValidationError(_("A program account reference has 4 digits."), code="bn_format")
    return number

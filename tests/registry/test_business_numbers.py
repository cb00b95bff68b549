import pytest
from django.core.exceptions import ValidationError

from registry.bn import CUSTOMS_PROGRAMS, Program, parse_bn9, parse_bn15


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("123456782", "123456782"),
        ("123 456 782", "123456782"),
        ("123-456-782", "123456782"),
        ("12302 6635", "123026635"),
        ("876543216", "876543216"),
        ("456789122", "456789122"),
    ],
)
def test_valid_business_numbers_are_normalized(typed, expected):
    assert parse_bn9(typed) == expected


@pytest.mark.parametrize(
    "typed, code",
    [
        ("123456789", "bn_checksum"),  # the classic made-up number fails the Luhn check
        ("123456783", "bn_checksum"),
        ("12345678", "bn_length"),
        ("1234567820", "bn_length"),
        ("", "bn_length"),
        ("12345678Z", "bn_format"),
    ],
)
def test_invalid_business_numbers_say_precisely_why(typed, code):
    with pytest.raises(ValidationError) as refused:
        parse_bn9(typed)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("123456782RM0001", "123456782RM0001"),
        ("123456782 rm 0002", "123456782RM0002"),
        ("123026635-RD-0001", "123026635RD0001"),  # a program python-stdnum does not know
        ("123026635RZ0001", "123026635RZ0001"),
    ],
)
def test_program_accounts_are_normalized(typed, expected):
    assert parse_bn15(typed) == expected


@pytest.mark.parametrize(
    "typed, code",
    [
        ("123456782XX0001", "bn_program"),
        ("123456789RM0001", "bn_checksum"),
        ("123456782RM001", "bn15_length"),
        ("123456782RM00A1", "bn_format"),
    ],
)
def test_invalid_program_accounts_say_precisely_why(typed, code):
    with pytest.raises(ValidationError) as refused:
        parse_bn15(typed)
    assert refused.value.code == code


def test_only_import_export_accounts_are_customs_accounts():
    assert len(Program.values) == 10
    assert CUSTOMS_PROGRAMS == {Program.IMPORT_EXPORT}

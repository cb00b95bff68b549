"""Transaction numbers: 5-digit account security number + 8-digit sequence + check digit, the one
check-digit function shared by making and validating numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from declarations import transaction_numbers as numbers


@pytest.mark.parametrize("real", ["10207003502332", "13284006000241"])
def test_real_numbers_have_a_valid_check_digit(real):
    assert numbers.check_digit(real[:13]) == real[13]
    assert numbers.validate(real) == real


def test_separators_are_ignored():
    assert numbers.validate("10207 00350233-2") == "10207003502332"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1020700350233", "malformed_transaction_number"),
        ("1020700350233X", "malformed_transaction_number"),
        ("", "malformed_transaction_number"),
        ("10207003502331", "bad_check_digit"),
    ],
)
def test_malformed_numbers_and_bad_check_digits_are_refused(text, code):
    with pytest.raises(numbers.TransactionNumberError) as refused:
        numbers.validate(text)
    assert refused.value.code == code


@given(st.integers(10000, 99999), st.integers(0, numbers.MAX_SEQUENCE), st.integers(0, 12), st.integers(1, 9))
def test_every_made_number_validates_and_a_changed_digit_is_caught(security, sequence, position, shift):
    made = numbers.make(str(security), sequence)
    assert numbers.validate(made) == made
    changed = made[:position] + str((int(made[position]) + shift) % 10) + made[position + 1 :]
    with pytest.raises(numbers.TransactionNumberError):
        numbers.validate(changed)


def test_each_business_gets_its_own_security_number_and_sequence(maple):
    from django.db import transaction

    from businesses.models import Business

    northern = Business.objects.get(bn9="123026635")
    with transaction.atomic():
        first, second = numbers.next_number(maple), numbers.next_number(maple)
        other = numbers.next_number(northern)
    assert first[:5] == second[:5] != other[:5]
    assert int(second[5:13]) == int(first[5:13]) + 1
    assert numbers.belongs_to(first, maple) and not numbers.belongs_to(first, northern)


def test_a_batch_takes_consecutive_sequences_up_to_99999999_and_no_further(maple):
    # 8-digit sequence (domain brief §1): 99999999 is the last number of an account security number.
    from django.db import transaction

    from declarations.models import SecurityNumber

    with transaction.atomic():
        security = numbers.security_number_of(maple)
        SecurityNumber.objects.filter(pk=security.pk).update(next_sequence=99999998)
        batch = numbers.next_numbers(maple, 2)
    assert [n[5:13] for n in batch] == ["99999998", "99999999"]
    assert all(numbers.validate(n) == n for n in batch)
    with pytest.raises(numbers.TransactionNumberError) as refused, transaction.atomic():
        numbers.next_numbers(maple, 1)
    assert refused.value.code == "sequence_exhausted"

import pytest

from businesses.matching import same_identity
from registry.adapters import BusinessRecord

RECORD = BusinessRecord(
    "123026635", "Northern Customs Brokers Ltd.", "", "2500 Boulevard Laurier", "Québec", "QC", "G1V 2L8"
)
TYPED = {
    "legal_name": "Northern Customs Brokers Ltd.",
    "address_line": "2500 Boulevard Laurier",
    "city": "Québec",
    "province": "QC",
    "postal_code": "G1V 2L8",
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"legal_name": "NORTHERN CUSTOMS BROKERS LIMITED"},
        {"legal_name": "northern customs brokers, ltd"},
        {"address_line": "2500 boul. Laurier".replace("boul.", "Boulevard")},
        {"city": "Quebec"},
        {"postal_code": "g1v2l8"},
        {"postal_code": " G1V-2L8 "},
    ],
)
def test_case_punctuation_accents_legal_forms_and_spacing_do_not_matter(changes):
    assert same_identity(RECORD, **{**TYPED, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {"legal_name": "Northern Customs Brokers Inc."},
        {"address_line": "2501 Boulevard Laurier"},
        {"city": "Montréal"},
        {"province": "ON"},
        {"postal_code": "G1V 2L9"},
    ],
)
def test_a_different_name_or_address_does_not_match(changes):
    assert not same_identity(RECORD, **{**TYPED, **changes})

"""Which treatments goods of an origin may claim: MFN for all but North Korea (General Tariff),
each free-trade partner its own, CEUT for the EU, CPTPT for CPTPP parties; only those the
classification has a rate under are offered, and the cheapest is flagged."""

from decimal import Decimal

from assessment import services
from assessment.eligibility import eligible_treatments, needs_proof_of_origin

from .test_estimate_fixtures import DAY, WATER, tariff_rows  # noqa: F401 (fixture)


def offered(origin):
    return [t.code for t in services.treatments_for(origin, services.find_classification(WATER, DAY))]


def test_north_korea_gets_the_general_tariff_only(tariff_rows):
    assert eligible_treatments("KP") == {"GT"}
    assert offered("KP") == ["GT"]


def test_the_united_states_are_offered_ust_beside_mfn(tariff_rows):
    assert offered("US") == ["MFN", "UST"]


def test_an_eu_member_is_offered_ceut(tariff_rows):
    assert offered("FR") == ["MFN", "CEUT"]


def test_a_cptpp_party_is_offered_cptpt(tariff_rows):
    assert offered("JP") == ["MFN", "CPTPT"]


def test_a_country_without_agreement_gets_mfn(tariff_rows):
    assert offered("BR") == ["MFN"]


def test_mexico_is_both_cusma_and_cptpp():
    assert {"MFN", "MXT", "CPTPT"} <= eligible_treatments("mx")


def test_a_preference_needs_proof_of_origin():
    assert needs_proof_of_origin("UST") and not needs_proof_of_origin("MFN") and not needs_proof_of_origin("GT")


def test_the_cheapest_treatment_is_flagged(tariff_rows):
    estimate = services.estimate_line({"classification": WATER, "origin": "US", "value": "1000.00"}, DAY)
    assert [(o.treatment.code, o.assessment.tot, o.cheapest) for o in estimate.options] == [
        ("MFN", Decimal("118.25"), False),
        ("UST", Decimal("50.00"), True),
    ]


def test_a_treatment_the_tariff_cannot_compute_is_listed_but_not_chosen(tariff_rows):
    estimate = services.estimate_line({"classification": WATER, "origin": "IN", "value": "1000.00"}, DAY)
    assert [(o.treatment.code, o.assessment is None) for o in estimate.options] == [("MFN", False), ("GPT", True)]
    assert estimate.chosen.treatment.code == "MFN"

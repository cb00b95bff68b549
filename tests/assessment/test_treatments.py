"""Which treatments goods of an origin may claim on a day (the Customs Tariff's List of Countries
and Applicable Tariff Treatments, dated): MFN for all but North Korea, and Russia and Belarus since
2 March 2022 (General Tariff); each free-trade partner its own, CEUT for the EU, CPTPT for CPTPP
parties from the day the agreement took effect for them; only those the classification has a rate
under are offered, and the cheapest is flagged."""

from datetime import date
from decimal import Decimal

import pytest

from assessment import services
from assessment.eligibility import CAD_CODES, SOURCES, country_list, eligible_treatments, needs_proof_of_origin
from tariff.treatments import TREATMENTS

from .test_estimate_fixtures import DAY, WATER, WINE, tariff_rows  # noqa: F401 (fixture)


def offered(origin):
    return [t.code for t in services.treatments_for(origin, services.find_classification(WATER, DAY), DAY)]


def test_north_korea_gets_the_general_tariff_only(tariff_rows):
    assert eligible_treatments("KP", DAY) == {"GT"}
    assert offered("KP") == ["GT"]


def test_russia_and_belarus_lost_mfn_on_2_march_2022():
    # SOR/2022-35, registered and in force 2022-03-02
    for origin in ("RU", "BY"):
        assert eligible_treatments(origin, date(2022, 3, 1)) == {"MFN"}
        assert eligible_treatments(origin, date(2022, 3, 2)) == {"GT"}
        assert eligible_treatments(origin, date(2025, 6, 2)) == {"GT"}


def test_russian_medical_isotopes_regained_mfn_on_7_october_2022():
    # SOR/2022-209 s.4: tariff item 2844.43.00 exempt from the second withdrawal
    assert eligible_treatments("RU", date(2022, 10, 6), "2844430000") == {"GT"}
    assert eligible_treatments("RU", date(2022, 10, 7), "2844430000") == {"MFN", "GT"}
    assert eligible_treatments("RU", date(2022, 10, 7), "2201900000") == {"GT"}


def test_a_general_tariff_claim_for_russian_goods_is_accepted(tariff_rows):
    estimate = services.estimate_line(
        {"classification": WATER, "origin": "RU", "value": "1000.00", "tariff_treatment": "GT"}, DAY
    )
    assert (estimate.chosen.treatment.code, estimate.chosen.assessment.cud) == ("GT", Decimal("350.00"))


def test_an_mfn_claim_for_russian_goods_names_the_withdrawal_order(tariff_rows):
    with pytest.raises(services.InputError) as refused:
        services.estimate_line(
            {"classification": WATER, "origin": "RU", "value": "1000.00", "tariff_treatment": "MFN"}, DAY
        )
    assert (refused.value.field, refused.value.code) == ("tariff_treatment", "treatment_not_eligible")
    assert "SOR/2022-35" in str(refused.value.message)


def test_cptpt_counts_from_the_day_the_agreement_took_effect_for_the_party():
    assert "CPTPT" not in eligible_treatments("MY", date(2022, 11, 28))
    assert "CPTPT" in eligible_treatments("MY", date(2022, 11, 29))
    assert "CPTPT" not in eligible_treatments("BN", date(2023, 7, 11))
    assert "CPTPT" in eligible_treatments("BN", date(2023, 7, 12))
    assert "CPTPT" in eligible_treatments("PE", date(2021, 9, 19))


def test_the_united_kingdom_is_not_a_cptpp_partner_of_canada_and_uses_ukt():
    assert eligible_treatments("GB", date(2026, 1, 5)) == {"MFN", "UKT"}


def test_an_origin_missing_from_the_country_list_is_refused(tariff_rows):
    with pytest.raises(services.InputError) as refused:
        services.estimate_line({"classification": WATER, "origin": "ZZ", "value": "1000.00"}, DAY)
    assert (refused.value.field, refused.value.code) == ("origin", "unknown_origin")


def test_a_claim_under_no_treatment_at_all_is_refused_as_such(tariff_rows):
    with pytest.raises(services.InputError) as refused:
        services.estimate_line(
            {"classification": WATER, "origin": "US", "value": "1000.00", "tariff_treatment": "XYZ"}, DAY
        )
    assert refused.value.code == "unknown_treatment"


def test_an_eligible_treatment_without_a_rate_is_refused_as_such(tariff_rows):
    with pytest.raises(services.InputError) as refused:
        services.estimate_line(
            {"classification": WINE, "origin": "FR", "value": "100.00", "quantity": "10", "tariff_treatment": "CEUT"},
            DAY,
        )
    assert refused.value.code == "no_rate_for_treatment"


def test_the_country_list_counts_match_cbsas_2026_list():
    listed = country_list()
    counts = {code: sum(code in treatments for treatments in listed.values()) for code in ("GPT", "LDCT", "CCCT")}
    assert counts == {"GPT": 90, "LDCT": 44, "CCCT": 18}  # the README of the data counts
    assert {origin for origin, treatments in listed.items() if "CPTPT" in treatments} == set(
        "AU BN CL JP MX MY NZ PE SG VN".split()
    )


def test_every_treatment_has_its_cad_code_and_legal_source():
    assert set(CAD_CODES) == set(SOURCES) == set(TREATMENTS)
    assert (CAD_CODES["MFN"], CAD_CODES["GT"], CAD_CODES["UKT"]) == ("002", "003", "034")


def test_the_united_states_are_offered_ust_beside_mfn(tariff_rows):
    assert offered("US") == ["MFN", "UST"]


def test_an_eu_member_is_offered_ceut(tariff_rows):
    assert offered("FR") == ["MFN", "CEUT"]


def test_a_cptpp_party_is_offered_cptpt(tariff_rows):
    assert offered("JP") == ["MFN", "CPTPT"]


def test_a_country_without_agreement_gets_mfn(tariff_rows):
    assert offered("BR") == ["MFN"]


def test_mexico_is_both_cusma_and_cptpp():
    assert {"MFN", "MXT", "CPTPT"} <= eligible_treatments("mx", DAY)


def test_a_preference_needs_proof_of_origin():
    assert needs_proof_of_origin("UST") and not needs_proof_of_origin("MFN") and not needs_proof_of_origin("GT")


def test_the_cheapest_treatment_is_flagged(tariff_rows):
    estimate = services.estimate_line({"classification": WATER, "origin": "US", "value": "1000.00"}, DAY)
    assert [(o.treatment.code, o.assessment.tot, o.cheapest) for o in estimate.options] == [
        ("MFN", Decimal("118.25"), False),
        ("UST", Decimal("50.00"), True),
    ]


def test_a_treatment_the_tariff_cannot_compute_is_listed_but_not_chosen(tariff_rows):
    estimate = services.estimate_line({"classification": WATER, "origin": "GH", "value": "1000.00"}, DAY)
    assert [(o.treatment.code, o.assessment is None) for o in estimate.options] == [("MFN", False), ("GPT", True)]
    assert estimate.chosen.treatment.code == "MFN"


def test_an_ineligible_claim_names_the_country_list_in_the_persons_language(tariff_rows):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(services.InputError) as refused:
        services.estimate_line(
            {"classification": WATER, "origin": "FR", "value": "1000.00", "tariff_treatment": "UST"}, DAY
        )
    with translation.override("fr"):
        message = str(refused.value.message)
    assert message.startswith("Les marchandises originaires de FR ne peuvent pas bénéficier de UST le 2025-01-03")
    assert "Liste des pays et traitements tarifaires" in message

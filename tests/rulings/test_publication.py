"""Publication: only rendered rulings whose applicant consented, anonymised; the register's search;
published rulings as evidence in the classification tool."""

import datetime as dt

import pytest

from rulings import services
from tariff import search as tariff_search
from tests.assessment.test_estimate_fixtures import WATER, WINE

from .conftest import FILED

Event = services.Event


def _render(ruling, officer, code=WATER):
    return services.transition(
        officer, ruling, Event.RENDERED, today=FILED, classification=code, reasons="GIR 1 and 6.", effective_date=FILED
    )


def test_a_ruling_is_published_at_its_decision_only_with_consent(filed, olivia):
    consented, refused = _render(filed(), olivia), _render(filed(consents_to_publication=False), olivia)
    assert consented.published_on == FILED and refused.published_on is None
    assert list(services.register()) == [consented]
    with pytest.raises(services.Conflict):
        services.publish(refused, FILED)


def test_the_published_ruling_does_not_name_the_applicant(filed, olivia):
    ruling = _render(
        filed(
            description="Source Boréale water by Maple Leaf Imports Inc. "
            "(BN 123456782RM0001, call 613-555-0101, alice@maple.example)"
        ),
        olivia,
    )
    shown = services.public(ruling)
    text = " ".join(str(value) for value in shown.values())
    for secret in (
        "Maple Leaf Imports",
        "123456782",
        "613-555-0101",
        "alice@maple.example",
        "Source Boréale",
        "Alice Tremblay",
    ):
        assert secret not in text
    assert shown["goods"] == "[…] water by […] (BN […], call […], […])"
    assert shown["printed_classification"] == "2201.90.00.00"


def test_the_register_is_searched_by_words_code_and_kind(filed, olivia):
    water = _render(filed(), olivia)
    assert services.search_register("spring water") == [water]
    assert services.search_register("wine") == []
    assert services.search_register(code="2201") == [water]
    assert services.search_register(kind="origin_fta") == []


def test_a_published_ruling_puts_its_code_first_in_the_classification_tool(filed, olivia):
    before = [r.code for r in tariff_search.search("spring water bottles", as_of=FILED)]
    _render(
        filed(description="Spring water in PET bottles, still"), olivia, code=WINE
    )  # an officer's odd call, to see it lead
    after = tariff_search.search("spring water bottles", as_of=FILED)
    assert WINE not in before[:1]
    assert after[0].code == WINE and after[0].score == 1.0
    assert any("advance ruling ARC-" in why for why in after[0].why)


def test_a_revoked_ruling_is_no_longer_evidence(filed, olivia):
    ruling = _render(filed(), olivia)
    assert services.evidence_for("spring water", FILED) == {WATER: f"advance ruling {ruling.case_number}"}
    services.transition(olivia, ruling, Event.REVOKED, today=dt.date(2026, 2, 1))
    assert services.evidence_for("spring water", FILED) == {}

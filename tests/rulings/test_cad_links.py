"""A CAD line citing a ruling, or naming goods a ruling of the importer covers, with another
classification is flagged (a warning: the CAD is still accepted)."""

import datetime as dt

from declarations import validation
from rulings import services
from tests.assessment.test_estimate_fixtures import WATER, WINE
from tests.declarations.conftest import cad, line

from .conftest import FILED


def _held(filed, olivia):
    ruling = filed()
    return services.transition(
        olivia,
        ruling,
        services.Event.RENDERED,
        today=FILED,
        classification=WATER,
        reasons="GIR 1.",
        effective_date=dt.date(2024, 12, 1),
    )


def _warnings(payload, who):
    checked, errors = validation.check(payload, who=who, today=dt.date(2025, 1, 6))
    assert errors == []
    # The fixture tariff is a 2020 schedule, so every 2025 CAD also says which schedule it was assessed on.
    return [(w.code, w.pointer) for w in checked.warnings if w.code != "tariff_schedule"]


def test_a_line_citing_a_ruling_with_another_number_is_flagged(filed, olivia, alice, usd_rates):
    ruling = _held(filed, olivia)
    # Declared as wine, the line gives its strength (field 96): wine's 2024 excise rows go by it.
    payload = cad(line(classification=WINE, narrative="Bottled water", ruling=ruling.case_number, alcohol_percent="12"))
    assert _warnings(payload, alice) == [("contradicts_ruling", "/lines/0/classification")]


def test_a_line_naming_the_ruled_goods_with_another_number_is_flagged(filed, olivia, alice, usd_rates):
    _held(filed, olivia)
    wine = line(classification=WINE, narrative="SOURCE BORÉALE still water", alcohol_percent="12")
    payload = cad(wine, line(narrative="Other water"))
    assert _warnings(payload, alice) == [("contradicts_ruling", "/lines/0/classification")]


def test_a_line_agreeing_with_the_ruling_or_citing_an_unknown_one(filed, olivia, alice, usd_rates):
    ruling = _held(filed, olivia)
    assert _warnings(cad(line(ruling=ruling.case_number)), alice) == []
    assert _warnings(cad(line(ruling="ARC-2026-999999")), alice) == [("unknown_ruling", "/lines/0/ruling")]

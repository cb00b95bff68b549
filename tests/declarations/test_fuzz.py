"""Any JSON in any field of a declaration gives an Outcome (accepted or structured errors), never an
exception: the API never answers 500 to bad input."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from declarations import services
from declarations.fields import Part, names

from .conftest import cad

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=6,
)
# Every field of the CAD's one description (declarations.fields), and one no row describes.
HEADER = [*names(Part.HEADER), "invoices", "lines", "shipment_date"]
INVOICE = [*names(Part.INVOICE), "bogus"]
LINE = [*names(Part.LINE), "bogus"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(["header", "invoice", "line"]), data=st.data(), value=JSON)
def test_any_value_in_any_field_gives_an_outcome(maple, alice, tariff_rows, on_day, where, data, value):
    on_day(dt.date(2025, 1, 6))
    payload = cad()
    if where == "header":
        payload[data.draw(st.sampled_from(HEADER))] = value
    elif where == "invoice":
        payload["invoices"][0][data.draw(st.sampled_from(INVOICE))] = value
    else:
        payload["lines"][0][data.draw(st.sampled_from(LINE))] = value
    outcome = services.submit(alice, payload)
    assert outcome.code in (39, 41)
    for error in outcome.errors:
        assert error.code and isinstance(error.as_dict()["message"], str)

"""The declarations API reads in a fixed number of queries, however many CADs, lines or versions."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from declarations import services

from .conftest import cad, line


def count(call, *args):
    with CaptureQueriesContext(connection) as captured:
        response = call(*args)
    assert response.status_code == 200, response.content
    return len(captured)


def test_the_list_and_a_declaration_do_not_grow_with_the_data(maple, alice, api, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    call = api(alice)
    services.submit(alice, cad())
    call("get", "declarations")  # the token's first use is written once (then at most every minute): not counted
    few = count(call, "get", "declarations")
    number = services.submit(alice, cad(line(), line(value="10.00"))).declaration.transaction_number
    one = count(call, "get", f"declarations/{number}")
    for _ in range(5):
        services.submit(alice, cad(*[line(value="10.00")] * 8))
    services.amend(alice, number, cad(*[line(value="10.00")] * 12), expected_version=1)
    assert count(call, "get", "declarations") == few
    assert count(call, "get", f"declarations/{number}") == one

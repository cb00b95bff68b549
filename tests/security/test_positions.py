"""A broker sees, before filing, whether a client is enrolled in RPP and sufficiently secured,
as delegation lets it see the client (issue 19 item 4)."""

import datetime as dt
from decimal import Decimal

from security import services

from .conftest import duties, enrol, secured

D = dt.date
TODAY = D(2025, 6, 10)


def _by_account(rows):
    return {row["account"]: row for row in rows}


def test_a_broker_with_a_relationship_sees_its_client_s_rpp_status_and_security_before_filing(
    api, maple, rm0001, alice, sam, sureco, relate, brenda, on_day
):
    on_day(TODAY)
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    relate("business", role="editor", person=brenda, sees_importer=True, sees_others=True)
    rows = _by_account(api(brenda)("get", "security/positions").json())
    assert rows[rm0001.number]["rpp_ready"] is True and rows[rm0001.number]["bond_posted"] == "5000.00"
    assert rows["123456782RM0002"]["rpp_status"] == "not_enrolled" and rows["123456782RM0002"]["rpp_ready"] is False


def test_a_broker_without_a_relationship_sees_no_client_s_security(
    api, maple, rm0001, alice, sam, sureco, brenda, on_day
):
    on_day(TODAY)
    secured(rm0001, alice, sam, sureco)
    rows = _by_account(api(brenda)("get", "security/positions").json())
    assert rm0001.number not in rows


def test_a_broker_limited_to_one_account_sees_only_that_account_s_security(
    api, maple, rm0001, rm0002, relate, brenda, on_day
):
    on_day(TODAY)
    enrol(rm0002)
    relate("program", accounts=[rm0001.number], role="editor", person=brenda)
    rows = _by_account(api(brenda)("get", "security/positions").json())
    assert set(rows) == {rm0001.number}


def test_a_broker_the_importer_hides_records_from_sees_the_status_but_no_amounts(
    api, maple, rm0001, alice, sam, sureco, relate, brenda, on_day
):
    on_day(TODAY)
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    relate("business", role="editor", person=brenda, sees_importer=False, sees_others=False)
    row = _by_account(api(brenda)("get", "security/positions").json())[rm0001.number]
    assert row["rpp_ready"] is True and row["figures_shown"] is False
    assert row["unpaid"] is None and row["bond_posted"] is None


def test_activity_past_the_thresholds_of_what_the_security_covers_is_warned(maple, rm0001, alice, sam, sureco, on_day):
    on_day(TODAY)
    secured(rm0001, alice, sam, sureco, amount="5000.00")  # stands for a $10,000 month
    duties(rm0001, D(2025, 6, 2), "7999.99")
    assert services.position(rm0001, TODAY).warnings == []
    duties(rm0001, D(2025, 6, 3), "0.01")
    assert services.position(rm0001, TODAY).warnings == [80]
    duties(rm0001, D(2025, 6, 4), "2000.00")
    assert services.position(rm0001, TODAY).warnings == [100]


def test_the_positions_export_is_a_csv_of_the_same_rows(signed_in_client, maple, rm0001, alice, sam, sureco, on_day):
    on_day(TODAY)
    secured(rm0001, alice, sam, sureco, amount="7500.00")
    response = signed_in_client.get("/en/security/positions.csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("account,importer,rpp_status,rpp_ready,bond_required")
    row = next(line for line in lines if line.startswith(rm0001.number))
    assert ",True,5000.00," in row and ",7500.00," in row
    assert Decimal("7500.00") == services.posted(rm0001, TODAY).bond

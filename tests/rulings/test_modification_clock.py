"""A request to modify a rendered ruling starts its own 120-day clock, paused time excluded, shown
like the request's (page and API); its decision stops it."""

import datetime as dt

import pytest

from rulings import services
from tests.assessment.test_estimate_fixtures import WATER

Event = services.Event
RENDERED = dt.date(2026, 2, 4)  # 30 days after FILED
ASKED = dt.date(2026, 3, 2)


@pytest.fixture
def rendered(filed, olivia):
    def make():
        ruling = filed()
        return services.transition(
            olivia, ruling, Event.RENDERED, today=RENDERED, classification=WATER, reasons="GIR 1."
        )

    return make


def _ask(alice, ruling, day=ASKED):
    return services.transition(
        alice, ruling, Event.MODIFICATION_REQUESTED, message="Typo.", today=day, ground="clerical"
    )


def test_a_request_to_modify_counts_its_own_days_with_paused_days_excluded(rendered, alice, olivia):
    ruling = _ask(alice, rendered())
    assert services.modification_days_elapsed(ruling, dt.date(2026, 3, 12)) == 10
    services.transition(olivia, ruling, Event.INFORMATION_REQUESTED, today=dt.date(2026, 3, 7))
    assert services.modification_days_elapsed(ruling, dt.date(2026, 3, 12)) == 5  # paused since the 7th
    services.transition(alice, ruling, Event.ANSWERED, message="Here.", today=dt.date(2026, 3, 17))
    assert ruling.modification_paused_days == 10
    assert services.modification_days_elapsed(ruling, dt.date(2026, 3, 22)) == 10
    assert services.modification_days_left(ruling, dt.date(2026, 3, 22)) == 110
    assert services.days_elapsed(ruling) == 30  # the request's own count is untouched


def test_the_decision_on_the_modification_stops_its_clock(rendered, alice, oscar):
    ruling = _ask(alice, rendered())
    services.transition(
        oscar, ruling, Event.MODIFIED, today=dt.date(2026, 4, 1), classification=WATER, reasons="GIR 1 and 6."
    )
    assert ruling.modification_decided_on == dt.date(2026, 4, 1)
    assert services.modification_days_elapsed(ruling, dt.date(2026, 6, 1)) == 30
    assert services.modification_days_left(ruling, dt.date(2026, 6, 1)) is None


def test_a_refused_modification_stops_its_clock_and_needs_reasons(rendered, alice, oscar):
    ruling = _ask(alice, rendered())
    with pytest.raises(services.RulingError):
        services.transition(oscar, ruling, Event.MODIFICATION_REFUSED, today=dt.date(2026, 3, 9))
    services.transition(oscar, ruling, Event.MODIFICATION_REFUSED, today=dt.date(2026, 3, 9), reasons="No error.")
    assert services.modification_days_elapsed(ruling) == 7 and ruling.ruling_reasons == "GIR 1."


def test_one_modification_at_a_time_and_clock_steps_only_while_one_is_open(rendered, alice, olivia):
    ruling = rendered()
    with pytest.raises(services.Conflict) as refused:
        services.transition(olivia, ruling, Event.INFORMATION_REQUESTED, today=ASKED)
    assert refused.value.errors[0].code == "no_modification"
    _ask(alice, ruling)
    with pytest.raises(services.Conflict) as refused:
        _ask(alice, ruling, dt.date(2026, 3, 3))
    assert refused.value.errors[0].code == "modification_open"


def test_open_modifications_wait_in_the_officers_queue(rendered, alice):
    ruling = _ask(alice, rendered())
    [queued] = services.queue(dt.date(2026, 3, 12))
    assert (queued.case_number, queued.days_left) == (ruling.case_number, 110)


def test_the_officers_queue_page_marks_a_request_to_modify(rendered, alice, oscar, client, on_day):
    from tests.conftest import sign_in

    on_day(dt.date(2026, 3, 12))
    _ask(alice, rendered())
    sign_in(client, oscar)
    page = client.get("/en/rulings/queue/").content.decode()
    assert "Modification requested on 2026-03-02" in page and "<td>110</td>" in page


def test_the_modification_clock_is_shown_on_the_page_and_in_the_api(rendered, alice, api, client, on_day):
    from tests.conftest import sign_in

    on_day(dt.date(2026, 3, 12))
    ruling = _ask(alice, rendered())
    body = api(alice)("get", f"rulings/{ruling.case_number}").json()
    assert (body["modification_requested_on"], body["modification_days_elapsed"]) == ("2026-03-02", 10)
    assert body["modification_days_left"] == 110 and body["days_elapsed"] == 30
    sign_in(client, alice)
    page = client.get(f"/en/rulings/{ruling.case_number}/").content.decode()
    assert "Days left (modification)" in page and "<dd>110</dd>" in page

""" "Submit its CAD" from a release (issue #17 item 2): the CAD opened from the release keeps the
release's transaction number, as a draft too (no new number), and submitting it clears the release
from "awaiting" on the importer's dashboard, the broker's worklist and the API."""

import datetime as dt

from declarations.models import Declaration, Status
from tests.conftest import sign_in
from tests.declarations.conftest import (  # noqa: F401 (fixtures)
    RM1,
    api,
    bob,
    brenda,
    broker,
    cad,
    interest_rate,
    line,
    northern,
    on_day,
    relate,
    tariff_rows,
)
from tests.declarations.test_pages import form_data

D = dt.date


def test_a_draft_from_the_release_keeps_its_number_and_submitting_it_clears_the_release_everywhere(
    client, api, alice, broker, northern, rm0001, recorded, tariff_rows, interest_rate, on_day
):
    on_day(D(2025, 1, 6))
    release = recorded(northern, rm0001, D(2025, 1, 3))  # asked for by the broker: the broker accounts for it
    number = release.transaction_number
    sign_in(client, broker)
    new = f"/en/declarations/new/?transaction_number={number}&importer={RM1}"
    assert f'name="transaction_number" value="{number}"' in client.get(new).content.decode()

    unfinished = cad(line(classification=""), transaction_number=number)
    saved = client.post("/en/declarations/new/", form_data(unfinished, action="save_draft"))
    draft = Declaration.objects.get()
    assert (draft.transaction_number, draft.status) == (number, Status.DRAFT)  # no new number
    assert saved["Location"] == f"/en/declarations/{number}/change/"
    assert (
        f"transaction_number={number}" in client.get("/en/worklist/").content.decode()
    )  # a draft accounts for nothing

    submitted = client.post(saved["Location"], form_data(cad(), client_reference="from-release"))
    assert submitted.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.ACCEPTED and Declaration.objects.count() == 1

    assert f"transaction_number={number}" not in client.get("/en/worklist/").content.decode()
    assert api(broker)("get", "releases/awaiting").json() == []
    client.logout()
    sign_in(client, alice)
    dashboard = client.get("/en/").content.decode()
    assert "awaiting its CAD" not in dashboard and f"transaction_number={number}" not in dashboard


def test_a_draft_may_not_take_a_number_of_another_business(client, alice, broker, northern, rm0001, recorded, on_day):
    on_day(D(2025, 1, 6))
    release = recorded(northern, rm0001, D(2025, 1, 3))  # the broker's number: Maple cannot account under it
    sign_in(client, alice)
    unfinished = cad(line(classification=""), transaction_number=release.transaction_number)
    page = client.post("/en/declarations/new/", form_data(unfinished, action="save_draft")).content.decode()
    assert "This transaction number was not made from your account security number." in page
    assert not Declaration.objects.exists()

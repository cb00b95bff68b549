"""The CAD pages: the list and its filters, who sees and who may submit, the form (errors next to
the fields, nothing typed lost, a double click submitting once, drafts, add/remove lines, the
preview and the classification search), the correction/adjustment flow and its conflict message,
withdrawal, and the officers' queue."""

import datetime as dt
import re

import pytest

from declarations import services
from declarations.models import Declaration, Status
from ledger.models import EntryType, LedgerEntry
from tests.conftest import sign_in

from .conftest import RM1, RM2, cad, line

NEW = "/en/declarations/new/"


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def form_data(payload, action="submit", **extra):
    """The CAD form's POST data for `payload` (what the browser sends)."""
    data = {name: value for name, value in payload.items() if not isinstance(value, list)}
    for prefix in ("invoices", "lines"):
        rows = payload.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return {**data, "action": action, **extra}


def signed_in(client, person):
    sign_in(client, person)
    return client


def field_error(html: str, field_id: str) -> str:
    """The error message shown on a gcds-input/select of the page."""
    found = re.search(rf'(?:input|select|textarea)-id="{field_id}"[^>]*?error-message="([^"]*)"', html, re.S)
    return found.group(1) if found else ""


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filters_by_status_account_release_date_and_submitter(client, maple, alice, tariff_rows, today):
    first = services.submit(alice, cad()).declaration
    other = services.submit(alice, cad(importer=RM2, release_date=dt.date(2025, 1, 2))).declaration
    services.withdraw(alice, first.transaction_number, expected_version=1, reason="Entered twice")
    signed_in(client, alice)
    everything = client.get("/en/declarations/").content.decode()
    assert first.transaction_number in everything and other.transaction_number in everything

    def listed(**query):
        html = client.get("/en/declarations/", query).content.decode()
        return {number for number in (first.transaction_number, other.transaction_number) if number in html}

    assert listed(program_account=RM2) == {other.transaction_number}
    assert listed(status="withdrawn") == {first.transaction_number}
    assert listed(released_from="2025-01-03") == {first.transaction_number}
    assert listed(released_to="2025-01-02") == {other.transaction_number}
    assert listed(submitted_by="123456782") == {first.transaction_number, other.transaction_number}
    assert listed(submitted_by="123026635") == set()


def test_the_list_is_paginated(client, maple, alice, tariff_rows, today):
    for _ in range(27):
        services.submit(alice, cad())
    signed_in(client, alice)
    assert "Page 1 of 2" in client.get("/en/declarations/").content.decode()
    second = client.get("/en/declarations/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second and second.count("/en/declarations/10") == 2


def test_the_list_and_a_cad_take_as_many_queries_for_many_rows_as_for_few(client, maple, alice, tariff_rows, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, alice)

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    first = services.submit(alice, cad()).declaration.transaction_number
    few = queries("/en/declarations/"), queries(f"/en/declarations/{first}/")
    for _ in range(9):
        services.submit(alice, cad())
    many = services.submit(alice, cad(*[line(value="1000.00") for _ in range(12)])).declaration.transaction_number
    assert (queries("/en/declarations/"), queries(f"/en/declarations/{many}/")) == few


def test_a_broker_without_delegation_sees_nothing_and_gets_404(client, maple, alice, bob, tariff_rows, today):
    number = services.submit(alice, cad()).declaration.transaction_number
    signed_in(client, bob)
    assert number not in client.get("/en/declarations/").content.decode()
    assert client.get(f"/en/declarations/{number}/").status_code == 404
    assert client.get(f"/en/declarations/{number}/change/").status_code == 404
    refused = client.post(NEW, form_data(cad()))
    assert refused.status_code == 200 and "ask the importer for delegated access" in refused.content.decode()
    assert Declaration.objects.count() == 1


def test_a_broker_with_delegation_sees_submits_and_changes(client, maple, broker, tariff_rows, today):
    signed_in(client, broker)
    response = client.post(NEW, form_data(cad(declarant="123026635RM0001"), client_reference="ref-1"))
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.submitted_by_business.bn9 == "123026635"
    assert client.get(f"/en/declarations/{declaration.transaction_number}/").status_code == 200
    assert client.get(f"/en/declarations/{declaration.transaction_number}/change/").status_code == 200


def test_a_reader_sees_but_cannot_submit_or_change(client, maple, alice, reader, tariff_rows, today):
    number = services.submit(alice, cad()).declaration.transaction_number
    signed_in(client, reader)
    page = client.get(f"/en/declarations/{number}/").content.decode()
    assert "Declaration " + number in page and "Change this declaration" not in page
    assert "New declaration" not in client.get("/en/declarations/").content.decode()
    assert client.get(f"/en/declarations/{number}/change/").status_code == 403
    assert (
        client.post(f"/en/declarations/{number}/withdraw/", {"reason": "x", "expected_version": 1}).status_code == 403
    )
    refused = client.post(NEW, form_data(cad()), follow=True)
    assert refused.status_code == 403  # told why, and who gives access (issue 17, item 8)
    assert "Your access lets you view, not change" in refused.content.decode()
    assert Declaration.objects.count() == 1


# --- the form ------------------------------------------------------------------------------------


def test_submitting_shows_the_accepted_cad_with_its_ledger_entries(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    response = client.post(NEW, form_data(cad(), client_reference="first"), follow=True)
    html = response.content.decode()
    declaration = Declaration.objects.get()
    assert response.redirect_chain[-1][0] == f"/en/declarations/{declaration.transaction_number}/"
    assert "accepted with duties and taxes (status 39)" in html
    assert "$3,547.50" in html  # duties and taxes of the accepted CAD
    entry = LedgerEntry.objects.get(transaction_number=declaration.transaction_number)
    assert entry.entry_type == EntryType.ASSESSMENT and f"/en/ledger/{RM1}/" in html
    assert "2025-01-31" in html  # the payment due date


def test_a_double_click_submits_once(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    data = form_data(cad(), client_reference="4f1c2d")
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Declaration.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_the_form_gives_each_page_load_its_own_client_reference(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    references = [
        re.search(r'name="client_reference" value="(\w+)"', client.get(NEW).content.decode()).group(1) for _ in range(2)
    ]
    assert references[0] != references[1]


def test_a_rejected_cad_shows_errors_next_to_the_fields_and_keeps_what_was_typed(
    client, maple, alice, tariff_rows, today
):
    signed_in(client, alice)
    payload = cad(line(), line(classification="9999999999", narrative="Mystery goods"), release_office="45")
    response = client.post(NEW, form_data(payload))
    html = response.content.decode()
    assert response.status_code == 200 and Declaration.objects.count() == 0
    assert "A CBSA office is 4 digits" in field_error(html, "id_release_office")
    assert field_error(html, "id_lines-1-classification")
    assert not field_error(html, "id_lines-0-classification")
    assert 'value="Mystery goods"' in html and 'value="Eaux de France SA"' in html
    assert "#id_lines-1-classification" in html  # the error summary links to the field


def test_an_invoice_total_error_lands_on_the_invoice_amount(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    payload = cad()
    payload["invoices"][0]["amount"] = "1.00"
    html = client.post(NEW, form_data(payload, action="preview")).content.decode()
    assert "is not the sum of its lines" in field_error(html, "id_invoices-0-amount")


def test_lines_are_added_and_removed_without_losing_the_others(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    payload = cad(line(narrative="First"), line(narrative="Second"), line(narrative="Third"))
    added = client.post(NEW, form_data(payload, action="add_line")).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="4"' in added and 'value="Third"' in added
    removed = client.post(NEW, form_data(payload, action="remove_line:1")).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="2"' in removed
    assert 'value="First"' in removed and 'value="Third"' in removed and 'value="Second"' not in removed
    assert Declaration.objects.count() == 0


def test_the_preview_shows_each_lines_duties_and_taxes_and_saves_nothing(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    payload = cad(line(value="10000.00"), line(value="20000.00", quantity="2000"))
    response = client.post("/en/declarations/preview/", form_data(payload, action=""), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "$3,547.50" in html  # the total: 6.5 % duty and 5 % GST on $30,000
    assert Declaration.objects.count() == 0 and LedgerEntry.objects.count() == 0
    bad = client.post("/en/declarations/preview/", form_data(cad(line(origin="")), action="")).content.decode()
    assert 'href="#id_lines-0-origin"' in bad


@pytest.fixture
def search_index():
    from tariff import search

    search.clear_cache()
    yield
    search.clear_cache()


def test_the_classification_search_lists_numbers_to_use_on_a_line(
    client, maple, alice, tariff_rows, today, search_index
):
    signed_in(client, alice)
    found = client.get(
        "/en/declarations/classifications/", {"line": "1", "search-1": "2201", "release_date": "2025-01-03"}
    )
    html = found.content.decode()
    assert found.status_code == 200 and 'value="use:1:2201900000"' in html
    payload = cad(line(), line(classification=""))
    used = client.post(NEW, form_data(payload, action="use:1:2201900000")).content.decode()
    assert re.search(r'input-id="id_lines-1-classification"[^>]*value="2201900000"', used, re.S)
    searched = client.post(NEW, form_data(payload, action="search:1", **{"search-1": "2201"})).content.decode()
    assert 'value="use:1:2201900000"' in searched  # the same without JavaScript


def test_a_draft_is_saved_then_submitted_under_its_number(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    unfinished = cad(line(classification=""))
    response = client.post(NEW, form_data(unfinished, action="save_draft"))
    draft = Declaration.objects.get()
    assert (
        draft.status == Status.DRAFT and response["Location"] == f"/en/declarations/{draft.transaction_number}/change/"
    )
    page = client.get(response["Location"]).content.decode()
    assert f'name="transaction_number" value="{draft.transaction_number}"' in page
    assert LedgerEntry.objects.count() == 0
    response = client.post(response["Location"], form_data(cad(), client_reference="draft-done"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.ACCEPTED and Declaration.objects.count() == 1 and LedgerEntry.objects.count() == 1


# --- correction, adjustment, conflict, withdrawal -------------------------------------------------


def test_the_change_form_says_correction_before_the_due_date_and_adjustment_after(
    client, maple, alice, tariff_rows, on_day
):
    on_day(dt.date(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    signed_in(client, alice)
    page = client.get(f"/en/declarations/{number}/change/").content.decode()
    assert "This change will be a correction" in page and 'value="Spring water, 500 mL bottles"' in page
    assert 'name="expected_version" value="1"' in page
    response = client.post(
        f"/en/declarations/{number}/change/",
        form_data(cad(line(value="20000.00")), expected_version="1", client_reference="c1"),
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.filter(transaction_number=number).count() == 2
    on_day(dt.date(2025, 2, 10))
    page = client.get(f"/en/declarations/{number}/change/").content.decode()
    assert "This change will be an adjustment" in page and 'name="expected_version" value="2"' in page
    without_reason = client.post(
        f"/en/declarations/{number}/change/",
        form_data(cad(line(value="40000.00")), expected_version="2", client_reference="c2"),
    )
    assert "needs a reason" in field_error(without_reason.content.decode(), "id_reason")
    response = client.post(
        f"/en/declarations/{number}/change/",
        form_data(
            cad(line(value="40000.00")), expected_version="2", reason="Vendor's price revised", client_reference="c3"
        ),
        follow=True,
    )
    assert "pending approval (status 42)" in response.content.decode()
    assert LedgerEntry.objects.filter(transaction_number=number).count() == 2


def test_a_concurrent_change_is_refused_with_a_clear_message(client, maple, alice, tariff_rows, today):
    number = services.submit(alice, cad()).declaration.transaction_number
    signed_in(client, alice)
    client.get(f"/en/declarations/{number}/change/")  # opened at version 00001...
    services.amend(alice, number, cad(line(value="25000.00")), expected_version=1)  # ...changed meanwhile
    response = client.post(
        f"/en/declarations/{number}/change/",
        form_data(cad(line(value="20000.00")), expected_version="1", client_reference="late"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "This declaration changed since you opened it" in html
    assert "Version 00002 was made since you opened version 1" in html
    assert 'value="20000.00"' in html  # what was typed is still there
    assert Declaration.objects.get().latest_version == 2


def test_the_cad_page_shows_versions_a_diff_and_the_ledger_entries(client, maple, alice, tariff_rows, today):
    number = services.submit(alice, cad()).declaration.transaction_number
    services.amend(alice, number, cad(line(value="20000.00", narrative="Sparkling water")), expected_version=1)
    signed_in(client, alice)
    html = client.get(f"/en/declarations/{number}/", {"a": 1, "b": 2}).content.decode()
    assert "What changed from version 00001 to version 00002" in html
    assert "Sparkling water" in html and "Spring water, 500 mL bottles" in html
    assert "-$1,182.50" in html  # the correction's delta, in the versions and the ledger entries
    assert html.count("-$1,182.50") >= 2
    old = client.get(f"/en/declarations/{number}/", {"version": 1}).content.decode()
    assert "Version 00001" in old and "$3,547.50" in old


def test_withdrawing_needs_a_reason_and_reverses_the_assessment(client, maple, alice, tariff_rows, today):
    number = services.submit(alice, cad()).declaration.transaction_number
    signed_in(client, alice)
    page = client.post(f"/en/declarations/{number}/withdraw/", {"expected_version": 1, "reason": ""}).content.decode()
    assert "Give the reason for withdrawing" in page
    response = client.post(f"/en/declarations/{number}/withdraw/", {"expected_version": 1, "reason": "Goods returned"})
    assert response.status_code == 302
    assert Declaration.objects.get().status == Status.WITHDRAWN
    assert sum(entry.amount for entry in LedgerEntry.objects.filter(transaction_number=number)) == 0
    assert "Change this declaration" not in client.get(f"/en/declarations/{number}/").content.decode()


# --- the officers' queue -------------------------------------------------------------------------


@pytest.fixture
def pending(maple, alice, tariff_rows, interest_rate, on_day):
    on_day(dt.date(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    on_day(dt.date(2025, 2, 10))
    return services.amend(
        alice, number, cad(line(value="40000.00")), expected_version=1, reason="Price revised"
    ).version


def test_the_list_shows_and_filters_a_cad_whose_adjustment_awaits_approval(client, pending, alice):
    adjusted = pending.declaration.transaction_number
    other = services.submit(alice, cad(release_date=dt.date(2025, 2, 7))).declaration.transaction_number
    signed_in(client, alice)

    def row(html, number):
        return re.search(rf"{number}</a></td>.*?</tr>", html, re.S).group(0)

    everything = client.get("/en/declarations/").content.decode()
    assert "Accepted — <strong>adjustment pending approval</strong>" in row(everything, adjusted)
    assert "pending" not in row(everything, other)
    only_pending = client.get("/en/declarations/", {"status": "pending"}).content.decode()
    assert adjusted in only_pending and other not in only_pending
    assert '<option value="pending" selected>Adjustment pending approval</option>' in only_pending
    accepted = client.get("/en/declarations/", {"status": "accepted"}).content.decode()
    assert adjusted in accepted and other in accepted  # the version in force is still accepted
    french = client.get("/fr/declarations/").content.decode()
    assert "Acceptée — <strong>rajustement en attente d'approbation</strong>" in row(french, adjusted)


def test_the_adjustment_queue_is_for_officers_only(client, pending, alice, olivia):
    signed_in(client, alice)
    assert client.get("/en/declarations/adjustments/").status_code == 403
    assert client.get(f"/en/declarations/adjustments/{pending.pk}/").status_code == 403
    assert client.post(f"/en/declarations/adjustments/{pending.pk}/", {"decision": "approve"}).status_code == 403
    client.logout()
    signed_in(client, olivia)
    queue = client.get("/en/declarations/adjustments/").content.decode()
    assert pending.declaration.transaction_number in queue and "Price revised" in queue


def test_an_officer_sees_the_diff_and_money_effect_and_approves(client, pending, olivia):
    signed_in(client, olivia)
    page = client.get(f"/en/declarations/adjustments/{pending.pk}/").content.decode()
    assert "$3,547.50" in page and "$4,730.00" in page and "$1,182.50" in page  # before, after, change
    assert "What changed from version 00001 to version 00002" in page
    assert "Interest if approved today" in page
    response = client.post(f"/en/declarations/adjustments/{pending.pk}/", {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.ACCEPTED and pending.decided_by == olivia
    assert LedgerEntry.objects.filter(document_version="00002", entry_type=EntryType.ASSESSMENT).exists()


def test_an_officer_rejects_only_with_a_reason(client, pending, olivia):
    signed_in(client, olivia)
    page = client.post(f"/en/declarations/adjustments/{pending.pk}/", {"decision": "reject", "reason": ""})
    assert "Give the reason for rejecting" in page.content.decode()
    client.post(f"/en/declarations/adjustments/{pending.pk}/", {"decision": "reject", "reason": "No invoice"})
    pending.refresh_from_db()
    assert pending.status == Status.REJECTED
    assert not LedgerEntry.objects.filter(document_version="00002").exists()


def test_a_cad_line_shows_the_tariffs_french_description_on_french_pages(client, maple, alice, tariff_rows, today):
    typed = line(description="Eau de source en bouteilles")  # a description the importer wrote stays as written
    number = services.submit(alice, cad(line(), typed)).declaration.transaction_number
    signed_in(client, alice)
    french = client.get(f"/fr/declarations/{number}/").content.decode()
    english = client.get(f"/en/declarations/{number}/").content.decode()
    assert "<small>Marchandises 2201.90.00.00</small>" in french and "Goods 2201.90.00.00" not in french
    assert "<small>Goods 2201.90.00.00</small>" in english and "Marchandises" not in english
    assert "<small>Eau de source en bouteilles</small>" in french and "Eau de source en bouteilles" in english

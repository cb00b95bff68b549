"""The declarations list exports as CSV (issue 17, items 8 and 6): the same rows the filtered list
shows, every page of them, headed in the page's language."""

import csv
import datetime as dt
import io

from declarations import services

from .conftest import RM2, cad


def _rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_holds_the_filtered_list_headed_in_english(client, maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    first = services.submit(alice, cad()).declaration
    services.submit(alice, cad(importer=RM2))
    client.force_login(alice)
    response = client.get("/en/declarations/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _rows(response)
    assert header[:3] == ["Transaction number", "Importer account", "Release date"]
    assert len(rows) == 2
    filtered = _rows(client.get(f"/en/declarations/?program_account={first.program_account.number}&format=csv"))
    assert [row[0] for row in filtered[1:]] == [first.transaction_number]
    assert filtered[1][3] == first.get_status_display()


def test_the_csv_of_a_french_page_is_headed_in_french(client, maple, alice, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    services.submit(alice, cad())
    client.force_login(alice)
    header, row = _rows(client.get("/fr/declarations/?format=csv"))
    assert header[0] == "Numéro de transaction"
    assert row[3] == "Acceptée"


def test_a_reader_opening_the_new_cad_page_is_told_why_and_who_gives_access(client, reader):
    client.force_login(reader)
    response = client.get("/en/declarations/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your access lets you view, not change" in page
    assert "alice@maple.example" in page  # Maple's business account manager
    assert 'name="lines-0-classification"' not in page  # no empty form

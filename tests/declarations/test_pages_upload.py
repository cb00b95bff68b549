"""CSV upload of CAD lines on the CAD form: the documented columns, a template to download, every
row checked by the same validation as typed lines, and all-or-nothing: a file with a bad row adds
no line and reports each problem by row (the column names are row 1) and column."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from declarations import uploads
from declarations.forms import LINE_FIELDS
from declarations.models import Declaration

from .conftest import cad, line
from .test_pages import NEW, form_data, signed_in

COLUMNS = "narrative,classification,tariff_treatment,origin,export_country,vfd_code,quantity,unit,value\r\n"


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def upload(client, payload, text, name="lines.csv"):
    data = form_data(payload, action="upload")
    data["lines_file"] = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(NEW, data).content.decode()


def test_good_rows_land_in_the_form_replacing_a_blank_line(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    blank = dict.fromkeys(LINE_FIELDS, "")
    text = (
        COLUMNS
        + "Still water,2201900000,MFN,FR,FR,13,1000,LTR,10000.00\r\n"
        + "\r\n"  # a blank row, skipped
        + "Mineral water,2201.90.00.00,MFN,FR,FR,13,2000,LTR,20000.00\r\n"
    )
    html = upload(client, cad(blank), text)
    assert "2 lines were added from the file." in html
    assert 'name="lines-TOTAL_FORMS" value="2"' in html
    assert 'value="Still water"' in html and 'value="Mineral water"' in html
    assert Declaration.objects.count() == 0  # in the form, not yet declared


def test_a_file_with_bad_rows_adds_no_line_and_names_each_row_and_column(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    text = (
        COLUMNS + "Still water,2201900000,MFN,FR,FR,13,1000,LTR,10000.00\r\n"
        "Unknown goods,9999999999,MFN,FR,FR,13,1,LTR,5.00\r\n"
        "Water,2201900000,MFN,FRANCE,FR,77,1,LTR,abc\r\n"
    )
    html = upload(client, cad(line(narrative="Typed by hand")), text)
    assert "No line was added: the file has problems" in html
    assert 'name="lines-TOTAL_FORMS" value="1"' in html and 'value="Typed by hand"' in html
    rows = [(error.row, error.column) for error in _errors(html)]
    assert (3, "classification") in rows
    assert {(4, "origin"), (4, "vfd_code"), (4, "value")} <= set(rows)
    assert not any(row == 2 for row, _ in rows)


def _errors(html):
    """The (row, column) pairs of the upload's error table."""
    import re

    table = html[html.index("Problems in the file") :]
    table = table[: table.index("</table>")]
    return [
        uploads.RowError(int(row), column if column != "—" else "", message)
        for row, column, message in re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
    ]


def test_an_unknown_column_is_refused_before_any_row(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    html = upload(client, cad(), "narrative,colour\r\nWater,blue\r\n")
    assert "Unknown column" in html and "colour" in html
    assert 'name="lines-TOTAL_FORMS" value="1"' in html


def test_semicolons_and_windows_1252_are_read(maple):
    text = "narrative;value\r\nCafé crème;12.50\r\n".encode("cp1252")
    rows = uploads.read_lines(SimpleUploadedFile("x.csv", text))
    assert rows == [(2, {**dict.fromkeys(LINE_FIELDS, ""), "narrative": "Café crème", "value": "12.50"})]


def test_an_empty_file_or_no_file_is_a_clear_error(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    assert "The file is empty" in upload(client, cad(), "")
    assert "Choose a CSV file" in client.post(NEW, form_data(cad(), action="upload")).content.decode()


def test_the_template_and_the_column_page_document_the_format(client, maple, alice):
    signed_in(client, alice)
    template = client.get("/en/declarations/lines-template.csv")
    assert template["Content-Type"].startswith("text/csv")
    header, example = template.content.decode().splitlines()
    assert header.split(",") == LINE_FIELDS and "6109.10.00.11" in example
    page = client.get("/en/declarations/csv-format/").content.decode()
    assert all(f"<code>{name}</code>" in page for name in LINE_FIELDS)


# --- Excel workbooks: the same columns, rows and errors as CSV ------------------------------------


def workbook(*rows) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload_file(client, payload, content: bytes, name):
    data = form_data(payload, action="upload")
    data["lines_file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(NEW, data)
    assert response.status_code == 200
    return response.content.decode()


HEADER = COLUMNS.strip().split(",")


def test_an_excel_workbook_adds_its_lines_numbers_as_typed(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    content = workbook(
        HEADER,
        ["Still water", "2201900000", "MFN", "FR", "FR", 13, 1000, "LTR", 10000.0],  # numbers as Excel stores them
        [None] * len(HEADER),  # a blank row, skipped
        ["Mineral water", "2201.90.00.00", "MFN", "FR", "FR", "13", 2000.5, "LTR", "20000.00", None, None],
    )
    html = upload_file(client, cad(dict.fromkeys(LINE_FIELDS, "")), content, "lines.xlsx")
    assert "2 lines were added from the file." in html
    assert 'value="Still water"' in html and 'value="Mineral water"' in html
    assert 'id="id_lines-0-vfd_code"' in html or "lines-0-vfd_code" in html
    assert 'value="10000"' in html and 'value="2000.5"' in html and 'value="13"' in html


def test_bad_rows_of_a_workbook_are_reported_by_row_and_column_like_csv(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    content = workbook(
        HEADER,
        ["Still water", "2201900000", "MFN", "FR", "FR", "13", 1000, "LTR", 10000],
        ["Unknown goods", "9999999999", "MFN", "FR", "FR", "13", 1, "LTR", 5],
        ["Water", "2201900000", "MFN", "FRANCE", "FR", "77", 1, "LTR", "abc"],
    )
    html = upload_file(client, cad(line(narrative="Typed by hand")), content, "lines.xlsx")
    assert "No line was added: the file has problems" in html
    assert 'name="lines-TOTAL_FORMS" value="1"' in html and 'value="Typed by hand"' in html
    rows = {(error.row, error.column) for error in _errors(html)}
    assert (3, "classification") in rows and {(4, "origin"), (4, "vfd_code"), (4, "value")} <= rows
    assert not any(row == 2 for row, _ in rows)


def test_the_csv_and_excel_readers_give_the_same_lines(maple):
    csv_text = "narrative,quantity,value\r\nWater,12,3.50\r\n"
    excel = workbook(["narrative", "quantity", "value"], ["Water", 12, "3.50"])
    assert uploads.read_lines(SimpleUploadedFile("a.csv", csv_text.encode())) == uploads.read_lines(
        SimpleUploadedFile("a.xlsx", excel)
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"narrative,value\r\nWater,1\r\n", "lines.xlsx", "not an Excel workbook (.xlsx) that can be read"),
        (b"PK\x03\x04 not really a zip", "lines.xlsx", "not an Excel workbook (.xlsx) that can be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "lines.xls", "Old Excel workbooks (.xls) are not read"),
    ],
)
def test_a_file_that_is_no_workbook_is_a_clear_error_not_a_500(
    client, maple, alice, tariff_rows, today, content, name, message
):
    signed_in(client, alice)
    html = upload_file(client, cad(line(narrative="Typed by hand")), content, name)
    assert message in html and "No line was added" in html and 'value="Typed by hand"' in html


def test_a_truncated_workbook_is_a_clear_error(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    whole = workbook(HEADER, ["Water"] + [""] * 8)
    html = upload_file(client, cad(), whole[: len(whole) // 2], "lines.xlsx")
    assert "not an Excel workbook (.xlsx) that can be read" in html


def test_a_file_over_5_mb_is_refused(client, maple, alice, tariff_rows, today):
    signed_in(client, alice)
    big = COLUMNS + "x" * (uploads.MAX_BYTES + 1)
    for name in ("lines.csv", "lines.xlsx"):
        html = upload_file(client, cad(), big.encode(), name)
        assert "The file is larger than 5 MB: split it into several files." in html


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(maple):
    from io import BytesIO
    from zipfile import ZIP_DEFLATED, ZipFile

    out = BytesIO(workbook(["narrative"], ["Water"]))
    with ZipFile(out, "a", ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(uploads.MAX_UNPACKED_BYTES))  # a few kB packed
    assert len(out.getvalue()) < uploads.MAX_BYTES
    with pytest.raises(uploads.UploadError) as refused:
        uploads.read_lines(SimpleUploadedFile("lines.xlsx", out.getvalue()))
    assert "too much once unpacked" in refused.value.errors[0].message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_of_more_than_2000_rows_is_refused(maple, kind):
    rows = [["narrative"], ["Water"]] + [[""]] * uploads.MAX_ROWS  # blank rows count: they cost reading too
    if kind == "csv":
        content = "\r\n".join(row[0] for row in rows).encode()
    else:
        content = workbook(*rows)
    with pytest.raises(uploads.UploadError) as refused:
        uploads.read_lines(SimpleUploadedFile(f"lines.{kind}", content))
    assert [(error.row, error.message) for error in refused.value.errors] == [
        (uploads.MAX_ROWS + 1, "The file has more than 2000 rows: split it into several files.")
    ]


def test_the_excel_template_has_every_column_and_an_example_row(client, maple, alice):
    from io import BytesIO

    from openpyxl import load_workbook

    signed_in(client, alice)
    response = client.get("/en/declarations/lines-template.xlsx")
    assert response["Content-Type"] == uploads.CONTENT_TYPES["xlsx"]
    assert 'filename="cad-lines-template.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    header, example = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert header == LINE_FIELDS and example[LINE_FIELDS.index("classification")] == "6109.10.00.11"
    assert uploads.read_lines(SimpleUploadedFile("t.xlsx", response.content))[0][1]["unit"] == "NMB"
    page = client.get(NEW).content.decode()
    assert "/en/declarations/lines-template.xlsx" in page and "<gcds-file-uploader" in page

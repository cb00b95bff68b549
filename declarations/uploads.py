"""Files of CAD lines, for invoices too long to type (the CAD form's "Add lines from a file"):
a CSV file or an Excel workbook (.xlsx), both laid out the same way.

The format: a first row naming the columns, one row per invoice line. The columns are the line
fields of the CAD payload (the rows of declarations.fields, the API's names), in any order; leave out the ones
you do not use. A CSV file is UTF-8 (Excel's "CSV UTF-8"; Windows-1252 is also read), comma- or
semicolon-separated; a workbook is read from its first sheet. `template("csv")` and
`template("xlsx")` are files with every column and one example row.

Two readers turn the file into rows of text cells (`_csv_rows`, `_xlsx_rows`); one parser
(`_lines`) makes them lines. This module only reads the file: it refuses what is not a table of
those columns (unknown column, a row longer than the first row, too many rows, too large, not a
CSV file or workbook). Whether each value is right — a known classification, an eligible
treatment, a number — is declarations.validation's to say; the page runs the rows through
services.preview and reports each error by row and column (rows counted as in a spreadsheet: the
column names are row 1)."""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .fields import BY_PART, Part, names
from .validation import MAX_LINES

LINE_FIELDS = names(Part.LINE)

MAX_MEGABYTES = 5
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a workbook is a zip: what it unpacks to is what costs
MAX_ROWS = 2000  # rows of the file, blank ones and the column names included
EXCEL_TYPES = (".xlsx", ".xlsm")
EXAMPLE = {row.name: row.example for row in BY_PART[Part.LINE].values() if row.example}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the column names are row 1
    column: str
    message: str


class UploadError(ValueError):
    """The file as a whole cannot be read as lines (its `errors` say why)."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


def _refuse(message, row=0) -> UploadError:
    return UploadError([RowError(row, "", str(message))])


def read_lines(upload, columns: list[str] = LINE_FIELDS, most: int = MAX_LINES) -> list[tuple[int, dict]]:
    """The lines of an uploaded CSV file or Excel workbook as (row number, line): each line a dict
    of `columns` (text, blank when the column is absent; LINE_FIELDS for a CAD's lines, at most
    `most` of them); blank rows skipped. Raises UploadError."""
    if upload is None:
        raise _refuse(_("Choose a CSV file or an Excel workbook (.xlsx) to upload."))
    if upload.size > MAX_BYTES:
        raise _refuse(_("The file is larger than %(size)s MB: split it into several files.") % {"size": MAX_MEGABYTES})
    name = (upload.name or "").lower()
    raw = upload.read()
    if name.endswith(".xls") or raw.startswith(b"\xd0\xcf\x11\xe0"):  # the Excel 97-2003 format
        raise _refuse(_("Old Excel workbooks (.xls) are not read: save the file as .xlsx or as CSV UTF-8."))
    excel = name.endswith(EXCEL_TYPES) or zipfile.is_zipfile(io.BytesIO(raw))
    return _lines(_xlsx_rows(raw) if excel else _csv_rows(raw), columns, most)


def _csv_rows(raw: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(_('The file is not text in UTF-8: save it as "CSV UTF-8".'))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as error:
        raise _refuse(_("The file cannot be read as CSV: %(problem)s.") % {"problem": error}) from error


def _xlsx_rows(raw: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    unreadable = _("The file is not an Excel workbook (.xlsx) that can be read: open it in Excel and save it again.")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise _refuse(unreadable) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(_("The workbook holds too much once unpacked: split it into several files."))
    # A damaged workbook fails in many ways (zip, XML, missing parts) depending on what is damaged.
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:
        raise _refuse(unreadable) from error
    try:
        for row in workbook.worksheets[0].iter_rows(max_col=len(LINE_FIELDS) + 20, values_only=True):
            yield [_cell_text(value) for value in row]
    except Exception as error:
        raise _refuse(unreadable) from error
    finally:
        workbook.close()


def _cell_text(value) -> str:
    """A workbook cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _trimmed(row: list[str]) -> list[str]:
    """The row's cells, stripped, without the blank ones at its end (a spreadsheet's formatting)."""
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _lines(rows: Iterable[list[str]], allowed: list[str], most: int) -> list[tuple[int, dict]]:
    """The lines of a table of text cells whose first row names the columns."""
    rows = iter(rows)
    columns = [name.lower() for name in _trimmed(next(rows, []))]
    if not any(columns):
        raise _refuse(_("The file is empty: its first row names the columns."), row=1)
    errors = [
        RowError(1, name, str(_("Unknown column; the columns are: %(columns)s.") % {"columns": ", ".join(allowed)}))
        for name in columns
        if name not in allowed
    ]
    if errors:
        raise UploadError(errors)
    lines = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise _refuse(
                _("The file has more than %(count)s rows: split it into several files.") % {"count": MAX_ROWS}, number
            )
        cells = _trimmed(row)
        if not cells:
            continue
        if len(cells) > len(columns):
            errors.append(RowError(number, "", str(_("This row has more cells than there are columns."))))
            continue
        values = dict(zip(columns, cells, strict=False))
        lines.append((number, {name: values.get(name, "") for name in allowed}))
        if len(lines) > most:
            raise _refuse(_("A CAD has at most %(count)s lines.") % {"count": most}, number)
    if errors:
        raise UploadError(errors)
    if not lines:
        raise _refuse(_("The file has no lines under its column names."), row=2)
    return lines


def template(kind: str) -> bytes:
    """A CSV file ("csv") or an Excel workbook ("xlsx") with every column and one example row."""
    example = [EXAMPLE.get(name, "") for name in LINE_FIELDS]
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows([LINE_FIELDS, example])
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "lines"
    sheet.append(LINE_FIELDS)
    sheet.append(example)  # text cells: classification numbers and codes keep their dots and zeros
    for index, name in enumerate(LINE_FIELDS, start=1):
        sheet.cell(1, index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(len(name), len(EXAMPLE.get(name, ""))) + 2
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

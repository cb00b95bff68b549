"""Reading CBSA tariff files into clean rows, rejecting bad rows one by one with a reason.

Two layouts are known, told apart by their header:
- the TPHS table of CBSA's yearly Customs Tariff file (TARIFF, EFF_DATE, DESC1..3, UOM, one column
  per treatment), e.g. the T2021 export;
- the column subset some tools export (digits, tariff, description, mfn, ust, mxt,
  general_tariff, uom), e.g. the T2026 subset. It has no EFF_DATE: the loader needs a date.

A file only speaks for the columns it has: `ScheduleFile.fields` and `.treatments` list them, and
the loader carries every other value forward from the previous version.
"""

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .codes import LEVEL_BY_LENGTH, InvalidCode, digits_of, dotted
from .treatments import TREATMENTS

csv.field_size_limit(10_000_000)  # chapter 99 descriptions run to tens of thousands of characters

_UNIT = re.compile(r"[A-Z0-9]{3}")
_NO_UNIT = {"", "-"}
MAX_RATE_LENGTH = 255


class SourceError(ValueError):
    """The file as a whole cannot be read: nothing is loaded."""


@dataclass(frozen=True)
class Layout:
    name: str
    code_column: str
    description_columns: tuple[str, ...]
    field_columns: dict[str, str]  # TariffLine field -> column
    treatment_columns: dict[str, str]  # treatment code -> column
    digits_column: str | None = None


TPHS = Layout(
    name="CBSA TPHS table",
    code_column="TARIFF",
    # DESC2 and DESC3 continue DESC1 where the Access memo field was cut, sometimes mid-word.
    description_columns=("DESC1", "DESC2", "DESC3"),
    field_columns={
        "subchapter_title": "SUB_CHAP",
        "footnote": "FOOTNOTE",
        "unit_of_measure": "UOM",
        "amended_on": "EFF_DATE",
    },
    treatment_columns={code: code for code in TREATMENTS},
)
SUBSET = Layout(
    name="tariff column subset (digits, tariff, description, mfn, ust, mxt, general_tariff, uom)",
    code_column="tariff",
    digits_column="digits",
    description_columns=("description",),
    field_columns={"unit_of_measure": "uom"},
    treatment_columns={"MFN": "mfn", "UST": "ust", "MXT": "mxt", "GT": "general_tariff"},
)
LAYOUTS = (TPHS, SUBSET)


@dataclass
class SourceRow:
    line_number: int
    code: str
    values: dict  # TariffLine fields the file carries
    rates: dict[str, str]  # treatment -> printed rate ("" when the cell is empty)


@dataclass
class Rejection:
    line_number: int
    code: str
    reason: str


@dataclass
class ScheduleFile:
    layout: Layout
    fields: set[str]
    treatments: list[str]
    rows: list[SourceRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def latest_amendment(self) -> date | None:
        return max((row.values["amended_on"] for row in self.rows if row.values.get("amended_on")), default=None)

    def rejected_codes(self) -> set[str]:
        """Codes of the rejected rows whose code could be read."""
        return {rejection.code for rejection in self.rejected if rejection.code}

    def readable_codes(self) -> set[str]:
        return {row.code for row in self.rows} | self.rejected_codes()


def file_sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def clean_text(text: str | None) -> str:
    """Trim each line and collapse runs of spaces, keeping the line breaks of long lists."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(lines).strip()


def parse_source_date(text: str) -> date | None:
    """EFF_DATE as Access exports it (4/1/2021 0:00:00) or ISO; None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def csv_records(path: Path) -> Iterator[tuple[int, dict | None, str]]:
    """(line number, record, error) for each CSV record; a malformed record yields its error.

    Undecodable bytes become U+FFFD so that one bad byte rejects one row, not the whole file.
    """
    read_header(path)
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        while True:
            line_number = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield line_number, None, f"unreadable CSV record: {error}"
                continue
            yield line_number, record, ""


def detect_layout(header: list[str]) -> Layout:
    for layout in LAYOUTS:
        if {layout.code_column, *layout.description_columns} <= set(header):
            return layout
    raise SourceError(
        "unknown tariff file layout: expected the columns of "
        + " or of ".join(layout.name for layout in LAYOUTS)
        + f"; found {', '.join(header)}"
    )


def read_header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), [])
    if not header:
        raise SourceError(f"{path.name}: empty file, no header")
    return header


def read_schedule(path: Path) -> ScheduleFile:
    path = Path(path)
    header = read_header(path)
    layout = detect_layout(header)
    schedule = ScheduleFile(
        layout=layout,
        fields={"description_en"} | {name for name, column in layout.field_columns.items() if column in header},
        treatments=[code for code, column in layout.treatment_columns.items() if column in header],
    )
    seen: dict[str, int] = {}
    for line_number, record, error in csv_records(path):
        if error:
            schedule.rejected.append(Rejection(line_number, "", error))
            continue
        code, reason = _read_code(record, layout)
        if not reason and code in seen:
            reason = f"duplicate of the row on line {seen[code]}"
        if not reason:
            row, reason = _read_row(line_number, code, record, layout, schedule)
        if reason:
            schedule.rejected.append(Rejection(line_number, code, reason))
        else:
            seen[code] = line_number
            schedule.rows.append(row)
    return schedule


def _read_code(record: dict, layout: Layout) -> tuple[str, str]:
    printed = record.get(layout.code_column) or ""
    try:
        code = digits_of(printed)
    except InvalidCode:
        return "", f"malformed code {printed.strip()[:20]!r}"
    if len(code) < 4:
        return "", f"code {printed.strip()!r} is shorter than a heading (4 digits)"
    if layout.digits_column and (record.get(layout.digits_column) or "").strip() != code:
        return code, f"the {layout.digits_column} column disagrees with the code {printed.strip()!r}"
    return code, ""


def _read_row(line_number: int, code: str, record: dict, layout: Layout, schedule: ScheduleFile):
    """(SourceRow, "") or (None, reason)."""
    if any("\ufffd" in (value or "") for value in record.values() if isinstance(value, str)):
        return None, "invalid UTF-8 bytes"
    # The TPHS description columns continue one another; other layouts have a single column.
    description = clean_text("".join(record.get(column) or "" for column in layout.description_columns))
    if not description:
        return None, "no description"
    values = {
        "printed_code": dotted(code),
        "level": LEVEL_BY_LENGTH[len(code)],
        "chapter": code[:2],
        "description_en": description,
    }
    for name in schedule.fields - {"description_en"}:
        raw = record.get(layout.field_columns[name])
        if name == "amended_on":
            try:
                values[name] = parse_source_date(raw)
            except ValueError:
                return None, f"unreadable date {raw!r}"
        elif name == "unit_of_measure":
            unit = clean_text(raw)
            if unit not in _NO_UNIT and not _UNIT.fullmatch(unit):
                return None, f"unknown unit of measure {unit[:20]!r}"
            values[name] = "" if unit in _NO_UNIT else unit
        else:
            values[name] = clean_text(raw)
    rates = {
        treatment: clean_text(record.get(layout.treatment_columns[treatment])) for treatment in schedule.treatments
    }
    too_long = [treatment for treatment, text in rates.items() if len(text) > MAX_RATE_LENGTH]
    if too_long:
        return None, f"{too_long[0]} rate longer than {MAX_RATE_LENGTH} characters"
    return SourceRow(line_number, code, values, rates), ""

"""Loading tariff data as dated versions: a new version closes what changed, never overwrites.

Rules the loader keeps (tests/tariff/test_loader.py holds each one):
- Loading the same file twice is a no-op (files are recognised by checksum).
- Versions are appended in date order; a version dated on or before the latest one is refused.
- A row that changed is closed on the new version's date and its replacement opens that day;
  a row absent from the new file is closed; an unchanged row is left alone.
- A file only speaks for its own columns. A schedule carrying only MFN/UST/MXT/GT leaves the
  other treatments' rates open (they stay visible with the version they came from), and a
  line field it lacks (sub-chapter title, footnote) is carried forward.
- A rejected row changes nothing about its code: its previous rows and rates stay open.
- Everything happens in one transaction: a failure leaves the database as it was.
"""

import csv
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from assessment_engine import RateParseError, parse_rate

from .models import Change, Chapter, DataLoad, FrenchSource, HsCode, LegalNote, Rate, Section, TariffLine
from .sources import Rejection, clean_text, csv_records, file_sha256, read_schedule

BATCH_SIZE = 2000
LINE_FIELDS = (
    "description_en",
    "description_fr",
    "description_fr_source",
    "subchapter_title",
    "footnote",
    "unit_of_measure",
    "parent_code",
)
NOTE_COLUMNS = {
    LegalNote.Kind.NOTE: "note",
    LegalNote.Kind.SUBHEADING: "subheading note",
    LegalNote.Kind.SUPPLEMENTARY: "supplementary note",
    LegalNote.Kind.STATISTICAL: "statistical note",
}


class LoadError(ValueError):
    """The load was refused as a whole; nothing changed."""


@dataclass
class Tally:
    added: int = 0
    amended: int = 0
    removed: int = 0
    unchanged: int = 0
    carried_forward: int = 0  # left open because the file does not speak for them


@dataclass
class LoadReport:
    version: DataLoad
    already_loaded: bool = False
    rows_read: int = 0
    lines: Tally = field(default_factory=Tally)
    rates: Tally = field(default_factory=Tally)
    notes: Tally = field(default_factory=Tally)
    rejected: list[Rejection] = field(default_factory=list)
    unparsed_rates: dict[str, str] = field(default_factory=dict)  # printed text -> parser's reason
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "lines": vars(self.lines),
            "rates": vars(self.rates),
            "notes": vars(self.notes),
            "rejected": len(self.rejected),
            "unparsed_rates": len(self.unparsed_rates),
            "seconds": round(self.seconds, 2),
        }


def reconcile(model, current: dict, incoming: dict, differs, keep: set, version: DataLoad) -> list:
    """Make the open rows of `model` equal `incoming` from `version.effective_date` on.

    `current` and `incoming` map a key to field values (current ones with their "pk");
    `differs(before, after)` says whether a row changed; keys in `keep` are left open even when
    absent from `incoming`. Returns (action, key, before, after) for every difference, and writes
    them: changed and absent rows closed, new rows created.
    """
    day = version.effective_date
    differences, to_close, to_create = [], [], []
    for key, after in incoming.items():
        before = current.get(key)
        if before is None:
            differences.append((Change.Action.ADDED, key, None, after))
        elif differs(before, after):
            differences.append((Change.Action.AMENDED, key, before, after))
            to_close.append(before["pk"])
        else:
            continue
        to_create.append(model(**after, valid_from=day, version=version))
    for key in current.keys() - incoming.keys() - keep:
        differences.append((Change.Action.REMOVED, key, current[key], None))
        to_close.append(current[key]["pk"])
    for start in range(0, len(to_close), BATCH_SIZE):
        model.objects.filter(pk__in=to_close[start : start + BATCH_SIZE]).update(valid_to=day)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    return differences


def tally(differences: list, current_count: int, kept: int = 0) -> Tally:
    counts = Tally()
    for action, *_ in differences:
        setattr(counts, action, getattr(counts, action) + 1)
    counts.carried_forward = kept
    counts.unchanged = current_count - counts.amended - counts.removed - kept
    return counts


def _checksum_and_earlier_load(kind: str, *paths: Path) -> tuple[str, LoadReport | None]:
    """The files' checksum, and the report of their earlier load if they were loaded already."""
    sha256 = file_sha256(*paths)
    earlier = DataLoad.objects.filter(kind=kind, sha256=sha256).first()
    return sha256, LoadReport(version=earlier, already_loaded=True) if earlier else None


def _finish(report: LoadReport, started: float) -> LoadReport:
    report.seconds = time.perf_counter() - started
    report.version.summary = report.as_dict()
    report.version.save(update_fields=["summary"])
    return report


def _refuse_older(kind: str, effective_date: date) -> None:
    """History is only ever appended: a version must be dated after the latest one."""
    latest = DataLoad.objects.filter(kind=kind).order_by("-effective_date").first()
    if latest and effective_date <= latest.effective_date:
        raise LoadError(
            f"{latest} is already loaded: versions can only be added after it "
            f"(this one is dated {effective_date.isoformat()})."
        )


# --- schedule ----------------------------------------------------------------------------------


def load_schedule(path, effective_date: date | None = None, label: str = "", dry_run: bool = False) -> LoadReport:
    started = time.perf_counter()
    path = Path(path)
    sha256, earlier = _checksum_and_earlier_load(DataLoad.Kind.SCHEDULE, path)
    if earlier:
        return earlier
    schedule = read_schedule(path)
    effective_date = effective_date or schedule.latest_amendment
    if effective_date is None:
        raise LoadError(f"{path.name} has no effective dates (EFF_DATE): give the schedule's effective date.")
    _reject_unknown_chapters(schedule)
    with transaction.atomic():
        _refuse_older(DataLoad.Kind.SCHEDULE, effective_date)
        has_previous = DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE).exists()
        version = DataLoad.objects.create(
            kind=DataLoad.Kind.SCHEDULE,
            label=label or path.stem,
            effective_date=effective_date,
            source_name=path.name,
            sha256=sha256,
            treatments=schedule.treatments,
        )
        report = LoadReport(version=version, rows_read=len(schedule.rows) + len(schedule.rejected))
        report.rejected = schedule.rejected
        line_differences = _load_lines(schedule, version, report)
        rate_differences = _load_rates(schedule, version, report)
        if has_previous:
            _record_changes(version, line_differences, rate_differences)
        _finish(report, started)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _reject_unknown_chapters(schedule) -> None:
    """Every row belongs to a chapter the legal notes created (chapter 77 is reserved)."""
    chapters = set(Chapter.objects.values_list("number", flat=True))
    unknown = [row for row in schedule.rows if row.code[:2] not in chapters]
    schedule.rows = [row for row in schedule.rows if row.code[:2] in chapters]
    schedule.rejected += [
        Rejection(
            row.line_number, row.code, f"chapter {row.code[:2]} is unknown: load the section and chapter notes first"
        )
        for row in unknown
    ]


def _load_lines(schedule, version: DataLoad, report: LoadReport) -> list:
    current = {row["code"]: row for row in TariffLine.objects.current().values("pk", "code", *LINE_FIELDS)}
    kept = schedule.rejected_codes() & current.keys()
    printed_codes = {row.code for row in schedule.rows} | kept
    incoming = {}
    for row in schedule.rows:
        previous = current.get(row.code, {})
        values = {name: previous.get(name, "") for name in LINE_FIELDS}  # columns the file lacks
        values.update(row.values)
        values["code"] = row.code
        values["parent_code"] = _parent_code(row.code, printed_codes)
        values.setdefault("amended_on", version.effective_date)
        incoming[row.code] = values
    differences = reconcile(TariffLine, current, incoming, _line_differs, kept, version)
    report.lines = tally(differences, len(current), kept=len(kept))
    return differences


def _line_differs(before: dict, after: dict) -> bool:
    return any(before[name] != after[name] for name in LINE_FIELDS)


def _parent_code(code: str, printed_codes: set[str]) -> str:
    """The longest printed code that is a proper prefix of `code`; the chapter for headings."""
    for length in range(len(code) - 1, 3, -1):
        if code[:length] in printed_codes:
            return code[:length]
    return code[:2]


def _load_rates(schedule, version: DataLoad, report: LoadReport) -> list:
    """Rates sit on 8-digit rows; a 10-digit row bears them only when no 8-digit row prints above it
    (the 10-digit rows otherwise repeat their tariff item's rates, sometimes partly)."""
    readable, rejected_codes = schedule.readable_codes(), schedule.rejected_codes()
    bearing = [
        row for row in schedule.rows if len(row.code) == 8 or (len(row.code) == 10 and row.code[:8] not in readable)
    ]
    still_bearing = {row.code for row in bearing} | rejected_codes
    carried = set(schedule.treatments)
    current = {
        (row["code"], row["treatment"]): row
        for row in Rate.objects.current().values("pk", "code", "treatment", "text", "structured")
    }
    keep = {
        (code, treatment)
        for code, treatment in current
        if code in rejected_codes or (code in still_bearing and treatment not in carried)
    }
    structured_of = {}
    incoming = {}
    for row in bearing:
        for treatment, text in row.rates.items():
            if text:
                if text not in structured_of:
                    structured_of[text] = _structured(text, report)
                incoming[(row.code, treatment)] = {
                    "code": row.code,
                    "treatment": treatment,
                    "text": text,
                    "structured": structured_of[text],
                }
    differences = reconcile(Rate, current, incoming, _rate_differs, keep, version)
    report.rates = tally(differences, len(current), kept=len(keep))
    return differences


def _rate_differs(before: dict, after: dict) -> bool:
    """Rates differ in meaning: "6.5%" and "6.5 %" are the same rate; texts the parser cannot read
    are compared as printed."""
    if before["structured"] is not None and after["structured"] is not None:
        return before["structured"] != after["structured"]
    return before["text"] != after["text"]


def _structured(text: str, report: LoadReport) -> dict | None:
    try:
        return parse_rate(text).to_dict()
    except RateParseError as error:
        report.unparsed_rates[text] = error.reason
        return None


def _record_changes(version: DataLoad, line_differences: list, rate_differences: list) -> None:
    changes = [
        Change(version=version, code=code, action=action, **_before_after(before, after, LINE_FIELDS))
        for action, code, before, after in line_differences
    ]
    changes += [
        Change(
            version=version, code=code, treatment=treatment, action=action, **_before_after(before, after, ("text",))
        )
        for action, (code, treatment), before, after in rate_differences
    ]
    Change.objects.bulk_create(changes, batch_size=BATCH_SIZE)


def _before_after(before: dict | None, after: dict | None, fields: tuple) -> dict:
    """The fields that differ (all of them for an addition or a removal), before and after."""
    if before and after:
        fields = tuple(name for name in fields if before[name] != after[name])
    return {
        "before": {name: before[name] for name in fields} if before else None,
        "after": {name: after[name] for name in fields} if after else None,
    }


# --- legal notes -------------------------------------------------------------------------------


def load_notes(sections_path, chapters_path, effective_date: date, label: str = "") -> LoadReport:
    """Section and chapter titles, and their notes, from the two CSV files of the notes export."""
    started = time.perf_counter()
    sections_path, chapters_path = Path(sections_path), Path(chapters_path)
    sha256, earlier = _checksum_and_earlier_load(DataLoad.Kind.NOTES, sections_path, chapters_path)
    if earlier:
        return earlier
    with transaction.atomic():
        _refuse_older(DataLoad.Kind.NOTES, effective_date)
        version = DataLoad.objects.create(
            kind=DataLoad.Kind.NOTES,
            label=label or sections_path.parent.name,
            effective_date=effective_date,
            source_name=f"{sections_path.name}, {chapters_path.name}",
            sha256=sha256,
        )
        report = LoadReport(version=version)
        incoming = {}
        for line_number, record in _records(sections_path, report):
            number, title = (record.get("section") or "").strip(), clean_text(record.get("title"))
            if not (number.isdigit() and title):
                report.rejected.append(Rejection(line_number, number[:10], "needs a section number and a title"))
                continue
            section, _ = Section.objects.update_or_create(
                number=int(number), defaults={"roman": (record.get("number") or "").strip(), "title_en": title}
            )
            incoming.update(_notes_of(record, section=section))
        sections = set(Section.objects.values_list("number", flat=True))
        for line_number, record in _records(chapters_path, report):
            number, title = (record.get("chapter") or "").strip().zfill(2), clean_text(record.get("title"))
            section = (record.get("section") or "").strip()
            if not (len(number) == 2 and number.isdigit() and title and section.isdigit() and int(section) in sections):
                report.rejected.append(
                    Rejection(line_number, number[:10], "needs a chapter number, a title and a known section")
                )
                continue
            chapter, _ = Chapter.objects.update_or_create(
                number=number, defaults={"section_id": int(section), "title_en": title}
            )
            incoming.update(_notes_of(record, chapter=chapter))
        current = {
            (row["section_id"], row["chapter_id"], row["kind"]): row
            for row in LegalNote.objects.current().values("pk", "section_id", "chapter_id", "kind", "text_en")
        }
        differences = reconcile(LegalNote, current, incoming, _note_differs, set(), version)
        report.notes = tally(differences, len(current))
        return _finish(report, started)


def _note_differs(before: dict, after: dict) -> bool:
    return before["text_en"] != after["text_en"]


def _records(path: Path, report: LoadReport):
    """(line number, record with lower-case column names); malformed records go to the report."""
    for line_number, record, error in csv_records(path):
        report.rows_read += 1
        if error:
            report.rejected.append(Rejection(line_number, "", error))
        else:
            yield line_number, {(key or "").strip().lower(): value for key, value in record.items()}


def _notes_of(record: dict, section: Section | None = None, chapter: Chapter | None = None) -> dict:
    notes = {}
    for kind, column in NOTE_COLUMNS.items():
        text = clean_text(record.get(column))
        if text:
            key = (section and section.pk, chapter and chapter.pk, kind.value)
            notes[key] = {"section": section, "chapter": chapter, "kind": kind.value, "text_en": text}
    return notes


# --- Harmonized System -------------------------------------------------------------------------

ROMAN = {
    numeral: number
    for number, numeral in enumerate(
        "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI".split(), start=1
    )
}


def load_hs(path, edition: int) -> LoadReport:
    """The HS nomenclature of one edition (reference wording, not dated row by row): a changed
    file replaces that edition's codes."""
    started = time.perf_counter()
    path = Path(path)
    sha256, earlier = _checksum_and_earlier_load(DataLoad.Kind.HS, path)
    if earlier:
        return earlier
    with transaction.atomic():
        version = DataLoad.objects.create(
            kind=DataLoad.Kind.HS,
            label=f"HS {edition}",
            effective_date=date(edition, 1, 1),
            source_name=path.name,
            sha256=sha256,
        )
        report = LoadReport(version=version)
        codes = {}
        for line_number, record in _records(path, report):
            code = (record.get("hscode") or "").strip()
            description = clean_text(record.get("description"))
            section = ROMAN.get((record.get("section") or "").strip())
            if not (code.isdigit() and 2 <= len(code) <= 6 and description and section):
                report.rejected.append(
                    Rejection(line_number, code[:10], "needs a 2- to 6-digit code, a description and a section")
                )
            elif code in codes:
                report.rejected.append(Rejection(line_number, code, "duplicate code"))
            else:
                codes[code] = HsCode(edition=edition, code=code, description=description, section=section)
        HsCode.objects.filter(edition=edition).delete()
        HsCode.objects.bulk_create(codes.values(), batch_size=BATCH_SIZE)
        report.lines.added = len(codes)
        return _finish(report, started)


# --- French text ------------------------------------------------------------------------------
# The same legal text in the other official language, written on the rows in force on the French
# edition's day (the row's version stays, and a later schedule version carries it forward with the
# row). Each file is recorded as a load: loading it again changes nothing. Canada's own French comes
# first; the Harmonized System's French wording only fills rows that have none, and says so.

FRENCH_EDITION_DAY = date(2026, 1, 1)  # "émis le 1 janvier 2026": the T2026 French schedule


def _french_load(path: Path, label: str) -> DataLoad | None:
    """The record of this French file's load; None when it was loaded already."""
    sha256, earlier = _checksum_and_earlier_load(DataLoad.Kind.FRENCH, path)
    if earlier:
        return None
    return DataLoad.objects.create(
        kind=DataLoad.Kind.FRENCH, label=label, effective_date=FRENCH_EDITION_DAY, source_name=path.name, sha256=sha256
    )


def _french_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def load_french_descriptions(path) -> int:
    """The French descriptions of the CBSA French schedule (data/tariff/cbsa-customs-tariff-fr-partial:
    20 chapters of T2026): the 10-digit row by its classification number, the 8-digit row by its
    tariff item, the 4-digit heading by the heading's title. They replace the Harmonized System's
    wording where a row had it. Returns the rows given a French description."""
    path = Path(path)
    with transaction.atomic():
        load = _french_load(path, "Customs Tariff T2026, French edition (20 chapters)")
        if load is None:
            return 0
        by_code = {}
        for row in _french_rows(path):
            if row["edition"] != "2026":
                continue
            code = row["code10"] or row["code8"]
            text = row["description_fr"].strip().lstrip("—– ")  # a 10-digit row prints its level as a dash
            if code and text:
                by_code[code] = text
            heading = row["heading"].replace(".", "")  # 06.01: the 4-digit heading row, its French title
            if len(heading) == 4 and row["heading_desc_fr"].strip():
                by_code.setdefault(heading, row["heading_desc_fr"].strip())
        lines = TariffLine.objects.as_of(FRENCH_EDITION_DAY).filter(code__in=by_code)
        changed = []
        for line in lines.exclude(description_fr_source=FrenchSource.CBSA).only("pk", "code"):
            line.description_fr, line.description_fr_source = by_code[line.code], FrenchSource.CBSA
            changed.append(line)
        return _save_french(load, changed)


def _save_french(load: DataLoad, lines: list) -> int:
    TariffLine.objects.bulk_update(lines, ["description_fr", "description_fr_source"], batch_size=BATCH_SIZE)
    load.summary = {"lines": len(lines)}
    load.save(update_fields=["summary"])
    return len(lines)


def load_hs_french(path) -> int:
    """The French wording of the Harmonized System (data/tariff/hs-fr-eu-taric-2025: the EU's
    nomenclature, whose first six digits are the HS) for the rows with no French yet: chapter titles,
    headings, the 5-digit groupings ("- Chevaux"), 6-digit subheadings, a tariff item that is a whole
    subheading (XXXX.XX.00, alone under it), and a row that repeats its parent's English (a 10-digit
    number under such a tariff item) takes its parent's French. Returns the rows given French."""
    path = Path(path)
    with transaction.atomic():
        load = _french_load(path, "Harmonized System in French (EU TARIC, February 2025)")
        if load is None:
            return 0
        hs = {row["code"]: row["description_fr"] for row in _french_rows(path)}
        for code in [code for code in hs if len(code) == 4 and code + "00" not in hs]:
            hs[code + "00"] = hs[code]  # a heading with no subheadings is its own subheading XXXX.00
        for chapter in Chapter.objects.filter(title_fr="", number__in=hs):
            title = hs[chapter.number]  # printed in capitals: "CAFÉ, THÉ, MATÉ ET ÉPICES"
            chapter.title_fr, chapter.title_fr_source = title[:1] + title[1:].lower(), FrenchSource.HS
            chapter.save(update_fields=["title_fr", "title_fr_source"])
        lines = TariffLine.objects.as_of(FRENCH_EDITION_DAY).only(
            "pk", "code", "parent_code", "description_en", "description_fr", "description_fr_source"
        )
        by_code = {line.code: line for line in lines}
        items_under = Counter(code[:6] for code in by_code if len(code) == 8)
        changed = []
        for line in sorted(by_code.values(), key=lambda line: len(line.code)):  # parents first
            if line.description_fr:
                continue
            code, parent = line.code, by_code.get(line.parent_code)
            whole_subheading = len(code) == 8 and code.endswith("00") and items_under[code[:6]] == 1
            text = hs.get(code[:6] if whole_subheading else code if len(code) <= 6 else "")
            if text:
                line.description_fr, line.description_fr_source = text[:1].upper() + text[1:], FrenchSource.HS
            elif parent and parent.description_fr and parent.description_en == line.description_en:
                line.description_fr, line.description_fr_source = parent.description_fr, parent.description_fr_source
            else:
                continue
            changed.append(line)
        return _save_french(load, changed)


def load_french_notes(path) -> int:
    """The French chapter titles and chapter notes of the CBSA French schedule (a CSV with the
    columns of the English notes file), written on the notes in force on the French edition's day
    that are of the same chapter and kind. Returns the notes given French."""
    path = Path(path)
    with transaction.atomic():
        load = _french_load(path, "Customs Tariff T2026, French edition: chapter notes")
        if load is None:
            return 0
        notes = LegalNote.objects.as_of(FRENCH_EDITION_DAY)
        chapters = written = 0
        for record in _french_rows(path):
            number, title = record["chapter"].zfill(2), clean_text(record["title"])
            chapters += (
                Chapter.objects.filter(number=number)
                .exclude(title_fr=title, title_fr_source=FrenchSource.CBSA)
                .update(title_fr=title, title_fr_source=FrenchSource.CBSA)
            )
            for kind, column in NOTE_COLUMNS.items():
                text = clean_text(record.get(column))
                if text:
                    of_kind = notes.filter(chapter_id=number, kind=kind)
                    written += of_kind.update(text_fr=text, text_fr_source=FrenchSource.CBSA)
        load.summary = {"chapters": chapters, "notes": written}
        load.save(update_fields=["summary"])
        return written

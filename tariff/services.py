"""Questions asked of the tariff, each at a date (`as_of`, today by default). Pages and the API
call these functions; none of them writes."""

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .codes import InvalidCode, digits_of, dotted, prefixes
from .models import Change, Chapter, DataLoad, LegalNote, Rate, Section, TariffLine, code_starts_with
from .search_question import question as distinguishing_question  # noqa: F401 (pages and API ask it here)
from .treatments import TREATMENT_ORDER, TREATMENTS

if TYPE_CHECKING:
    from .search import SearchResult


class TariffError(LookupError):
    """A question the tariff cannot answer, with a machine code and the HTTP status it maps to."""

    code = "not_found"
    status = 404

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NoScheduleInForce(TariffError):
    code = "no_schedule_in_force"


class UnknownCode(TariffError):
    code = "unknown_code"


class MalformedCode(TariffError):
    code = "invalid_code"
    status = 400


def today() -> date:
    return timezone.localdate()


def data_revision() -> tuple:
    """Changes with every load of tariff data: keys the reference cache and the API's ETags.
    Raw SQL because it runs on every look-up and costs a tenth of the ORM query."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), MAX(loaded_at) FROM {DataLoad._meta.db_table}")
        return tuple(cursor.fetchone())


@dataclass(frozen=True)
class Reference:
    """The small tables every look-up needs, kept in memory until the next data load."""

    revision: tuple
    schedules: list[DataLoad]  # by effective date
    chapters: dict[str, Chapter]  # with their section
    labels: dict[int, str]  # schedule version id -> its label


_reference: Reference | None = None
# data_revision() is asked at most once a REVISION_SECONDS (like tariff.search's fingerprint): a
# load in this process is noticed at once (the signal below), one in another process within it.
REVISION_SECONDS = 2.0
_revision_checked: dict = {"at": 0.0, "revision": None}
_reference_lock = threading.Lock()


def clear_cache() -> None:
    """Forget the reference tables (tests; a load in this process is noticed without it)."""
    global _reference
    _revision_checked["revision"] = None
    _reference = None


@receiver([post_save, post_delete], sender=DataLoad)
def _data_loaded(**kwargs):
    _revision_checked["revision"] = None


def current_revision() -> tuple:
    """data_revision(), read from the database at most once a REVISION_SECONDS."""
    now = time.monotonic()
    checked = _revision_checked
    revision = checked["revision"]
    if revision is None or now - checked["at"] > REVISION_SECONDS:
        revision = data_revision()
        checked.update(at=now, revision=revision)
    return revision


def reference() -> Reference:
    global _reference
    revision = current_revision()
    known = _reference
    if known is None or known.revision != revision:
        with _reference_lock:
            schedules = DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE).only("label", "effective_date")
            schedules = list(schedules.order_by("effective_date"))
            known = _reference = Reference(
                revision,
                schedules,
                {chapter.number: chapter for chapter in Chapter.objects.select_related("section")},
                {version.pk: version.label for version in schedules},
            )
    return known


def schedule_in_force(as_of: date, known: Reference | None = None) -> DataLoad:
    schedules = (known or reference()).schedules
    in_force = [schedule for schedule in schedules if schedule.effective_date <= as_of]
    if in_force:
        return in_force[-1]
    if not schedules:
        raise NoScheduleInForce(_("No tariff schedule is loaded."), "as_of")
    raise NoScheduleInForce(
        _("No tariff schedule is in force on %(day)s: the earliest loaded one takes effect on %(first)s.")
        % {"day": as_of.isoformat(), "first": schedules[0].effective_date.isoformat()},
        "as_of",
    )


def _digits(text: str, field: str, lengths: tuple[int, ...]) -> str:
    try:
        digits = digits_of(text)
    except InvalidCode as error:
        raise MalformedCode(str(error), field) from None
    if len(digits) not in lengths:
        raise MalformedCode(_("This code has the wrong number of digits."), field)
    return digits


def _unknown(code: str, as_of: date) -> UnknownCode:
    return UnknownCode(
        _("%(code)s is not in the tariff schedule in force on %(day)s.")
        % {"code": dotted(code), "day": as_of.isoformat()},
        "number",
    )


# --- browsing ----------------------------------------------------------------------------------


def sections(as_of: date) -> tuple[DataLoad, list[Section]]:
    schedule = schedule_in_force(as_of)
    return schedule, list(Section.objects.prefetch_related("chapters"))


def section(number: int, as_of: date) -> tuple[DataLoad, Section, list[LegalNote]]:
    schedule = schedule_in_force(as_of)
    found = Section.objects.prefetch_related("chapters").filter(number=number).first() if 0 < number < 100 else None
    if found is None:
        raise UnknownCode(_("There is no section %(number)s.") % {"number": number}, "number")
    return schedule, found, list(LegalNote.objects.as_of(as_of).filter(section=found))


@dataclass
class ChapterOutline:
    schedule: DataLoad
    chapter: Chapter
    notes: list[LegalNote]  # the section's notes, then the chapter's
    headings: list[TariffLine]


def chapter(number: str, as_of: date) -> ChapterOutline:
    number = _digits(number, "number", (1, 2)).zfill(2)
    schedule = schedule_in_force(as_of)
    found = reference().chapters.get(number)
    if found is None:
        raise UnknownCode(_("There is no chapter %(number)s.") % {"number": number}, "number")
    headings = TariffLine.objects.as_of(as_of).filter(parent_code=number).order_by("code")
    return ChapterOutline(schedule, found, notes_for(found, as_of), list(headings))


def notes_for(chapter: Chapter, as_of: date) -> list[LegalNote]:
    notes = LegalNote.objects.as_of(as_of).filter(section_id=chapter.section_id) | LegalNote.objects.as_of(
        as_of
    ).filter(chapter=chapter)
    return sorted(notes, key=lambda note: (note.chapter_id is not None, note.kind))


@dataclass
class HeadingOutline:
    schedule: DataLoad
    chapter: Chapter
    heading: TariffLine
    descendants: list[TariffLine]  # in schedule order, each with .depth (1 = child of the heading)
    notes: list[LegalNote]
    mfn: dict[str, Rate]  # rate-bearing code -> its MFN rate


def heading(code: str, as_of: date) -> HeadingOutline:
    code = _digits(code, "code", (4,))
    schedule = schedule_in_force(as_of)
    lines = list(TariffLine.objects.as_of(as_of).filter(code_starts_with(code)).order_by("code"))
    if not lines or lines[0].code != code:
        raise _unknown(code, as_of)
    heading_line, descendants = lines[0], lines[1:]
    depth = {code: 0}
    for line in descendants:
        line.depth = depth[line.code] = depth.get(line.parent_code, 0) + 1
    chapter_ = reference().chapters[code[:2]]
    mfn = {rate.code: rate for rate in Rate.objects.as_of(as_of).filter(code_starts_with(code), treatment="MFN")}
    return HeadingOutline(schedule, chapter_, heading_line, descendants, notes_for(chapter_, as_of), mfn)


# --- one classification ------------------------------------------------------------------------


@dataclass(frozen=True)
class RateView:
    treatment: str
    text: str
    structured: dict | None
    valid_from: date
    schedule: str  # label of the schedule version the rate comes from


@dataclass
class Classification:
    schedule: DataLoad
    line: TariffLine
    chapter: Chapter
    path: list[TariffLine]  # the rows printed above it, heading first
    rates: list[RateView]  # in TREATMENTS order
    rates_from: str  # the code the rates are printed on (its tariff item, usually)
    children: list[TariffLine] = field(default_factory=list)  # rows under a tariff item, in order

    @property
    def unit_of_measure(self) -> str:
        return self.line.unit_of_measure


class _Select:
    """A SELECT of some columns of a model, written once as SQL and read back the way the ORM reads
    them (the backend's and the fields' converters): the look-up runs it a thousand times a second,
    and building the same query through the ORM each time cost more than the database did."""

    def __init__(self, model, names: list[str]):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in names]
        self.attnames = [field_.attname for field_ in self.fields]
        self._sql = {}

    def _prepare(self, where: str) -> tuple[str, list]:
        if where not in self._sql:
            quote = connection.ops.quote_name
            table = self.model._meta.db_table
            columns = ", ".join(f"{quote(table)}.{quote(field_.column)}" for field_ in self.fields)
            sql = f"SELECT {columns} FROM {quote(table)} WHERE " + where.format(
                valid_from=quote("valid_from"), valid_to=quote("valid_to"), code=quote("code")
            )
            converters = []
            for index, field_ in enumerate(self.fields):
                column = field_.get_col(table)
                found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if found:
                    converters.append((index, column, found))
            self._sql[where] = (sql, converters)
        return self._sql[where]

    def rows(self, where: str, params: list) -> list[list]:
        sql, converters = self._prepare(where)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for index, column, functions in converters:
            for row in rows:
                value = row[index]
                for function in functions:
                    value = function(value, column, connection)
                row[index] = value
        return rows


# In force on the day (DatedQuerySet.as_of) and a code among the first n parameters, or in a range.
_IN_FORCE = "{valid_from} <= %s AND ({valid_to} IS NULL OR {valid_to} > %s)"
_LINES = _Select(TariffLine, [field_.name for field_ in TariffLine._meta.concrete_fields])
_RATES = _Select(Rate, ["code", "treatment", "text", "structured", "valid_from", "version"])


def _lines_where(count: int) -> str:
    return _IN_FORCE + " AND ({code} IN (" + ", ".join(["%s"] * count) + ") OR ({code} >= %s AND {code} < %s))"


def classification(number: str, as_of: date) -> Classification:
    """A tariff item (8 digits) or classification number (10 digits) with everything about it.

    The look-up the API and pages use, timed by bench/tariff_lookup.py: two indexed queries (rows,
    rates) beside the reference tables kept in memory (their revision checked at most once a
    REVISION_SECONDS); rows are built straight from the database's values, rates read as plain values.
    """
    code = _digits(number, "number", (8, 10))
    known = reference()
    schedule = schedule_in_force(as_of, known)
    day = connection.ops.adapt_datefield_value(as_of)
    # One query for the rows printed above it and below it (code_starts_with's range).
    above = prefixes(code)
    values = _LINES.rows(_lines_where(len(above)), [day, day, *above, code, code + ":"])
    rows = {}
    for row in values:
        line = TariffLine.from_db(connection.alias, _LINES.attnames, row)
        rows[line.code] = line
    line = rows.pop(code, None)
    if line is None:
        raise _unknown(code, as_of)
    children = sorted((row for row in rows.values() if len(row.code) > len(code)), key=lambda row: row.code)
    path = sorted((row for row in rows.values() if len(row.code) < len(code)), key=lambda row: len(row.code))
    labels = known.labels
    # A 10-digit number's rates are its tariff item's, unless no tariff item prints above it.
    by_code = {code[:8]: [], code: []}
    for rate_code, *values, version_id in _RATES.rows(
        _IN_FORCE + " AND {code} IN (%s, %s)", [day, day, code[:8], code]
    ):
        by_code[rate_code].append(RateView(*values, labels[version_id]))
    rates_from = code[:8] if by_code[code[:8]] else code
    return Classification(
        schedule,
        line,
        known.chapters[code[:2]],
        path=path,
        rates=sorted(by_code[rates_from], key=lambda rate: TREATMENT_ORDER.get(rate.treatment, 99)),
        rates_from=rates_from,
        children=children,
    )


def descriptions_in_language(kept: list[tuple[str, str]]) -> list[str]:
    """Tariff descriptions someone kept, as (code, English) pairs (a CAD's lines), in the page's
    language: on French pages the French of the tariff row of that code whose English it is, where
    that row has French; one query for them all."""
    if get_language() != "fr":
        return [english for _code, english in kept]
    rows = (
        TariffLine.objects.filter(code__in={code for code, _english in kept})
        .exclude(description_fr="")
        .order_by("valid_from")  # the latest row's French wins
        .values_list("code", "description_en", "description_fr")
    )
    french = {(code, english): text for code, english, text in rows}
    return [french.get((code, english), english) for code, english in kept]


# --- finding -----------------------------------------------------------------------------------


# Other apps vouch for codes (rulings: published advance rulings bind the CBSA on their goods). A
# source is a callable (query, day) -> {code: reason}; tariff.search puts its codes first with the
# reason in `why`. They register from their AppConfig.ready(): tariff imports none of them.
evidence_sources: list = []


def register_evidence(source) -> None:
    if source not in evidence_sources:
        evidence_sources.append(source)


def _text_search():
    """tariff.search, imported when first asked: it loads numpy and the stemmers (some 22,000
    objects) that every process importing the tariff (the nightly worker, through assessment)
    would otherwise hold, and each full garbage collection walk (issue #14: the nightly run)."""
    from . import search

    return search


def search(query: str, as_of: date, limit: int = 20) -> list["SearchResult"]:
    """Words or a (partial) code, ranked by tariff.search, over the schedule in force on the day."""
    schedule_in_force(as_of)
    text_search = _text_search()
    try:
        return text_search.search(query, as_of=as_of, limit=limit)
    except text_search.SearchQueryError as error:
        raise InvalidParameter(str(error), "q") from None


# --- history and export ------------------------------------------------------------------------


def schedule_versions():
    return DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE).order_by("effective_date")


def changes_since(since: date):
    """What each schedule version since `since` changed compared with the one before it."""
    return (
        Change.objects.filter(version__effective_date__gte=since)
        .select_related("version")
        .order_by("version__effective_date", "code", "treatment", "pk")
    )


EXPORT_COLUMNS = [
    "number",
    "printed_code",
    "level",
    "description_en",
    "description_fr",
    "unit_of_measure",
    "valid_from",
    *TREATMENTS,
]


def export_rows(as_of: date):
    """Every row of the schedule in force, with its rates per treatment, streamed in code order:
    lines and rates are read side by side in two ordered queries, never all in memory."""
    lines = (
        TariffLine.objects.as_of(as_of)
        .order_by("code")
        .values_list(
            "code", "printed_code", "level", "description_en", "description_fr", "unit_of_measure", "valid_from"
        )
    )
    rates = iter(Rate.objects.as_of(as_of).order_by("code").values_list("code", "treatment", "text").iterator(2000))
    pending = next(rates, None)
    for line in lines.iterator(2000):
        code = line[0]
        row = dict(zip(EXPORT_COLUMNS, (*line[:6], line[6].isoformat()), strict=False))
        row.update(dict.fromkeys(TREATMENTS, ""))
        while pending is not None and pending[0] <= code:
            if pending[0] == code:
                row[pending[1]] = pending[2]
            pending = next(rates, None)
        yield row


# --- parameters --------------------------------------------------------------------------------


class InvalidParameter(TariffError):
    code = "invalid"
    status = 400

    def __init__(self, message, field, code="invalid"):
        super().__init__(message, field)
        self.code = code


def parse_day(text: str | None, field: str = "as_of", default: date | None = None) -> date:
    """A YYYY-MM-DD date; `default` (or an error) when absent."""
    if not text:
        if default is None:
            raise InvalidParameter(_("This parameter is required."), field, "required")
        return default
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(_("Give a date as YYYY-MM-DD."), field, "invalid_date") from None


def parse_query(text: str | None) -> str:
    query = " ".join((text or "").split())
    if not query:
        raise InvalidParameter(_("Type words or a tariff code to search for."), "q", "required")
    longest = _text_search().MAX_QUERY_LENGTH
    if len(query) > longest:
        raise InvalidParameter(_("Search for at most %(count)s characters.") % {"count": longest}, "q", "too_long")
    return query


def parse_limit(text: str | None, default: int = 20) -> int:
    if not text:
        return default
    most = _text_search().MAX_LIMIT
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= most:
        raise InvalidParameter(_("Give a number from 1 to %(max)s.") % {"max": most}, "limit")
    return int(text)

"""Validation of a CAD (domain brief §5): every rule that can refuse a declaration, each giving a
structured `Error` with a machine `code`, a JSON pointer (RFC 6901, 0-based: `/lines/2/classification`
is the third line's) and a message in the person's language.

`check(payload, ...)` runs them all and, for a declaration without errors, returns what the
assessment engine made of every line (assessment.services and assessment_engine: no duty
arithmetic here). The rules, by code:

  payload           invalid (not an object), required, too_long, invalid_choice
  importer          invalid_importer (not a BN15), unknown_importer, not_importer_account (not an
                    active importer RM account), importer_not_permitted (the submitter may not
                    transact on it)
  declarant         invalid_declarant, declarant_not_submitter (not an RM account of the submitting business)
  transaction_number malformed_transaction_number, bad_check_digit, not_your_security_number
  release           invalid_date, future_date, no_calendar (no holiday table for the year),
                    release_office: invalid_office; mode_of_transport / cad_type: invalid_choice
  invoices          required, duplicate_invoice, invalid_amount, invalid_currency, unknown_currency,
                    no_exchange_rate, invalid_country, invoice_total_mismatch (amounts consistent)
  lines             required, too_many_lines, unknown_invoice, unknown_classification,
                    invalid_code, treatment_not_eligible, rate_not_assessable, unit_mismatch,
                    quantity_required, invalid_vfd_code, vfd_mismatch (amounts consistent),
                    state_required, invalid_country, and the engine's input errors
Late accounting (after the deadline of the account's program) is not an error: a `late_accounting`
warning, and the version is flagged (the C288 or C292 penalty follows, see services); the dates and
why they are so come from declarations.timing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import assessment_engine as engine
import rights
from assessment import services as assessment
from assessment.services import InputError, input_error_of
from businesses.models import Business, ProgramAccount
from ledger import billing_cycle
from ledger.services import holiday_calendar
from registry.bn import AccountType, Program
from tariff import services as tariff

from . import transaction_numbers
from .models import AMOUNT_FIELDS, CadType, ModeOfTransport

CENT = Decimal("0.01")
MAX_LINES = 999
_BN15 = re.compile(r"\d{9}RM\d{4}")
_OFFICE = re.compile(r"\d{4}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_VFD_CODE = re.compile(r"[12][3-9]")
STATE_REQUIRED = {"US", "MX"}
LIMITS = {  # payload field -> longest text kept
    "cargo_control_number": 25,
    "number": 35,
    "vendor_name": 200,
    "vendor_address": 300,
    "description": 300,
    "narrative": 300,
    "special_authority": 20,
    "origin_state": 2,
}
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)  # [DESIGN] beyond: a typo, and date sums overflow


@dataclass(frozen=True)
class Error:
    code: str
    pointer: str
    message: object  # a lazy translation: rendered in the language active when shown

    def as_dict(self) -> dict:
        """The API's error shape (core.api): `field` holds the JSON pointer."""
        return {"field": self.pointer, "code": self.code, "message": str(self.message)}


@dataclass
class Checked:
    """A declaration that passed every rule, ready to be saved: model field values."""

    account: ProgramAccount
    submitter: Business  # the business submitting: a service provider, or the importer itself
    audit: dict  # access.rights.audit_context of the person on the importer, for audit.record
    header: dict
    invoices: list[dict]
    lines: list[dict]
    totals: dict
    warnings: list[Error] = field(default_factory=list)


class Lookups:
    """What checking a CAD looks up, each asked once per (code, day) for a declaration or a whole
    batch of them (services.submit_batch): tariff classifications and their treatments, exchange
    rates, the billing calendar, and the rights of the person submitting (one `Lookups` serves one
    person). Classifications and their treatments are also kept between batches for as long as
    the tariff's data revision stays the same."""

    _classifications: dict = {}
    _treatments: dict = {}  # (id of a kept classification, origin) -> (classification, treatments)

    def __init__(self):
        self._rates, self._billing, self._accounts, self._acting = {}, {}, {}, {}
        self._calendar = None
        self.programs = {}  # account id -> its accounting program history (declarations.timing)

    def load_accounts(self, who, numbers):
        """The importer accounts among `numbers` that `who` may transact on, in one query (the
        rights of a whole batch): access.rights.program_accounts_for."""
        numbers = {str(number or "").strip().upper() for number in numbers} - set(self._accounts)
        if not numbers:
            return
        self._accounts.update(dict.fromkeys(numbers))
        accounts = ProgramAccount.objects.visible_to(who, rights.Action.TRANSACT).select_related("business")
        self._accounts.update({account.number: account for account in accounts.filter(number__in=numbers)})

    def account(self, who, number: str) -> ProgramAccount | None:
        """The program account `number` if `who` may transact on it, else None."""
        if number not in self._accounts:
            self.load_accounts(who, [number])
        return self._accounts[number]

    def acting(self, who, account: ProgramAccount) -> tuple[Business, dict]:
        if account.business_id not in self._acting:
            self._acting[account.business_id] = acting(who, account)
        return self._acting[account.business_id]

    def calendar(self) -> billing_cycle.HolidayCalendar:
        if self._calendar is None:
            self._calendar = holiday_calendar()
        return self._calendar

    def billing_dates(self, release: dt.date):
        if release not in self._billing:
            try:
                self._billing[release] = billing_cycle.billing_dates(release, self.calendar())
            except billing_cycle.UncoveredDateError as error:
                self._billing[release] = error
        found = self._billing[release]
        if isinstance(found, billing_cycle.UncoveredDateError):
            raise found
        return found

    def treatments(self, origin: str, classification, day: dt.date) -> list:
        """The treatments offered to `origin` (an InputError if it is no country of the list)."""
        key = (id(classification), origin)  # the classification (of one day) is kept with them: its id stays its own
        cache = Lookups._treatments
        if key not in cache:
            if len(cache) > 50000:
                cache.clear()
            try:
                cache[key] = (classification, assessment.treatments_for(origin, classification, day))
            except InputError as error:
                cache[key] = (classification, error)
        found = cache[key][1]
        if isinstance(found, InputError):
            raise found
        return found

    def classification(self, number: str, day: dt.date):
        revision = tariff.current_revision()
        key = (revision, number, day)
        cache = Lookups._classifications
        if key not in cache:
            if len(cache) > 20000:
                cache.clear()
                Lookups._treatments.clear()
            try:
                cache[key] = assessment.find_classification(number, day)
            except InputError as error:
                cache[key] = error
        found = cache[key]
        if isinstance(found, InputError):
            raise found
        return found

    def exchange_rate(self, currency: str, day: dt.date):
        key = (currency, day)
        if key not in self._rates:
            try:
                self._rates[key] = assessment.exchange_rate(currency, day)
            except InputError as error:
                self._rates[key] = error
        found = self._rates[key]
        if isinstance(found, InputError):
            raise found
        return found


class _Collector:
    def __init__(self):
        self.errors: list[Error] = []

    def add(self, code, pointer, message):
        self.errors.append(Error(code, pointer, message))

    def text(self, data: dict, name: str, pointer: str, *, required=True, upper=False) -> str:
        value = data.get(name)
        if value is None or value == "":
            if required:
                self.add("required", pointer, _("This field is required."))
            return ""
        if not isinstance(value, (str, int)):
            self.add("invalid", pointer, _("Give this field as text."))
            return ""
        value = str(value).strip()
        if "\x00" in value:  # PostgreSQL refuses NUL in text: say so rather than fail at the insert
            self.add("invalid_character", pointer, _("Remove the NUL character from this field."))
            return ""
        if upper:
            value = value.upper()
        limit = LIMITS.get(name)
        if limit and len(value) > limit:
            self.add("too_long", pointer, _("Use at most %(limit)s characters.") % {"limit": limit})
        return value

    def choice(self, data: dict, name: str, pointer: str, choices, default=None) -> str:
        value = data.get(name, default)
        value = str(value).strip().lower() if value not in (None, "") else ""
        if value not in choices.values:
            self.add(
                "invalid_choice", pointer, _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}
            )
        return value

    def country(self, data: dict, name: str, pointer: str, *, required=True) -> str:
        value = self.text(data, name, pointer, required=required, upper=True)
        if value and not _COUNTRY.fullmatch(value):
            self.add("invalid_country", pointer, _("Give a two-letter ISO country code, e.g. US."))
            return ""
        return value

    def decimal(self, data: dict, name: str, pointer: str, *, required=True, cents=False) -> Decimal | None:
        value = data.get(name)
        if value is None or value == "":
            if required:
                self.add("required", pointer, _("This field is required."))
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0 or number >= Decimal("1e13"):
            self.add("invalid_amount", pointer, _("Enter a number that is not negative, e.g. 1250.00."))
            return None
        if cents and number != number.quantize(CENT):
            self.add("invalid_amount", pointer, _("Enter an amount to the cent, e.g. 1250.00."))
            return None
        return number

    def day(self, data: dict, name: str, pointer: str, *, required=True) -> dt.date | None:
        value = data.get(name)
        if value in (None, ""):
            if required:
                self.add("required", pointer, _("This field is required."))
            return None
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError(text)
            day = dt.date.fromisoformat(text)
        except ValueError:
            self.add("invalid_date", pointer, _("Give a date as YYYY-MM-DD."))
            return None
        if not FIRST_DAY <= day <= LAST_DAY:
            self.add("date_out_of_range", pointer, _("Give a date from 1900-01-01 to 2999-12-31."))
            return None
        return day


def check(payload, *, who, today: dt.date | None = None, lookups: Lookups | None = None):
    """(Checked, []) when every rule passes, else (None, errors)."""
    today = today or timezone.localdate()
    lookups = lookups or Lookups()
    found = _Collector()
    if not isinstance(payload, dict):
        found.add("invalid", "", _("Send the declaration as a JSON object."))
        return None, found.errors
    account = _importer(payload, who, found, lookups)
    submitter, context = lookups.acting(who, account) if account is not None else (None, {})
    header = _header(payload, found, submitter, today, lookups)
    invoices = _invoices(payload, found, header["shipment_date"], lookups)
    lines = _lines(payload, found, header.get("release_date"), invoices, lookups)
    if found.errors:
        return None, found.errors
    _consistent(invoices, lines, found)
    if found.errors:
        return None, found.errors
    totals = {name: sum((line[name] for line in lines), Decimal("0.00")) for name in AMOUNT_FIELDS}
    checked = Checked(account, submitter, context, header, [_invoice_fields(i) for i in invoices], lines, totals)
    gap = assessment.schedule_gap(tariff.schedule_in_force(header["release_date"]), header["release_date"])
    if gap is not None:  # the assessment's why: the schedule used is not the edition of the release year
        checked.warnings.append(Error("tariff_schedule", "/release_date", gap))
    from . import timing  # here: timing builds on this module's Error

    errors = timing.settle(checked, today=today, lookups=lookups)  # deadlines by program, due date, lateness
    if errors:
        return None, errors
    for source in _warning_sources:
        checked.warnings.extend(source(checked, payload))
    return checked, []


# Other apps add warnings to a CAD that passes (rulings: a line contradicting a ruling the importer
# holds). A source is a callable (checked, payload) -> [Error]; it registers from its AppConfig.ready().
_warning_sources: list = []


def register_warnings(source) -> None:
    if source not in _warning_sources:
        _warning_sources.append(source)


def acting(who, account: ProgramAccount) -> tuple[Business, dict]:
    """(the business `who` submits for on `account`, their audit context): their service provider
    when they act for a client through delegation, else the importer itself."""
    context = rights.audit_context(who, account.business)
    bn9 = context["actor_business"] or account.business.bn9
    return (account.business if bn9 == account.business.bn9 else Business.objects.get(bn9=bn9)), context


def importer_account(payload: dict, who, errors: list) -> ProgramAccount | None:
    """The importer's program account named by the payload if `who` may transact on it; else
    None, the reason appended to `errors` (drafts check this rule alone)."""
    found = _Collector()
    account = _importer(payload, who, found, Lookups())
    errors.extend(found.errors)
    return account


def draft_header(payload: dict) -> dict:
    """The header columns of a draft: whatever of them is well formed, blank otherwise."""
    found = _Collector()
    header = {
        "declarant_number": found.text(payload, "declarant", "", required=False, upper=True)[:15],
        "mode_of_transport": found.choice(payload, "mode_of_transport", "", ModeOfTransport),
        "release_office": found.text(payload, "release_office", "", required=False)[:4],
        "release_date": found.day(payload, "release_date", "", required=False),
        "cargo_control_number": found.text(payload, "cargo_control_number", "", required=False, upper=True)[:25],
        "cad_type": found.choice(payload, "cad_type", "", CadType, default=CadType.RPP) or CadType.RPP,
    }
    return header


def _importer(payload, who, found, lookups) -> ProgramAccount | None:
    number = found.text(payload, "importer", "/importer", upper=True)
    if not number:
        return None
    if not _BN15.fullmatch(number):
        found.add(
            "invalid_importer",
            "/importer",
            _("Give the importer's import-export program account, e.g. 123456782RM0001."),
        )
        return None
    # The account among those `who` may transact on: one query for a declaration or a whole batch.
    account = lookups.account(who, number)
    if account is None:
        if not ProgramAccount.objects.filter(number=number).exists():
            found.add(
                "unknown_importer",
                "/importer",
                _("No business holds the program account %(number)s.") % {"number": number},
            )
        else:
            found.add(
                "importer_not_permitted",
                "/importer",
                _("You may not account for imports of %(number)s: ask the importer for delegated access.")
                % {"number": number},
            )
        return None
    if (
        account.program != Program.IMPORT_EXPORT
        or account.account_type == AccountType.EXPORTER
        or not account.is_active
    ):
        found.add("not_importer_account", "/importer", _("CADs can only be made under an active importer RM account."))
        return None
    return account


def _header(payload, found, submitter, today, lookups) -> dict:
    header = {
        "declarant_number": found.text(payload, "declarant", "/declarant", required=False, upper=True),
        "mode_of_transport": found.choice(payload, "mode_of_transport", "/mode_of_transport", ModeOfTransport),
        "release_office": found.text(payload, "release_office", "/release_office"),
        "cargo_control_number": found.text(
            payload, "cargo_control_number", "/cargo_control_number", required=False, upper=True
        ),
        "cad_type": found.choice(payload, "cad_type", "/cad_type", CadType, default=CadType.RPP),
        "release_time": None,
    }
    declarant = header["declarant_number"]
    if declarant and not _BN15.fullmatch(declarant):
        found.add(
            "invalid_declarant", "/declarant", _("Give the declarant's RM program account, e.g. 123026635RM0001.")
        )
    elif declarant and submitter is not None and declarant[:9] != submitter.bn9:
        found.add(
            "declarant_not_submitter",
            "/declarant",
            _("The declarant must be a program account of the business submitting."),
        )
    if header["release_office"] and not _OFFICE.fullmatch(header["release_office"]):
        found.add("invalid_office", "/release_office", _("A CBSA office is 4 digits, e.g. 0453."))
    if payload.get("release_time") not in (None, ""):
        try:
            header["release_time"] = dt.time.fromisoformat(str(payload["release_time"]).strip())
        except ValueError:
            found.add("invalid_time", "/release_time", _("Give a time as HH:MM."))
    release = found.day(payload, "release_date", "/release_date")
    header.update(release_date=release, is_late=False, cad_due_date=None, payment_due_date=None)
    if release is not None and release > today:
        found.add("future_date", "/release_date", _("Goods cannot be accounted for before they are released."))
    elif release is not None:
        try:
            dates = lookups.billing_dates(release)
        except billing_cycle.UncoveredDateError:
            found.add("no_calendar", "/release_date", _("The billing calendar does not cover this date."))
        else:
            header.update(
                cad_due_date=dates.cad_due_date,
                payment_due_date=dates.payment_due_date,
                is_late=today > dates.cad_due_date,
            )
    number = payload.get("transaction_number")
    if number not in (None, ""):
        try:
            number = transaction_numbers.validate(number)
        except transaction_numbers.TransactionNumberError as error:
            found.add(error.code, "/transaction_number", error.message)
        else:
            if submitter is not None and not transaction_numbers.belongs_to(number, submitter):
                found.add(
                    "not_your_security_number",
                    "/transaction_number",
                    _("This transaction number was not made from your account security number."),
                )
            header["transaction_number"] = number
    shipment = found.day(payload, "shipment_date", "/shipment_date", required=False)
    header["shipment_date"] = shipment or release
    return header


def _invoices(payload, found, shipment_date, lookups) -> list[dict]:
    invoices = payload.get("invoices")
    if not isinstance(invoices, list) or not invoices:
        found.add("required", "/invoices", _("Give at least one commercial invoice."))
        return []
    if len(invoices) > MAX_LINES:  # every invoice has a line at least
        found.add("too_many_invoices", "/invoices", _("A CAD has at most %(count)s invoices.") % {"count": MAX_LINES})
        return []
    result, numbers = [], set()
    for index, data in enumerate(invoices):
        pointer = f"/invoices/{index}"
        if not isinstance(data, dict):
            found.add("invalid", pointer, _("Each invoice is a JSON object."))
            continue
        invoice = {
            "number": found.text(data, "number", f"{pointer}/number"),
            "amount": found.decimal(data, "amount", f"{pointer}/amount", cents=True),
            "currency": found.text(data, "currency", f"{pointer}/currency", upper=True),
            "vendor_name": found.text(data, "vendor_name", f"{pointer}/vendor_name"),
            "vendor_address": found.text(data, "vendor_address", f"{pointer}/vendor_address", required=False),
            "vendor_country": found.country(data, "vendor_country", f"{pointer}/vendor_country"),
            "index": index,
            "exchange": None,
        }
        if invoice["number"] in numbers:
            found.add("duplicate_invoice", f"{pointer}/number", _("Another invoice of this CAD has this number."))
        numbers.add(invoice["number"])
        if invoice["currency"]:
            try:
                currency = assessment.parse_currency(invoice["currency"])
                if shipment_date is not None:  # the Bank of Canada rate of the date of direct shipment
                    invoice["exchange"] = lookups.exchange_rate(currency, shipment_date)
            except InputError as error:
                found.add(error.code, f"{pointer}/currency", error.message)
        result.append(invoice)
    return result


def _lines(payload, found, release, invoices, lookups) -> list[dict]:
    lines = payload.get("lines")
    if not isinstance(lines, list) or not lines:
        found.add("required", "/lines", _("Give at least one line."))
        return []
    if len(lines) > MAX_LINES:
        found.add("too_many_lines", "/lines", _("A CAD has at most %(count)s lines.") % {"count": MAX_LINES})
        return []
    by_number = {invoice["number"]: invoice for invoice in invoices}
    result = []
    for index, data in enumerate(lines):
        pointer = f"/lines/{index}"
        if not isinstance(data, dict):
            found.add("invalid", pointer, _("Each line is a JSON object."))
            continue
        line = _line(data, index, pointer, found, release, by_number, lookups)
        if line is not None:
            result.append(line)
    return result


def _line(data, index, pointer, found, release, invoices, lookups) -> dict | None:
    before = len(found.errors)
    invoice_number = found.text(data, "invoice", f"{pointer}/invoice", required=len(invoices) != 1)
    if not invoice_number and len(invoices) == 1:
        invoice_number = next(iter(invoices))
    invoice = invoices.get(invoice_number)
    if invoice_number and invoice is None and invoices:
        found.add("unknown_invoice", f"{pointer}/invoice", _("No invoice of this CAD has this number."))
    line = {
        "number": index + 1,
        "invoice_number": invoice_number,
        "description": found.text(data, "description", f"{pointer}/description", required=False),
        "narrative": found.text(data, "narrative", f"{pointer}/narrative"),
        "unit": found.text(data, "unit", f"{pointer}/unit", required=False, upper=True),
        "classification": "".join(
            found.text(data, "classification", f"{pointer}/classification").replace(".", "").split()
        ),  # without its dots and spaces
        "tariff_treatment": found.text(data, "tariff_treatment", f"{pointer}/tariff_treatment", upper=True),
        "origin": found.country(data, "origin", f"{pointer}/origin"),
        "origin_state": found.text(data, "origin_state", f"{pointer}/origin_state", required=False, upper=True),
        "export_country": found.country(data, "export_country", f"{pointer}/export_country"),
        "vfd_code": found.text(data, "vfd_code", f"{pointer}/vfd_code"),
        "special_authority": found.text(data, "special_authority", f"{pointer}/special_authority", required=False),
        "charges": {
            name: str(data[name]).strip() for name in assessment.CHARGE_INPUTS if data.get(name) not in (None, "")
        },
    }
    value = found.decimal(data, "value", f"{pointer}/value", cents=True)
    quantity = found.decimal(data, "quantity", f"{pointer}/quantity", required=False)
    declared_vfd = found.decimal(data, "vfd", f"{pointer}/vfd", required=False, cents=True)
    if line["vfd_code"] and not _VFD_CODE.fullmatch(line["vfd_code"]):
        found.add(
            "invalid_vfd_code",
            f"{pointer}/vfd_code",
            _("A VFD code is 2 digits: 1 or 2 (parties related or not), then 3 to 9 (valuation method), e.g. 13."),
        )
    if line["origin"] in STATE_REQUIRED and not line["origin_state"]:
        found.add(
            "state_required",
            f"{pointer}/origin_state",
            _("Goods from the United States or Mexico need the state of origin."),
        )
    if len(found.errors) > before or release is None or invoice is None or invoice["exchange"] is None:
        return None
    try:
        classification = lookups.classification(line["classification"], release)
    except InputError as error:
        found.add(error.code, f"{pointer}/classification", error.message)
        return None
    tariff_unit = classification.unit_of_measure
    if tariff_unit and line["unit"] and line["unit"] != tariff_unit:
        found.add(
            "unit_mismatch",
            f"{pointer}/unit",
            _("This classification is declared in %(unit)s.") % {"unit": tariff_unit},
        )
        return None
    if tariff_unit and quantity is None:
        found.add(
            "quantity_required",
            f"{pointer}/quantity",
            _("Give the quantity in %(unit)s, the classification's unit of measure.") % {"unit": tariff_unit},
        )
        return None
    unit = line["unit"] or tariff_unit
    try:
        eligible = lookups.treatments(line["origin"], classification, release)
        treatment = assessment.claimed_treatment(
            line["origin"], line["tariff_treatment"], classification, release, eligible
        )
    except InputError as error:
        found.add(error.code, f"{pointer}/{error.field}", error.message)
        return None
    if treatment.rate is None:
        found.add(
            "rate_not_assessable", f"{pointer}/tariff_treatment", assessment.ENGINE_MESSAGES["rate_not_assessable"]
        )
        return None
    exchange = invoice["exchange"]
    try:
        charges = assessment.parse_charges(line["charges"]) if line["charges"] else {}
        assessed = engine.assess_line(
            engine.Line(
                rate=treatment.rate,
                price=value,
                currency=exchange.currency,
                exchange_rate=None if exchange.currency == "CAD" else exchange.cad_per_unit,
                quantity=quantity,
                unit=unit or None,
                classification=classification.line.code,
                treatment=treatment.code,
                **charges,
            )
        )
    except InputError as error:
        found.add(error.code, f"{pointer}/{error.field}", error.message)
        return None
    except engine.AssessmentError as error:
        mapped = input_error_of(error)
        found.add(mapped.code, f"{pointer}/{mapped.field or 'value'}", mapped.message)
        return None
    amounts = assessment.amounts(assessed)
    if declared_vfd is not None and declared_vfd != amounts["vfd"]:
        found.add(
            "vfd_mismatch",
            f"{pointer}/vfd",
            _("The VFD declared (%(declared)s) is not the price converted at the Bank of Canada rate (%(computed)s).")
            % {"declared": declared_vfd, "computed": amounts["vfd"]},
        )
        return None
    line.update(
        description=line["description"] or classification.line.description_en[:300],
        quantity=quantity,
        unit=unit,
        value=value,
        currency=exchange.currency,
        exchange_rate=exchange.cad_per_unit,
        rate=treatment.rate_text[:200],
        **amounts,
    )
    return line


def _consistent(invoices, lines, found):
    """Amounts consistent: each invoice's amount is the sum of its lines' prices."""
    for invoice in invoices:
        total = sum((line["value"] for line in lines if line["invoice_number"] == invoice["number"]), Decimal("0.00"))
        if total != invoice["amount"]:
            found.add(
                "invoice_total_mismatch",
                f"/invoices/{invoice['index']}/amount",
                _("The invoice amount (%(amount)s) is not the sum of its lines' prices (%(total)s).")
                % {"amount": invoice["amount"], "total": total},
            )


def _invoice_fields(invoice: dict) -> dict:
    return {
        key: invoice[key] for key in ("number", "amount", "currency", "vendor_name", "vendor_address", "vendor_country")
    }

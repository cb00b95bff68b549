"""Validation of a CAD (domain brief §5): every rule that can refuse a declaration, each giving a
structured `Error` with a machine `code`, a JSON pointer (RFC 6901, 0-based: `/lines/2/classification`
is the third line's) and a message in the person's language.

`check(payload, ...)` runs them all and, for a declaration without errors, returns what the
assessment engine made of every line (assessment.services and assessment_engine: no duty
arithmetic here). Each field is first read by its row in declarations.fields (the one description
of a CAD's fields the API schema, the forms and the upload derive from): required, invalid (not
text), too_long, invalid_choice, invalid_date, invalid_time, invalid_amount, unknown_field, and the
formats invalid_importer, invalid_declarant, invalid_office, invalid (currency), invalid_country,
invalid_vfd_code. Then the rules across fields and with the tariff, rates and rights, by code:

  importer          unknown_importer, not_importer_account (not an active importer RM account),
                    importer_not_permitted (the submitter may not transact on it)
  declarant         declarant_not_submitter (not an RM account of the submitting business)
  transaction_number malformed_transaction_number, bad_check_digit, not_your_security_number
  release           future_date, no_calendar (no holiday table for the year)
  invoices          required, duplicate_invoice, shipment_after_release, unknown_currency,
                    no_exchange_rate (on the date of direct shipment), invoice_total_mismatch
  lines             required, too_many_lines, unknown_invoice, unknown_classification,
                    invalid_code, treatment_not_eligible, rate_not_assessable, unit_mismatch,
                    quantity_required, vfd_code_mismatch (the VFD code and the s.48(5) adjustments),
                    deductions_exceed_price, vfd_mismatch (amounts consistent), state_required,
                    and the engine's input errors
Late accounting (after the deadline of the account's program) is not an error: a `late_accounting`
warning, and the version is flagged (the C288 or C292 penalty follows, see services); the dates and
why they are so come from declarations.timing. Nor is a declared HST (field 94) that differs from
the province of destination's rate (declarations.provincial): it is billed, with an `hst_differs`
warning (_hst says why). An HST declared under a GST code that bills the GST is refused,
`gst_code_with_hst` (_hst_beside_gst).
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import assessment_engine as engine
import rights
from assessment import excise
from assessment import services as assessment
from assessment.services import InputError, input_error_of
from assessment_engine.decimals import to_decimal
from businesses.models import Business, ProgramAccount
from ledger import billing_cycle
from ledger.services import holiday_calendar
from registry.bn import AccountType, Program
from tariff import services as tariff

from . import codes, fields, provincial, transaction_numbers
from .fields import Group, Indicator, Part, interpolate, titled
from .models import AMOUNT_FIELDS, CadType, Declaration, ModeOfTransport, Status

MAX_LINES = 999
STATE_REQUIRED = {"US", "MX"}


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
    audit: dict  # access.grants.audit_context of the person on the importer, for audit.record
    header: dict
    invoices: list[dict]
    lines: list[dict]
    totals: dict
    warnings: list[Error] = field(default_factory=list)


class Lookups:
    """What checking a CAD looks up, each asked once for a declaration or a whole batch of them
    (services.submit_batch), all in one store (`kept`): the rights of the person submitting (one
    `Lookups` serves one person), exchange rates, the billing calendar, and what other apps' rules
    read (security: an account's RPP position; rulings: the rulings held; declarations.timing: an
    account's programs). Tariff classifications and their treatments, and what a line's
    classification, tariff code, origin and treatment passed (_tariffed), are also kept between
    batches for as long as the tariff's data revision stays the same."""

    _classifications: dict = {}
    # (id of a kept classification, origin) -> (classification, treatments offered, {asked: treatment claimed})
    _treatments: dict = {}
    # (revision, classification number, tariff code, origin, treatment asked, day) -> (classification, treatment)
    _passed: dict = {}

    def __init__(self):
        self.held = {}

    def kept(self, key, read, errors=()):
        """`read()`, called once per batch for `key`; an exception of `errors` it raises is kept and
        raised again for that key."""
        if key not in self.held:
            try:
                self.held[key] = read()
            except errors as error:
                self.held[key] = _Raised(error)
        found = self.held[key]
        if isinstance(found, _Raised):
            raise found.error
        return found

    def load_accounts(self, who, numbers):
        """The importer accounts among `numbers` that `who` may transact on, in one query (the
        rights of a whole batch): access.grants.program_accounts_for."""
        numbers = {str(number or "").strip().upper() for number in numbers}
        numbers = {number for number in numbers if ("account", number) not in self.held}
        if not numbers:
            return
        accounts = ProgramAccount.objects.visible_to(who, rights.Action.TRANSACT).select_related("business")
        found = {account.number: account for account in accounts.filter(number__in=numbers)}
        self.held.update({("account", number): found.get(number) for number in numbers})

    def account(self, who, number: str) -> ProgramAccount | None:
        """The program account `number` if `who` may transact on it, else None."""
        if ("account", number) not in self.held:
            self.load_accounts(who, [number])
        return self.held[("account", number)]

    def acting(self, who, account: ProgramAccount) -> tuple[Business, dict]:
        return self.kept(("acting", account.business_id), lambda: acting(who, account))

    def calendar(self) -> billing_cycle.HolidayCalendar:
        return self.kept("calendar", holiday_calendar)

    def billing_dates(self, release: dt.date):
        read = lambda: billing_cycle.billing_dates(release, self.calendar())  # noqa: E731
        return self.kept(("billing_dates", release), read, billing_cycle.UncoveredDateError)

    def treatment(self, origin: str, asked: str, classification, day: dt.date):
        """The treatment `asked` for goods of `origin`: assessment.claimed_treatment among those
        offered (treatments_for, an InputError if `origin` is no country of the list), each kept with
        the classification. A refusal is not kept: its message is in the language of the moment."""
        key = (id(classification), origin)  # the classification (of one day) is kept with them: its id stays its own
        cache = Lookups._treatments
        if key not in cache:
            if len(cache) > 50000:
                cache.clear()
            try:
                cache[key] = (classification, assessment.treatments_for(origin, classification, day), {})
            except InputError as error:
                cache[key] = (classification, error, {})
        _classification, offered, claimed = cache[key]
        if isinstance(offered, InputError):
            raise offered
        if asked not in claimed:
            claimed[asked] = assessment.claimed_treatment(origin, asked, classification, day, offered)
        return claimed[asked]

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
        return self.kept(("exchange_rate", currency, day), lambda: assessment.exchange_rate(currency, day), InputError)


@dataclass(frozen=True)
class _Raised:
    """An exception a look-up raised, kept to raise again (Lookups.kept)."""

    error: Exception


class Collector:
    """The errors found so far; what the rules below add to (and a reader of another format, such as
    declarations.legacy, passes to fields.read and check_codes)."""

    def __init__(self):
        self.errors: list[Error] = []

    def add(self, code, pointer, message):
        self.errors.append(Error(code, pointer, message))


def check(payload, *, who, today: dt.date | None = None, lookups: Lookups | None = None):
    """(Checked, []) when every rule passes, else (None, errors)."""
    today = today or timezone.localdate()
    lookups = lookups or Lookups()
    found = Collector()
    if not isinstance(payload, dict):
        found.add("invalid", "", _("Send the declaration as a JSON object."))
        return None, found.errors
    values = fields.read(found, payload, Part.HEADER, "")
    account = _importer(values["importer"], who, found, lookups)
    submitter, context = lookups.acting(who, account) if account is not None else (None, {})
    header = _header(values, found, submitter, today, lookups)
    _coded(found, Part.HEADER, values, "", header["release_date"], payload)
    _cad_type_rules(values, payload, header, found)
    kind = values["cad_type_code"]
    original = _original(values, account, found) if kind in CHAINED_TYPES else None
    invoices = _invoices(payload, found, header["release_date"], lookups, kind, original)
    lines = _lines(payload, found, header, invoices, lookups)
    if found.errors:
        return None, found.errors
    _hst_beside_gst(lines, header["release_date"], found)
    _consistent(invoices, lines, found)
    if values["cad_type_code"]:  # as the cargo control number's rules (_cad_type_rules)
        _us_shipment_rules(values, invoices, lines, found)
    if values["cad_type_code"] in CHAINED_TYPES:
        _warehouse_chain(values, account, lines, found, original)
    if found.errors:
        return None, found.errors
    totals = {name: sum((line[name] for line in lines), Decimal("0.00")) for name in AMOUNT_FIELDS}
    checked = Checked(account, submitter, context, header, [_invoice_fields(i) for i in invoices], lines, totals)
    checked.warnings.extend(unlisted_orders(lines))
    checked.warnings.extend(hst_differs(lines))
    gap = lookups.kept(("schedule_gap", header["release_date"]), lambda: _schedule_gap(header["release_date"]))
    if gap is not None:  # the assessment's why: the schedule used is not the edition of the release year
        checked.warnings.append(gap)
    from . import timing  # here: timing builds on this module's Error

    errors = timing.settle(checked, today=today, lookups=lookups)  # deadlines by program, due date, lateness
    if errors:
        return None, errors
    refusals = [error for rule in _acceptance_rules for error in rule(checked, lookups)]
    if refusals:
        return None, refusals
    for source in _warning_sources:
        checked.warnings.extend(source(checked, payload, lookups))
    return checked, []


def _schedule_gap(release: dt.date) -> Error | None:
    gap = assessment.schedule_gap(tariff.schedule_in_force(release), release)
    return None if gap is None else Error("tariff_schedule", "/release_date", gap)


# Other apps add warnings to a CAD that passes (rulings: a line contradicting a ruling the importer
# holds). A source is a callable (checked, payload, lookups) -> [Error] (what it reads kept for the
# batch with lookups.kept); it registers from its AppConfig.ready().
_warning_sources: list = []


def register_warnings(source) -> None:
    if source not in _warning_sources:
        _warning_sources.append(source)


# Rules of other apps that may refuse a CAD that passes (security: an RPP CAD needs enrolment and
# sufficient security). A rule is a callable (checked, lookups) -> [Error] (it may add warnings to
# checked.warnings, and keep what it reads for the batch with lookups.kept); it registers from its
# AppConfig.ready().
_acceptance_rules: list = []


def register_acceptance(rule) -> None:
    if rule not in _acceptance_rules:
        _acceptance_rules.append(rule)


def acting(who, account: ProgramAccount) -> tuple[Business, dict]:
    """(the business `who` submits for on `account`, their audit context): their service provider
    when they act for a client through delegation, else the importer itself."""
    context = rights.audit_context(who, account.business)
    bn9 = context["actor_business"] or account.business.bn9
    return (account.business if bn9 == account.business.bn9 else Business.objects.get(bn9=bn9)), context


def importer_account(payload: dict, who, errors: list) -> ProgramAccount | None:
    """The importer's program account named by the payload if `who` may transact on it; else
    None, the reason appended to `errors` (drafts check this rule alone)."""
    found = Collector()
    number = fields.read_one(found, payload, Part.HEADER, "importer")
    account = _importer(number, who, found, Lookups())
    errors.extend(found.errors)
    return account


def draft_header(payload: dict) -> dict:
    """The header columns of a draft: whatever of them is well formed, blank otherwise."""
    values = fields.read(Collector(), payload, Part.HEADER, "", strict=False)
    return {
        "declarant_number": values["declarant"],
        "mode_of_transport": values["mode_of_transport"],
        "release_office": values["release_office"],
        "release_date": values["release_date"],
        "cargo_control_number": values["cargo_control_number"],
        "cad_type": values["cad_type"] or CadType.RPP,
    }


def _importer(number: str, who, found, lookups) -> ProgramAccount | None:
    if not number:  # missing or malformed: said by the field's row
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


def _header(values: dict, found, submitter, today, lookups) -> dict:
    header = {
        "declarant_number": values["declarant"],
        "mode_of_transport": values["mode_of_transport"],
        "release_office": values["release_office"],
        "cargo_control_number": values["cargo_control_number"],
        "cad_type": values["cad_type"],
        "release_time": values["release_time"],
        "details": fields.details(values, Part.HEADER),
    }
    declarant = header["declarant_number"]
    if declarant and submitter is not None and declarant[:9] != submitter.bn9:
        found.add(
            "declarant_not_submitter",
            "/declarant",
            _("The declarant must be a program account of the business submitting."),
        )
    release = values["release_date"]
    header.update(release_date=release, is_late=False, cad_due_date=None, payment_due_date=None)
    # A cash CAD may be prepared and paid before its goods arrive (its transaction is paid, then the
    # goods released: releases.services.release_paid_cash_cad); any other CAD accounts for goods already released.
    cash = values["cad_type"] == CadType.CASH or values["cad_type_code"] == "C"
    ahead = dt.timedelta(days=settings.CARM_CASH_CAD_DAYS_AHEAD)
    if release is not None and release > today and not cash:
        found.add("future_date", "/release_date", _("Goods cannot be accounted for before they are released."))
    elif release is not None and release > today + ahead:
        found.add(
            "too_far_ahead",
            "/release_date",
            _("A cash CAD may be prepared at most %(days)s days before its goods are released.")
            % {"days": settings.CARM_CASH_CAD_DAYS_AHEAD},
        )
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
    if values["transaction_number"]:
        try:
            number = transaction_numbers.validate(values["transaction_number"])
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
    return header


def _invoices(payload, found, release, lookups, kind, original) -> list[dict]:
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
        invoice = {**fields.read(found, data, Part.INVOICE, pointer), "index": index, "exchange": None}
        _coded(found, Part.INVOICE, invoice, pointer, release, data)
        _type_rules(found, Part.INVOICE, kind, invoice, pointer)
        invoice["details"] = fields.details(invoice, Part.INVOICE, data)
        if invoice["number"] in numbers:
            found.add("duplicate_invoice", f"{pointer}/number", _("Another invoice of this CAD has this number."))
        numbers.add(invoice["number"])
        shipment = invoice["shipment_date"]
        if kind in NO_SHIPMENT_DATE_TYPES:
            shipment = invoice["shipment_date"] = _rate_date(invoice, kind, release, original, pointer, found)
        elif data.get("shipment_date") in (None, ""):  # else its row said what is wrong with it
            _needed(found, Part.INVOICE, "shipment_date", pointer, _("it sets the exchange rate (D13-2-3)."))
        if shipment is not None and release is not None and shipment > release:  # D17-1-10 field 31
            message = _(
                "The date of direct shipment (%(shipment)s) is after the release date (%(release)s): goods are "
                "shipped to Canada before they are released (D17-1-10, field 31)."
            )
            dates = {"shipment": shipment.isoformat(), "release": release.isoformat()}
            found.add("shipment_after_release", f"{pointer}/shipment_date", interpolate(message, dates))
        elif shipment is not None and invoice["currency"]:
            try:  # the Bank of Canada rate prevailing on the date of direct shipment: D13-2-3
                invoice["exchange"] = lookups.exchange_rate(invoice["currency"], shipment)
            except InputError as error:
                found.add(error.code, f"{pointer}/currency", error.message)
        result.append(invoice)
    return result


# D17-1-10 field 31: "Ne rien indiquer pour les DDC de type 13, 20, 21, 30, F et les PTC".
NO_SHIPMENT_DATE_TYPES = {"13", "20", "21", "30", "F"}


def _rate_date(invoice, kind, release, original, pointer, found) -> dt.date | None:
    """The exchange rate's date of an invoice of a CAD type that leaves field 31 blank, stored as its
    date of direct shipment: the Bank of Canada rate is that of the goods' date of direct shipment
    (D13-2-3 para 2), which for goods out of a warehouse (types 13, 20, 21, 30) is the one the type 10
    entry declared for the invoice of that number (else of that currency); a type F declares CAD
    (field 40), needing no rate, on the release date. A date given must be that one."""
    date, because = release, _("a type F CAD declares its amounts in CAD (field 40).")
    if kind != "F":
        if original is None:  # the missing or unknown original is said by the chain's rules
            return None
        shipped = list(original.invoices.values_list("number", "currency", "shipment_date"))
        same = [day for number, _c, day in shipped if number == invoice["number"]]
        same = same or [day for _n, currency, day in shipped if currency == invoice["currency"]]
        if not same:
            message = _("D17-1-10 %(field)s: the type 10 CAD %(number)s has no invoice in %(currency)s.")
            given = {
                "field": titled(fields.BY_PART[Part.INVOICE]["currency"]),
                "number": original.declaration.transaction_number,
                "currency": invoice["currency"],
            }
            found.add("no_original_invoice", f"{pointer}/currency", interpolate(message, given))
            return None
        date = same[0]
        because = interpolate(
            _("the goods' date of direct shipment is that of the type 10 CAD %(number)s, %(date)s (D13-2-3)."),
            {"number": original.declaration.transaction_number, "date": date.isoformat()},
        )
    if invoice["shipment_date"] not in (None, date):
        _refused(found, Part.INVOICE, "shipment_date", pointer, because)
    return date


def _lines(payload, found, header, invoices, lookups) -> list[dict]:
    lines = payload.get("lines")
    if not isinstance(lines, list) or not lines:
        found.add("required", "/lines", _("Give at least one line."))
        return []
    if len(lines) > MAX_LINES:
        found.add("too_many_lines", "/lines", _("A CAD has at most %(count)s lines.") % {"count": MAX_LINES})
        return []
    by_number = {invoice["number"]: invoice for invoice in invoices}
    release, kind = header["release_date"], header["details"].get("cad_type_code", "")
    result = []
    for index, data in enumerate(lines):
        pointer = f"/lines/{index}"
        if not isinstance(data, dict):
            found.add("invalid", pointer, _("Each line is a JSON object."))
            continue
        line = _line(data, index, pointer, found, release, kind, by_number, lookups)
        if line is not None:
            result.append(line)
    return result


def _line(data, index, pointer, found, release, kind, invoices, lookups) -> dict | None:
    """A line's fields by their rows, then its rules in order; the line as stored, or None."""
    before = len(found.errors)
    values = fields.read(found, data, Part.LINE, pointer)
    _coded(found, Part.LINE, values, pointer, release, data)
    _type_rules(found, Part.LINE, kind, values, pointer)
    if values["quantity"] is not None and values["quantity"] <= 0:  # D17-1-10 field 37: the goods' quantity
        found.add("quantity_not_positive", f"{pointer}/quantity", _("Give a quantity greater than 0."))
    if kind in WAREHOUSE_TYPES or not _CONDITIONAL.isdisjoint(data):
        _line_conditions(values, kind, release, pointer, found)
    invoice = _invoice_of(data, values, pointer, found, invoices)
    line = _declared(values, index, invoice, data)
    line["tariff_treatment"] = _treatment_code(line["tariff_treatment"], release, pointer, found)
    if line["origin"] in STATE_REQUIRED and not line["origin_state"]:
        found.add(
            "state_required",
            f"{pointer}/origin_state",
            _("Goods from the United States or Mexico need the state of origin."),
        )
    additions, deductions = _valuation(data, values, pointer, found)
    if len(found.errors) > before or release is None or invoice is None or invoice["exchange"] is None:
        return None
    tariffed = _tariffed(line, values, release, pointer, found, lookups)
    if tariffed is None:
        return None
    classification, unit, treatment = tariffed
    # Goods no excise table names (most lines) have no excise duty, tax or declared amount to look up.
    tabled = excise.tabled(classification.line.code)
    excise_rate = _excise_rate(line, values, classification, release, pointer, found) if tabled else None
    if excise_rate is False or (tabled and not _vehicle_tax_declared(line, classification, release, pointer, found)):
        return None
    exchange = invoice["exchange"]
    try:
        charges = assessment.parse_charges(line["charges"]) if line["charges"] else {}
        if excise_rate is not None:
            charges["excise_duty"] = _excise_charge(excise_rate, values, unit)
        excise_tax_rate = _excise_tax_rate(line, classification, release) if tabled else None
        if excise_tax_rate is not None:
            charges["excise_tax"] = {"rate": excise_tax_rate.rate}
        if values["safeguard"] is not None:
            _with_safeguard(charges, values)
        assessed = engine.assess_line(
            engine.Line(
                rate=treatment.rate,
                price=values["value"],
                additions=additions or None,
                deductions=deductions or None,
                currency=exchange.currency,
                exchange_rate=None if exchange.currency == "CAD" else exchange.cad_per_unit,
                quantity=values["quantity"],
                unit=unit or None,
                classification=classification.line.code,
                treatment=treatment.code,
                **charges,
            ),
            gst_rate(values["gst_code"], release),
        )
    except InputError as error:
        found.add(error.code, f"{pointer}/{error.field}", error.message)
        return None
    except engine.AssessmentError as error:
        mapped = input_error_of(error)
        found.add(mapped.code, f"{pointer}/{mapped.field or 'value'}", mapped.message)
        return None
    cigar_duty = _cigar_duty(line, classification, release, assessed) if tabled else None
    if cigar_duty is not None:
        assessed = engine.assess_line(
            replace(assessed.line, excise_tax=engine.Charge(amount=cigar_duty)), assessed.gst_rate
        )
    if tabled and not _vehicle_tax_allowed(classification, release, assessed, pointer, found):
        return None
    amounts = assessment.amounts(assessed)
    remitted = _remit(amounts, values, release, pointer, found)
    if remitted is None:
        return None
    _hst(values, line, amounts["value_for_tax"], release)
    # The provincial levies CBSA collects (D17-1-10 fields 94, 95, 97, 98; D2-3-6), as declared or,
    # for the HST, as computed, are billed with the line: "Total des droits et taxes de la ligne"
    # sums them with the duties and GST.
    levies = [values[name] for name in _PROVINCIAL if values[name] is not None]
    if levies:
        amounts["total"] += sum(levies)
    declared_vfd = values["vfd"]
    if declared_vfd is not None and declared_vfd != amounts["vfd"]:
        found.add(
            "vfd_mismatch",
            f"{pointer}/vfd",
            _(
                "The VFD declared (%(declared)s) is not the price, with its additions and deductions, converted "
                "at the Bank of Canada rate (%(computed)s)."
            )
            % {"declared": declared_vfd, "computed": amounts["vfd"]},
        )
        return None
    line.update(
        description=line["description"] or classification.line.description_en[:300],
        quantity=values["quantity"],
        unit=unit,
        value=values["value"],
        currency=exchange.currency,
        exchange_rate=exchange.cad_per_unit,
        rate=treatment.rate_text[:200],
    )
    line.update(amounts)
    if remitted:
        line["details"].update({name: str(amount) for name, amount in remitted.items() if amount})
    if values["special_authority"] and codes.entry("remission_orders", values["special_authority"], release) is None:
        line["details"]["order_not_listed"] = True  # kept as declared: see unlisted_orders
    if excise_rate is not None:
        line["details"]["excise_duty_rate"] = excise_rate.rate
    if cigar_duty is not None:
        line["details"]["cigar_additional_duty"] = str(cigar_duty)
    if excise_tax_rate is not None:
        line["details"]["excise_tax_rate"] = excise_tax_rate.rate
    return line


def _tariffed(line, values, release, pointer, found, lookups) -> tuple | None:
    """(classification, unit, treatment) of a line, else None, the error said: its classification in
    the tariff in force on the release date, the Chapter 99 item it claims (D17-1-10 field 47: its rate
    replaces the classification's), the unit of its quantity and the treatment it claims. What passed
    is kept (Lookups._passed) by classification, tariff code, origin, treatment and day for as long as
    the tariff's data revision stays the same (what it is found from: the tariff's rows and the
    country list, a file read once): lines repeat a few of them. A refusal is not kept: it is found
    again, its message in the language of the moment. The unit and quantity are each line's own."""
    number, origin, asked = line["classification"], line["origin"], line["tariff_treatment"]
    key = (tariff.current_revision(), number, values["tariff_code"], origin, asked, release)
    kept = Lookups._passed
    passed = kept.get(key)
    if passed is None:
        try:
            classification = lookups.classification(number, release)
            special = assessment.special_provision(values["tariff_code"], release)
        except InputError as error:
            found.add(error.code, f"{pointer}/{error.field}", error.message)
            return None
    else:
        classification, treatment = passed
    unit = _unit(line, values["quantity"], classification.unit_of_measure, pointer, found)
    if unit is None:
        return None
    if passed is None:
        treatment = _treatment(line, special or classification, release, pointer, found, lookups)
        if treatment is None:
            return None
        if len(kept) > 50000:
            kept.clear()
        kept[key] = (classification, treatment)
    return classification, unit, treatment


def _hst(values, line, value_for_tax, release) -> None:
    """Field 94 of goods for a participating province (GST code 99, the province of destination of
    field 60): the HST at the dated rate of declarations.provincial, on the value for tax (Excise Tax
    Act ss.212.1(2), 215), when the line declares none. A declared amount stands, as a declared excise
    duty does: the province may rebate its part on some goods (CBSA Fact Sheet of July 2010: "The
    CBSA will automatically apply the rebate to qualifying goods being imported into Canada and
    destined for Nova Scotia"), which the rate table cannot know; one that differs from the rate's
    is told in a warning (hst_differs)."""
    if values["gst_code"] != provincial.HST_GST_CODE:
        return
    row = provincial.hst_rate(values["province"], release)
    if row is None:
        return
    computed = row.amount(value_for_tax)
    if values["pst_hst_qst"] is None:
        values["pst_hst_qst"] = computed
        line["details"].update(pst_hst_qst=str(computed), hst_rate=f"{row.total.normalize():f}")
    elif values["pst_hst_qst"] != computed:
        line["details"]["hst_computed"] = str(computed)


def _hst_beside_gst(lines, release, found) -> None:
    """Refuses an HST (field 94, a participating province of destination) on a line whose GST code
    bills the GST in field 93: the HST holds the GST (Excise Tax Act s.212.1(2), "in addition to the
    tax imposed by section 212"), which the line would pay twice. Commercial goods for that province
    pay the GST alone (s.212.1(3)), with field 94 blank or 0.00; a PST (no HST province) stands."""
    # D17-1-10 field 94: "Si la TVH est applicable, un code d'exception de la TPS est requis" (field 92).
    message = _(
        "D17-1-10 field 94: the HST declared (%(declared)s) for the province of destination %(province)s already "
        "holds the GST. Give GST code 99 (field 92), which leaves field 93 without GST; or, for commercial goods, "
        "which pay the GST alone, leave field 94 blank."
    )
    for index, line in enumerate(lines):
        details = line["details"]
        declared, province = Decimal(details.get("pst_hst_qst", 0)), details.get("province", "")
        if declared and gst_rate(details.get("gst_code"), release) and provincial.hst_rate(province, release):
            values = {"declared": details["pst_hst_qst"], "province": province}
            found.add("gst_code_with_hst", f"/lines/{index}/gst_code", interpolate(message, values))


def hst_differs(lines) -> list[Error]:
    """A warning for each line whose declared HST (field 94) is not the province's rate on its value
    for tax: billed as declared (_hst says why)."""
    message = _(
        "D17-1-10 field 94: the HST declared (%(declared)s) differs from the HST at the province of "
        "destination's rate on the value for tax (%(computed)s). The declared amount is billed: keep the proof "
        "of the provincial rebate it reflects."
    )
    return [
        Error(
            "hst_differs",
            f"/lines/{index}/pst_hst_qst",
            interpolate(
                message, {"declared": line["details"]["pst_hst_qst"], "computed": line["details"]["hst_computed"]}
            ),
        )
        for index, line in enumerate(lines)
        if "hst_computed" in line["details"]
    ]


def _declares_excise_tax(line) -> bool:
    """Whether the line declares its own excise tax (D17-1-10 field 63, an amount or a rate): it then
    stands, whatever the tables say (permits, exemptions)."""
    return bool({"excise_tax", "excise_tax_rate"} & line["charges"].keys())


def _excise_tax_rate(line, classification, release):
    """The excise tax rate of assessment.excise for the goods (Excise Tax Act Schedule I: fuels, by
    their tariff item) when the line declares no excise tax of its own (D17-1-10 fields 62, 63)."""
    if _declares_excise_tax(line):
        return None
    return excise.tax_rate(classification.line.code, release)


def _cigar_duty(line, classification, release, assessed) -> Decimal | None:
    """The additional duty on cigars (Excise Act, 2001 s.43, Schedule 2) when the line declares no excise
    tax of its own: D17-1-10 Appendix B example 3 charges it in field 63 ("Taxe d'accise"). None when
    the goods are not cigars of a period read (assessment/data/excise/cigar_additional_duty.csv)."""
    if _declares_excise_tax(line):
        return None
    row = excise.cigar_duty(classification.line.code, release)
    count = excise.counted(assessed.line.quantity, assessed.line.unit) if row else None
    if count is None:
        return None
    return row.amount(count, excise.duty_paid_value(assessed.vfd, assessed.cud, assessed.excise_duty))


def _vehicle_tax_declared(line, classification, release, pointer, found) -> bool:
    """Whether a line of vehicles (or of air conditioners for them) declares its excise tax (field 63),
    0.00 if none: Excise Tax Act Schedule I ss.6-7 charge them by facts a line does not carry (an air
    conditioner fitted, the weighted fuel consumption rating), which CBSA reads from the excise tax code
    of field 62, whose list (D18-5-1 Appendix B) was not read (assessment/data/excise/README.md)."""
    if _declares_excise_tax(line):
        return True
    if not any(row.holds(release) for row in excise.vehicle_taxed(classification.line.code)):
        return True
    because = _(
        "the excise tax on these goods depends on an air conditioner fitted and the weighted fuel consumption "
        "rating (Excise Tax Act Schedule I ss.6 and 7), which the line does not carry: declare it, 0.00 if none "
        "is owed."
    )
    _needed(found, Part.LINE, "excise_tax", pointer, because)
    return False


def _vehicle_tax_allowed(classification, release, assessed, pointer, found) -> bool:
    """Whether a vehicle line's excise tax, per vehicle, is a sum Schedule I gives the goods on the release
    date (assessment.excise.vehicle_tax_sums: $100 for an air conditioner, one fuel consumption band, both,
    or 0). Not refused when a kind has no row that day, when the Luxury Tax may share the field
    (excise.may_include_luxury_tax) or when the quantity is no count of vehicles."""
    code = classification.line.code
    if not excise.vehicle_table_complete(code, release) or excise.may_include_luxury_tax(code, release):
        return True
    count = excise.counted(assessed.line.quantity, assessed.line.unit)
    if not count or excise.vehicle_tax_parts(code, release, assessed.excise_tax / count) is not None:
        return True
    message = _(
        "D17-1-10 %(field)s: %(each)s each is not an excise tax Excise Tax Act Schedule I gives these goods on "
        "%(date)s; it gives one of %(sums)s each (an air conditioner, a fuel consumption band, or both)."
    )
    given = {
        "field": titled(fields.BY_PART[Part.LINE]["excise_tax"]),
        "each": engine.cents(assessed.excise_tax / count),
        "date": release.isoformat(),
        "sums": ", ".join(f"{total:.2f}" for total in excise.vehicle_tax_sums(code, release)),
    }
    found.add("excise_tax_not_in_schedule", f"{pointer}/excise_tax", interpolate(message, given))
    return False


_DECLARED_DUTY = {
    "vaping": _(
        "the excise duty on vaping products is charged on each device or container by the volume it holds "
        "(Excise Act, 2001 Schedule 8), which the line's one quantity does not give: declare it, 0.00 if none "
        "is owed."
    ),
    "cannabis": _(
        "the excise duty on cannabis is charged by the grams of each material or the milligrams of THC (Excise "
        "Act, 2001 Schedule 7), which the line's one quantity does not give: declare it, 0.00 if none is owed."
    ),
}


def _excise_rate(line, values, classification, release, pointer, found):
    """The excise duty rate of assessment.excise for the goods when the line declares no excise duty
    of its own (D17-1-10 fields 64, 65); None when there is none; False when the goods' strength
    (field 96), which the rate depends on, is missing, or when the duty is one the line must declare
    (vaping products, cannabis: assessment.excise.declared_duty); the error said."""
    if {"excise_duty", "excise_duty_rate"} & line["charges"].keys():
        return None
    code = classification.line.code
    declared = excise.declared_duty(code, release)
    if declared is not None:
        _needed(found, Part.LINE, "excise_duty", pointer, _DECLARED_DUTY[declared.product])
        return False
    strength = values["alcohol_percent"]
    if not strength and excise.needs_strength(code, release):
        because = _("the excise duty on these goods depends on their alcohol content (fields 65, 96).")
        _needed(found, Part.LINE, "alcohol_percent", pointer, because)
        return False
    return excise.duty_rate(code, release, Decimal(strength) if strength else None)


def _excise_charge(row, values, unit) -> dict:
    """The excise duty charge of the table's `row`: its rate, on the line's quantity or, where the rate
    is per litre of absolute ethyl alcohol and the line in litres (or the other way), on the quantity
    its alcohol content (field 96) gives (assessment.excise.charged_quantity)."""
    strength = values["alcohol_percent"]
    converted = excise.charged_quantity(row, values["quantity"], unit, Decimal(strength) if strength else None)
    if converted is None:
        return {"rate": row.rate}
    quantity, charged_unit = converted
    return {"rate": row.rate, "quantity": quantity, "unit": charged_unit}


def _with_safeguard(charges: dict, values: dict) -> None:
    """The safeguard declared (D17-1-10 field 90, "un type de surtaxe") charged as a surtax: in the
    value for tax and the line's total like one (the page and field 113 tell it apart)."""
    surtax = charges.get("surtax")
    if surtax is None:
        charges["surtax"] = {"amount": values["safeguard"], "code": values["safeguard_code"]}
    elif "amount" in surtax:
        surtax["amount"] = to_decimal(surtax["amount"], "surtax.amount") + values["safeguard"]  # as declared
    else:
        message = _("Give the surtax as an amount when the goods also pay a safeguard (field 90).")
        raise InputError("surtax_amount", "safeguard_with_surtax_rate", message)


def _remit(amounts: dict, values: dict, day, pointer, found) -> dict | None:
    """What the Order in Council of D17-1-10 field 54 remits when it is a remission order of the code
    list (declarations/codelists/remission_orders.csv), taken off the line's amounts (in place):
    {"remitted_customs_duty": ..., "remitted_gst": ...}; None when the order needs the time limit and
    the line gives none (the error said). The list's `alias` is either the share of the customs duty
    remitted, in percent (D8-4-1; the GST stays computed on the duty before remission: the list gives
    no rule for it, and none is assumed), or "1/N": the line pays N-ths of its customs duty and GST
    for each month of its time limit (fields 58, 59), the rest remitted (D17-1-10 Appendix B examples
    6 and 7). A code of the list without an alias is checked, not computed (e.g. a condition of
    value the list cannot carry)."""
    order = values["special_authority"]
    found_order = codes.entry("remission_orders", order, day) if order else None
    if found_order is None or not found_order.alias:
        return {}
    if not found_order.alias.startswith("1/"):
        remitted = engine.cents(amounts["customs_duty"] * Decimal(found_order.alias) / 100)
        amounts["customs_duty"] -= remitted
        amounts["total"] -= remitted
        return {"remitted_customs_duty": remitted}
    start, end = values["time_limit_from"], values["time_limit_to"]
    if not (start and end):
        because = interpolate(
            _("Order in Council %(order)s remits by the month of the time limit (fields 54, 58, 59)."),
            {"order": order},
        )
        for name in ("time_limit_from", "time_limit_to"):
            if not values[name]:
                _needed(found, Part.LINE, name, pointer, because)
        return None
    # The monthly share first, then the amounts: so D17-1-10 example 6 (97,775.27, not 97,775.275 rounded up).
    share = min(Decimal(months_in(start, end)) / Decimal(found_order.alias[2:]), Decimal(1))
    remitted = {}
    for name in ("customs_duty", "gst"):
        remitted[f"remitted_{name}"] = amounts[name] - engine.cents(amounts[name] * share)
        amounts[name] -= remitted[f"remitted_{name}"]
        amounts["total"] -= remitted[f"remitted_{name}"]
    return remitted


def unlisted_orders(lines) -> list[Error]:
    """A warning for each line claiming an Order in Council not in CARM's list: accepted as declared,
    no remission computed. D17-1-10 field 54 takes any order ("Le décret qui peut prévoir l'exonération
    ou la remise partielle ou totale des droits et/ou des taxes"; "Si le décret est assorti de
    conditions, l'importateur doit être prêt à apporter la preuve de son observation"), made under
    Customs Tariff s.115 or Financial Administration Act s.23 (D8-4-1 para 1): no list bounds them."""
    message = _(
        "D17-1-10 field 54: Order in Council %(order)s is not in CARM's list of remission orders; the line is "
        "accepted as declared and no remission is computed: keep the order and the proof of its conditions."
    )
    return [
        Error(
            "order_not_listed",
            f"/lines/{index}/special_authority",
            interpolate(message, {"order": line["special_authority"]}),
        )
        for index, line in enumerate(lines)
        if line["details"].get("order_not_listed")
    ]


def months_in(start: dt.date, end: dt.date) -> int:
    """The number of months of the period from `start` to `end`: "the number of months included, in
    whole or in part, in the period, the first day of the first such month being the first day of
    the period" (Value of Imported Goods (GST/HST) Regulations, SOR/91-30 s.2(2))."""
    months = 1
    while _months_after(start, months) <= end:
        months += 1
    return months


def _months_after(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def gst_rate(code: str, day) -> Decimal:
    """The GST rate of a line: 5% (Excise Tax Act s.165(1), s.212), or the rate its GST code gives
    (D17-1-10 field 92; relief under ETA Schedule VII: the code list's `alias`, in percent). An
    unknown code was refused by the code list check."""
    found = codes.entry("gst_codes", code, day) if code else None
    if found is None or found.alias == "":
        return engine.GST_RATE
    return Decimal(found.alias) / 100


def _invoice_of(data, values, pointer, found, invoices) -> dict | None:
    """The invoice the line names; with one invoice, naming it is optional."""
    number = values["invoice"]
    if not number and len(invoices) == 1:
        return next(iter(invoices.values()))
    if not number:
        if data.get("invoice") in (None, ""):  # else its row said what is wrong with it
            found.add("required", f"{pointer}/invoice", fields.REQUIRED)
        return None
    invoice = invoices.get(number)
    if invoice is None and invoices:
        found.add("unknown_invoice", f"{pointer}/invoice", _("No invoice of this CAD has this number."))
    return invoice


def _declared(values, index, invoice, data) -> dict:
    """The line's declared fields as stored (declarations.models.LINE_DECLARED)."""
    return {
        "number": index + 1,
        "invoice_number": invoice["number"] if invoice else values["invoice"],
        **{name: values[name] for name in _STORED_TEXT},
        "classification": "".join(values["classification"].replace(".", "").split()),  # without dots and spaces
        "charges": _given(_CHARGES, values, data),
        "adjustments": _adjustments(values, data),
        "details": fields.details(values, Part.LINE, data),
    }


def _adjustments(values, data) -> dict:
    if _ADJUSTMENTS.keys().isdisjoint(data):  # most lines give none
        return {}
    return {name: str(value) for name, value in _given(_ADJUSTMENTS, values, data).items()}


_STORED_TEXT = (  # the line's declared text, kept as read
    "description narrative unit tariff_treatment origin origin_state export_country vfd_code special_authority"
).split()
_CHARGES = dict.fromkeys(fields.names(Part.LINE, Group.CHARGE))  # ordered, and a set to test against
_ADDITIONS = fields.names(Part.LINE, Group.ADDITION)
_DEDUCTIONS = fields.names(Part.LINE, Group.DEDUCTION)
_ADJUSTMENTS = dict.fromkeys([*_ADDITIONS, *_DEDUCTIONS])
_ZERO = Decimal("0.00")


def _given(names: dict, values: dict, data: dict) -> dict:
    """The fields of `names` (in their order) the line gives a value; most lines give none of them."""
    if names.keys().isdisjoint(data):
        return {}
    return {name: values[name] for name in names if values[name]}


def _valuation(data, values, pointer, found) -> tuple[Decimal, Decimal]:
    """The line's additions and deductions to the price (Customs Act s.48(5); D13-4-1 paras 10-12),
    in the invoice's currency, and whether the VFD code (D17-1-10 field 48) agrees with them: second
    digit 3, the price without adjustment; 4, the price adjusted; 5 to 9, another method (ss.49-53),
    whose value is declared as the price, with no s.48(5) adjustment."""
    additions, deducted, deductions, adjusted = _ZERO, [], _ZERO, False
    if not _ADJUSTMENTS.keys().isdisjoint(data):  # most lines give none: nothing to add up
        given = _given(_ADJUSTMENTS, values, data)
        additions = sum((given[name] for name in _ADDITIONS if name in given), _ZERO)
        deducted = [name for name in _DEDUCTIONS if name in given]
        deductions = sum((given[name] for name in deducted), _ZERO)
        # Declared, even if wrong (its own error is said): the code is checked against what was meant.
        adjusted = bool(additions or deductions) or any(
            values[name] is None and data[name] not in (None, "") for name in _ADJUSTMENTS.keys() & data.keys()
        )
    code = values["vfd_code"]
    message = None
    if code and code[1] == "3" and adjusted:
        message = _(
            "VFD code %(code)s says the price is not adjusted, but this line declares additions or deductions: "
            "use %(other)s (Customs Act s.48(5))."
        )
    elif code and code[1] == "4" and not adjusted:
        message = _(
            "VFD code %(code)s says the price is adjusted (Customs Act s.48(5)): declare its additions or "
            "deductions, or use %(other)s."
        )
    elif code and code[1] not in "34" and adjusted:
        message = _(
            "Additions and deductions (Customs Act s.48(5)) adjust a transaction value, VFD codes ending in 3 "
            "or 4: under code %(code)s (ss.49 to 53), declare the value so found as the price."
        )
    if message:
        other = code[0] + ("4" if code[1] == "3" else "3")
        found.add("vfd_code_mismatch", f"{pointer}/vfd_code", message % {"code": code, "other": other})
    price = values["value"]
    if price is not None and deductions > price + additions:
        field = fields.BY_PART[Part.LINE][deducted[0]]
        message = _(
            "%(field)s: the deductions (%(deductions)s) are more than the price with its additions "
            "(%(price)s), and a value for duty cannot be negative (Customs Act s.48(5)(b))."
        )
        amounts = {"field": field.label, "deductions": deductions, "price": price + additions}
        found.add("deductions_exceed_price", f"{pointer}/{field.name}", interpolate(message, amounts))
    return additions, deductions


def _unit(line, quantity, tariff_unit, pointer, found) -> str | None:
    """The unit of the line's quantity: the classification's (D17-1-10 field 38); None if wrong."""
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
    return line["unit"] or tariff_unit


def _treatment(line, classification, release, pointer, found, lookups):
    """The tariff treatment claimed, if the origin is eligible to it on the release date and its rate
    can be assessed (assessment.claimed_treatment: the dated tables of beneficiary countries)."""
    try:
        treatment = lookups.treatment(line["origin"], line["tariff_treatment"], classification, release)
    except InputError as error:
        found.add(error.code, f"{pointer}/{error.field}", error.message)
        return None
    if treatment.rate is None:
        found.add(
            "rate_not_assessable", f"{pointer}/tariff_treatment", assessment.ENGINE_MESSAGES["rate_not_assessable"]
        )
        return None
    return treatment


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
    return {key: invoice[key] for key in INVOICE_STORED}


INVOICE_STORED = ("number amount currency shipment_date vendor_name vendor_address vendor_country details").split()


# --- D17-1-10 code lists and conditional fields --------------------------------------------------


def check_codes(found: Collector, part: Part, values: dict, pointer: str, day) -> None:
    """Every coded field of `values` (a part read by fields.read) is a code of its list on `day`, the
    errors added to `found`: the code list rule of a CAD for readers of other formats (legacy B3s)."""
    _coded(found, part, values, pointer, day)


def _coded(found, part, values, pointer, day, given=None) -> None:
    """Every coded field given is a code of its list on the release date (D17-1-10 appendices).
    `given`: the payload read, whose keys bound the search."""
    coded_fields = fields.CODED[part]
    for name in coded_fields if given is None else given.keys() & coded_fields.keys():
        coded = coded_fields[name]
        value = values[coded.name]
        if value and not coded.open_list and codes.entry(coded.codelist, value, day) is None:
            _unknown_code(found, coded, value, f"{pointer}/{coded.name}", day)
    if part is Part.LINE and values["origin"] == "US" and values["origin_state"]:  # field 43: a US state
        if codes.entry("us_states", values["origin_state"], day) is None:
            state = fields.BY_PART[Part.LINE]["origin_state"]
            _unknown_code(found, state, values["origin_state"], f"{pointer}/origin_state", day)


def _unknown_code(found, field, value, pointer, day) -> None:
    message = _("D17-1-10 %(field)s: %(code)s is not a code of its list in force on %(day)s.")
    when = day.isoformat() if day else "-"
    found.add("unknown_code", pointer, interpolate(message, {"field": titled(field), "code": value, "day": when}))


def _needed(found, part, name, pointer, because) -> None:
    """Field `name` is required here, `because` (a lazy message) says why."""
    message = _("D17-1-10 %(field)s is required: %(because)s")
    found.add(
        "required",
        f"{pointer}/{name}",
        interpolate(message, {"field": titled(fields.BY_PART[part][name]), "because": because}),
    )


def _refused(found, part, name, pointer, because) -> None:
    message = _("D17-1-10 %(field)s must be left blank: %(because)s")
    found.add(
        "not_applicable",
        f"{pointer}/{name}",
        interpolate(message, {"field": titled(fields.BY_PART[part][name]), "because": because}),
    )


WAREHOUSE_TYPES = {"10", "13", "20", "21", "30"}  # D17-1-10 field 11, numeric types
CHAINED_TYPES = {"13", "20", "21", "30"}  # fields 7, 8 and 33: they refer to the type 10 entry
TIME_LIMITED_TYPES = {"10", "13", "30"}  # fields 56, 58, 59: "Doit être rempli pour les types 10, 13 et 30"


def _cad_type_rules(values, payload, header, found) -> None:
    """The rules of a CAD type (D17-1-10 fields 7, 8, 11, 14): a warehouse CAD names its sub-type
    of the same type, later warehouse CADs their original and previous transactions; a type C CAD is
    a cash CAD (accounting and payment at release)."""
    kind = values["cad_type_code"]
    if kind == "C":
        if payload.get("cad_type") not in (None, "") and values["cad_type"] != CadType.CASH:
            because = _("a type C CAD is accounted for and paid at release (D17-1-10, field 11).")
            _refused_choice(found, because)
        header["cad_type"] = CadType.CASH
    if kind in WAREHOUSE_TYPES:
        subtype = values["warehouse_subtype"]
        if not subtype:
            _needed(found, Part.HEADER, "warehouse_subtype", "", _("a warehouse CAD names its sub-type (field 14)."))
        elif not subtype.startswith(f"{kind}-"):
            because = _("the sub-type must be one of its CAD type's (field 14).")
            found.add(
                "subtype_mismatch",
                "/warehouse_subtype",
                interpolate(
                    _("D17-1-10 %(field)s: %(code)s is not a sub-type of type %(kind)s: %(because)s"),
                    {
                        "field": titled(fields.BY_PART[Part.HEADER]["warehouse_subtype"]),
                        "code": subtype,
                        "kind": kind,
                        "because": because,
                    },
                ),
            )
    elif values["warehouse_subtype"]:
        _refused(found, Part.HEADER, "warehouse_subtype", "", _("only warehouse CADs (types 10 to 30) have one."))
    if kind in CHAINED_TYPES:
        because = _("types 13, 20, 21 and 30 refer to the warehouse entry (fields 7 and 8).")
        for name in ("original_transaction_number", "previous_transaction_number"):
            if not values[name]:
                _needed(found, Part.HEADER, name, "", because)
    _type_rules(found, Part.HEADER, kind, values, "")
    if not kind:  # a CAD that does not say its type (field 11) is not coded to Appendix A: the rules below
        return  # are D17-1-10's (the demo sends no type; an EDI message carries it and its fields, edi.mapping)
    # D17-1-10 field 21: "À remplir pour les DDC de types C, TT et AB"; "Ne remplissez pas ce champ si
    # le mode de transport est l'oléoduc, le réseau électrique ou la voie maritime".
    if values["mode_of_transport"] in NO_CARGO_CONTROL_MODES:
        if values["cargo_control_number"]:
            because = _("goods carried by pipeline, electrical grid or sea have no cargo control number (field 21).")
            _refused(found, Part.HEADER, "cargo_control_number", "", because)
    elif kind in {"C", "TT", "AB"} and not values["cargo_control_number"] and _under_carm(values["release_date"]):
        because = _("CADs of types C, TT and AB give the cargo control number (field 21).")
        _needed(found, Part.HEADER, "cargo_control_number", "", because)


CARM_EDITION = dt.date(2024, 10, 21)  # D17-1-10 as issued for CARM: its rules for CADs released from then


def _under_carm(release) -> bool:
    """Whether a CAD released on `release` is coded by the CARM edition of D17-1-10 (a pre-CARM B3
    converted as declared, legacy, was not: e.g. no cargo control number on its type AB)."""
    return release is not None and release >= CARM_EDITION


NO_CARGO_CONTROL_MODES = {ModeOfTransport.PIPELINE, ModeOfTransport.ELECTRICAL_GRID, ModeOfTransport.MARINE}
# D17-1-10 Appendix A, "Ne rien indiquer pour les (DDC de) types ...": the fields a CAD type leaves
# blank, by part, with the types (the field numbers beside them).
BLANK_FOR_TYPES = {
    Part.HEADER: {
        "warehouse_in": {"21"},  # field 9
        "warehouse_out": {"10"},  # field 10
        "port_of_unlading": {"F", "V", "13", "20", "21", "30"},  # field 19
        "carrier_code": {"F", "13", "20", "21", "30"},  # field 20
        "cargo_control_number": {"F", "13", "20", "21", "30"},  # field 21
        "gross_weight": {"20", "21", "30"},  # field 22
        "freight": {"V", "13", "21", "30"},  # field 23
    },
    Part.INVOICE: {
        "us_port_of_exit": {"V", "13", "20", "21", "30"},  # field 28
        "buyer_name": {"F"},  # field 29
        "buyer_address": {"F"},  # field 29
    },
    Part.LINE: {
        "previous_line_number": {"AB", "C", "F", "TT", "V"},  # field 33: "les types qui ne concernent pas un EDS"
        "tariff_code": {"F"},  # field 47
        "time_limit_type": {"F", "21"},  # field 56
        "time_limit_from": {"F", "21"},  # field 58
    },
}
# D17-1-10 Appendix A: what a type F CAD (low-value shipments consolidated) declares in a field.
TYPE_F_VALUES = {
    Part.HEADER: {
        "mode_of_transport": ModeOfTransport.HIGHWAY,  # field 16: "Indiquer « 2 » pour les DDC de type F"
        "gross_weight": Decimal(1),  # field 22: "Indiquer 1 pour les DDC de type F"
        "freight": Decimal(1),  # field 23: "Pour les DDC de type F, indiquer 1"
    },
    Part.INVOICE: {
        "number": "EFVMS99",  # field 24
        "us_port_of_exit": "1001",  # field 28
        "currency": "CAD",  # field 40: "Pour les DDC de type F, indiquez « CAD »"
    },
    Part.LINE: {"vfd_code": "13"},  # field 48: "Pour les types F, indiquez « 013 »"
}


def _type_rules(found, part, kind, values, pointer) -> None:
    """The fields CAD type `kind` leaves blank, and the values a type F CAD gives (D17-1-10 Appendix A)."""
    if not kind:  # a CAD that does not say its type: no type's rules (most lines of the API's CADs)
        return
    for name, kinds in BLANK_FOR_TYPES[part].items():
        if kind in kinds and values[name] not in (None, ""):
            because = interpolate(_("a CAD of type %(kind)s leaves it blank."), {"kind": kind})
            _refused(found, part, name, pointer, because)
    if kind != "F":
        return
    for name, fixed in TYPE_F_VALUES[part].items():
        if values[name] != fixed:
            message = _("D17-1-10 %(field)s: a type F CAD (low-value shipments) declares %(value)s here.")
            field = fields.BY_PART[part][name]
            given = {"field": titled(field), "value": fixed}
            found.add("type_f_value", f"{pointer}/{name}", interpolate(message, given))


LOW_VALUE = Decimal("3300")  # D17-1-10 fields 16, 19, 20, 22, 23, 28: "d'une valeur supérieure à 3 300 CAD"
BY_AIR_OR_SEA = {ModeOfTransport.AIR, ModeOfTransport.MARINE}
# D17-1-10 fields 19, 20, 22, 23: required for goods worth over CAD 3,300 exported from the United
# States (by air or sea: True), except for the CAD types that leave them blank (BLANK_FOR_TYPES).
US_SHIPMENT_FIELDS = {"port_of_unlading": True, "carrier_code": True, "gross_weight": True, "freight": False}
US_PORT_OF_EXIT_TYPES = {"AB", "C", "10"}  # field 28: "À remplir pour les DDC de types AB, C et 10"


def _us_shipment_rules(values, invoices, lines, found) -> None:
    """The fields a shipment worth over CAD 3,300 (its value for duty) exported from the United
    States gives (D17-1-10 fields 19, 20, 22, 23, 28)."""
    worth = sum((line["vfd"] for line in lines), Decimal("0.00"))
    if worth <= LOW_VALUE or not any(line["export_country"] == "US" for line in lines):
        return
    kind, by_air_or_sea = values["cad_type_code"], values["mode_of_transport"] in BY_AIR_OR_SEA
    because = interpolate(
        _("the goods are worth over CAD 3,300 (%(worth)s) and exported from the United States."), {"worth": worth}
    )
    for name, air_or_sea_only in US_SHIPMENT_FIELDS.items():
        blank_for = BLANK_FOR_TYPES[Part.HEADER][name]
        if values[name] in (None, "") and kind not in blank_for and (by_air_or_sea or not air_or_sea_only):
            _needed(found, Part.HEADER, name, "", because)
    if kind in US_PORT_OF_EXIT_TYPES:
        for invoice in invoices:
            if not invoice["us_port_of_exit"]:
                _needed(found, Part.INVOICE, "us_port_of_exit", f"/invoices/{invoice['index']}", because)


# D17-1-10 field 8: a type 13 refers to the type 30 that moved the goods; types 20, 21 and 30 to the
# entry the goods were warehoused on (field 11: "entreposées sur les DDC de types 10 et 13").
PREVIOUS_TYPES = {"13": {"30"}, "20": {"10", "13"}, "21": {"10", "13"}, "30": {"10", "13"}}


def _original(values, account, found):
    """The type 10 CAD a later warehouse CAD refers to (field 7), if given and found (else the error said)."""
    if account is None or not values["original_transaction_number"]:
        return None
    return _chained(values, account, "original_transaction_number", {"10"}, found)


def _warehouse_chain(values, account, lines, found, original) -> None:
    """A type 13, 20, 21 or 30 CAD matched to the warehouse CADs it refers to (D17-1-10 fields 7, 8,
    10, 13, 33): its original is a type 10 CAD of the same importer, its previous a CAD of the type
    field 8 names; it is made at the original's office, a type 21 or 30 takes the goods out of the
    warehouse the original put them in, and each line refers to a line of the previous CAD."""
    kind = values["cad_type_code"]
    previous = _chained(values, account, "previous_transaction_number", PREVIOUS_TYPES[kind], found)
    if original is not None:
        office = original.release_office
        if values["release_office"] != office:
            message = _("D17-1-10 %(field)s: give the office of the original type 10 CAD, %(office)s (field 13).")
            field = fields.BY_PART[Part.HEADER]["release_office"]
            given = {"field": titled(field), "office": office}
            found.add("office_not_original", "/release_office", interpolate(message, given))
        warehouse = (original.details or {}).get("warehouse_in", "")
        if kind in {"21", "30"} and warehouse and values["warehouse_out"] != warehouse:
            message = _("D17-1-10 %(field)s: the goods leave the warehouse the type 10 CAD put them in, %(code)s.")
            field = fields.BY_PART[Part.HEADER]["warehouse_out"]
            given = {"field": titled(field), "code": warehouse}
            found.add("warehouse_mismatch", "/warehouse_out", interpolate(message, given))
    if previous is None:
        return
    numbers = set(previous.lines.values_list("number", flat=True))
    for index, line in enumerate(lines):
        number = line["details"].get("previous_line_number")
        if number not in (None, "") and int(number) not in numbers:
            message = _("D17-1-10 %(field)s: CAD %(number)s has no line %(line)s.")
            field = fields.BY_PART[Part.LINE]["previous_line_number"]
            given = {"field": titled(field), "number": previous.declaration.transaction_number, "line": number}
            found.add("unknown_previous_line", f"/lines/{index}/previous_line_number", interpolate(message, given))


def _chained(values, account, name, kinds, found):
    """The version in force of the CAD of the importer that header field `name` refers to if it is of
    one of the CAD types `kinds`; else None, the error said."""
    number = values[name]
    declaration = Declaration.objects.filter(program_account=account, transaction_number=number).first()
    version = declaration.version() if declaration is not None and declaration.status == Status.ACCEPTED else None
    field = fields.BY_PART[Part.HEADER][name]
    if version is None:
        message = _("D17-1-10 %(field)s: the importer has no accepted CAD %(number)s.")
        found.add("unknown_warehouse_cad", f"/{name}", interpolate(message, {"field": titled(field), "number": number}))
        return None
    kind = (version.details or {}).get("cad_type_code", "")
    if kind not in kinds:
        message = _("D17-1-10 %(field)s: CAD %(number)s is of type %(kind)s, not %(kinds)s.")
        given = {"field": titled(field), "number": number, "kind": kind or "-", "kinds": ", ".join(sorted(kinds))}
        found.add("warehouse_type_mismatch", f"/{name}", interpolate(message, given))
        return None
    return version


def _refused_choice(found, because) -> None:
    message = _("D17-1-10 %(field)s: %(because)s")
    found.add(
        "cad_type_mismatch",
        "/cad_type",
        interpolate(message, {"field": titled(fields.BY_PART[Part.HEADER]["cad_type_code"]), "because": because}),
    )


def _line_conditions(values, kind, release, pointer, found) -> None:
    """The line fields required exactly when their condition holds (D17-1-10 fields 33, 56-59,
    66-67, 69-85, 88-89, 95-96)."""
    line = Part.LINE
    if kind in CHAINED_TYPES and values["previous_line_number"] is None:
        _needed(
            found,
            line,
            "previous_line_number",
            pointer,
            _("warehouse CADs other than type 10 refer to a line of the entry (field 33)."),
        )
    limited = (
        kind in TIME_LIMITED_TYPES or values["time_limit_type"] or values["time_limit_from"] or values["time_limit_to"]
    )
    if limited:
        because = _(
            "goods under a time limit (a warehouse type 10, 13 or 30, or a temporary importation) give its "
            "type and dates (fields 56, 58, 59)."
        )
        for name in ("time_limit_type", "time_limit_from", "time_limit_to"):
            if not values[name]:
                _needed(found, line, name, pointer, because)
    start, end = values["time_limit_from"], values["time_limit_to"]
    if start and release and start < release:
        found.add(
            "time_limit_before_release",
            f"{pointer}/time_limit_from",
            interpolate(
                _("D17-1-10 %(field)s: the time limit starts on or after the release date (%(release)s)."),
                {"field": titled(fields.BY_PART[line]["time_limit_from"]), "release": release.isoformat()},
            ),
        )
    if start and end and end <= start:
        found.add(
            "time_limit_order",
            f"{pointer}/time_limit_to",
            interpolate(
                _("D17-1-10 %(field)s: the time limit ends after it starts (%(start)s)."),
                {"field": titled(fields.BY_PART[line]["time_limit_to"]), "start": start.isoformat()},
            ),
        )
    if values["extension_date"] and end and values["extension_date"] <= end:
        found.add(
            "extension_before_limit",
            f"{pointer}/extension_date",
            interpolate(
                _("D17-1-10 %(field)s: an extension ends after the time limit it extends (%(end)s)."),
                {"field": titled(fields.BY_PART[line]["extension_date"]), "end": end.isoformat()},
            ),
        )
    _subject_conditions(values, release, pointer, found)


_SIMA_DETAILS = [name for name in fields.DETAILS[Part.LINE] if name.startswith("sima_") and name != "sima_subject"] + [
    "model_id",
    "incoterms",
    "surety",
]


def _subject_conditions(values, release, pointer, found) -> None:
    line = Part.LINE
    if values["surtax_subject"] == Indicator.YES and not values["surtax_code"]:
        _needed(found, line, "surtax_code", pointer, _("goods subject to surtax give its code (field 67)."))
    if values["surtax_code"] and values["surtax_subject"] == Indicator.NO:
        _needed(
            found,
            line,
            "surtax_subject",
            pointer,
            _("a surtax code is declared, so the goods are subject to surtax (field 66)."),
        )
    if values["safeguard_subject"] == Indicator.YES and not values["safeguard_code"]:
        _needed(found, line, "safeguard_code", pointer, _("goods subject to a safeguard give its code (field 89)."))
    if values["safeguard"] is not None and values["safeguard_subject"] != Indicator.YES:
        _needed(found, line, "safeguard_subject", pointer, _("a safeguard is declared (field 90)."))
    elif values["safeguard_code"] and values["safeguard_subject"] == Indicator.NO:
        _needed(
            found,
            line,
            "safeguard_subject",
            pointer,
            _("a safeguard code is declared, so the goods are subject to it (field 88)."),
        )
    subject = values["sima_subject"]
    if subject:
        because = _("goods subject to SIMA give the measure in force and the Incoterms (fields 73, 77).")
        for name in ("sima_measure", "incoterms"):
            if not values[name]:
                _needed(found, line, name, pointer, because)
    else:
        given = next((name for name in _SIMA_DETAILS if values[name] not in (None, "")), None)
        if given:
            _needed(
                found,
                line,
                "sima_subject",
                pointer,
                _("SIMA details are declared: say how the goods are subject to SIMA (field 69)."),
            )
    if values["sima_quantity"] is not None and not values["sima_unit"]:
        _needed(found, line, "sima_unit", pointer, _("a SIMA quantity is in a unit of measure (field 72)."))
    declared = values["sima_ad_declared"] is not None or values["sima_cvd_declared"] is not None
    if declared and values["sima_self_declared"] != Indicator.YES:
        _needed(
            found,
            line,
            "sima_self_declared",
            pointer,
            _("self-declared SIMA amounts need the self-declaration indicator (field 83)."),
        )
    if values["provincial_alcohol_tax"] is not None and not values["alcohol_percent"]:
        because = _("goods containing alcohol give its percentage (field 96).")
        _needed(found, line, "alcohol_percent", pointer, because)
    hst_code = values["gst_code"] == provincial.HST_GST_CODE
    if (
        hst_code
        and values["pst_hst_qst"] is None
        and (release is None or provincial.hst_rate(values["province"], release) is None)
    ):
        because = _(
            "GST code 99 is for goods of an HST province: declare the HST (field 94), which CARM computes only "
            "for a participating province of destination (field 60) in a period of its rate table."
        )
        _needed(found, line, "pst_hst_qst", pointer, because)
    tobacco = provincial.contains_tobacco("".join(filter(str.isdigit, values["classification"] or "")))
    if tobacco and values["province"] in provincial.TOBACCO_TAX_PROVINCES and values["provincial_tobacco_tax"] is None:
        because = _(
            "the province of destination has CBSA collect its tobacco tax on non-commercial goods containing "
            "tobacco (field 97; D2-3-6): declare it, 0.00 where the goods are exempt."
        )
        _needed(found, line, "provincial_tobacco_tax", pointer, because)
    levied = any(values[name] is not None for name in _PROVINCIAL)
    if levied and not values["province"]:
        _needed(
            found,
            line,
            "province",
            pointer,
            _("provincial taxes are collected for the province of destination (field 60; D2-3-6)."),
        )


_PROVINCIAL = ["pst_hst_qst", "provincial_alcohol_tax", "provincial_tobacco_tax", "provincial_cannabis_duty"]
# The line fields whose presence sets a condition (_line_conditions): a line without any, outside a
# warehouse CAD, has none to check.
_CONDITIONAL = frozenset(
    {"time_limit_type", "time_limit_from", "time_limit_to", "extension_date", "surtax_subject", "surtax_code"}
    | {
        "safeguard_subject",
        "safeguard_code",
        "gst_code",
        "safeguard",
        "sima_subject",
        "alcohol_percent",
        "province",
        *_SIMA_DETAILS,
        *_PROVINCIAL,
    }
)


def _treatment_code(text, release, pointer, found) -> str:
    """The tariff treatment as the tariff names it: D17-1-10 field 46 gives it as a code of
    Appendix H (e.g. 002), the portal also takes its abbreviation (e.g. MFN)."""
    if not text.isdigit():
        return text
    found_code = codes.entry("tariff_treatments", text.zfill(3), release)
    if found_code is None:
        _unknown_code(
            found, fields.BY_PART[Part.LINE]["tariff_treatment"], text, f"{pointer}/tariff_treatment", release
        )
        return text
    return found_code.alias

"""The duty and tax estimator: what a shipment would owe under each tariff treatment its origin
may claim. The estimate page and `POST /api/v1/estimates` both call these functions; the
arithmetic is the pure engine's (assessment_engine), the tariff's rates come from tariff.services
and the exchange rate from assessment.exchange.

Every problem with the input becomes an `InputError` naming the field it concerns, with a machine
code and a translated message, so callers can show it beside the field (page) or return it as a
structured 400 (API).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import assessment_engine as engine
from tariff import services as tariff
from tariff.treatments import TREATMENT_ORDER, TREATMENTS, treatment_name

from . import eligibility, exchange
from .eligibility import GENERAL_TARIFF, MFN, needs_proof_of_origin


class InputError(ValueError):
    def __init__(self, field: str | None, code: str, message):
        super().__init__(str(message))
        self.field, self.code, self.message = field, code, message

    def as_dict(self, prefix: str = "") -> dict:
        return {
            "field": f"{prefix}{self.field}" if self.field else prefix.rstrip(".") or None,
            "code": self.code,
            "message": str(self.message),
        }


class EstimateErrors(ValueError):
    """All the input errors of a request (one per line at most, plus the date)."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


# Engine errors say what is wrong in English; the person reads it in their language.
ENGINE_MESSAGES = {
    "not_a_number": _("Enter a number."),
    "negative": _("Enter a number that is not negative."),
    "quantity_required": _("This rate is charged per unit of measure: enter a quantity."),
    "unit_mismatch": _("The quantity's unit of measure cannot be converted to the unit the rate is charged per."),
    "unknown_unit": _("This is not a unit of measure the tariff uses (e.g. KGM, LTR, NMB)."),
    "rate_unparseable": _("This is not a rate the tariff could print (e.g. 6.5%, $2.82/kg, Free)."),
    "rate_not_assessable": _("The tariff gives no computable rate here: duties cannot be estimated."),
    ("invalid", "amount"): _("Enter an amount in Canadian dollars, to the cent, e.g. 125.50."),
}
# Other duties and taxes: the engine's charge -> the estimate's inputs for its amount (CAD), its
# rate (an expression, on the VFD or, per unit, on the line's quantity) and its code.
CHARGES = {
    "sima": {"amount": "sima", "rate": "sima_margin"},  # the margin: a percent of the VFD
    "surtax": {"amount": "surtax_amount", "rate": "surtax_rate", "code": "surtax_code"},
    "excise_duty": {"amount": "excise_duty", "rate": "excise_duty_rate"},
    "excise_tax": {"amount": "excise_tax", "rate": "excise_tax_rate"},
}
CHARGE_INPUTS = [name for inputs in CHARGES.values() for name in inputs.values()]
# The engine's input names, as the estimate calls them.
ENGINE_FIELDS = {
    "price": "value",
    "vfd": "value",
    **{f"{charge}.{key}": name for charge, inputs in CHARGES.items() for key, name in inputs.items()},
}


def input_error_of(error: engine.AssessmentError) -> InputError:
    """An engine error as the estimator and the declarations report it: the input field it concerns and
    a translated message."""
    field = ENGINE_FIELDS.get(error.field, error.field)
    if field and "." in field:  # a charge's quantity or unit: the line's
        field = field.rpartition(".")[2]
    key = (error.code, (error.field or "").rpartition(".")[2])
    return InputError(field, error.code, ENGINE_MESSAGES.get(key) or ENGINE_MESSAGES.get(error.code, error.message))


# --- inputs ------------------------------------------------------------------------------------

_ORIGIN = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def parse_origin(text) -> str:
    origin = str(text or "").strip().upper()
    if not _ORIGIN.fullmatch(origin):
        raise InputError("origin", "invalid", _("Give the country of origin as a two-letter ISO code, e.g. US."))
    return origin


def parse_currency(text) -> str:
    currency = str(text or "CAD").strip().upper()
    if not _CURRENCY.fullmatch(currency):
        raise InputError("currency", "invalid", _("Give the currency as a three-letter ISO code, e.g. USD."))
    return currency


def _given(data: dict, name: str) -> bool:
    return data.get(name) not in (None, "")


def parse_charges(data: dict) -> dict[str, dict]:
    """The line's other duties and taxes given in `data`, as the engine's charge inputs (which it
    checks): each an amount or a rate, not both; a surtax needs its surtax code, and a code a surtax."""
    charges = {}
    for charge, inputs in CHARGES.items():
        amount, rate, code = (inputs.get(key) for key in ("amount", "rate", "code"))
        if _given(data, amount) and _given(data, rate):
            raise InputError(rate, "conflict", _("Give an amount or a rate, not both."))
        given = amount if _given(data, amount) else rate if _given(data, rate) else None
        if code and given and not _given(data, code):
            raise InputError(code, "required", _("Give the surtax code of the surtax order."))
        if code and _given(data, code) and not given:
            raise InputError(rate, "required", _("Give the surtax as a rate or an amount."))
        if given is None:
            continue
        value = _number(data[given])
        if given == amount:
            charges[charge] = {"amount": value}
        elif charge == "sima":  # a margin in percent of the VFD
            charges[charge] = {"rate": {"kind": "ad_valorem", "percent": value}}
        else:
            charges[charge] = {"rate": str(value)}
        if code:
            charges[charge]["code"] = str(data[code]).strip().upper()
    return charges


def find_classification(number, day: date) -> tariff.Classification:
    try:
        return tariff.classification(str(number or ""), day)
    except tariff.UnknownCode:
        raise InputError(
            "classification",
            "unknown_classification",
            _("This classification number is not in the tariff in force on the shipment date."),
        ) from None
    except tariff.TariffError as error:
        raise InputError("classification", error.code, error.message) from None


def special_provision(text, day: date) -> tariff.Classification | None:
    """The Chapter 99 tariff item the line claims (the CAD's "tariff code": the item's first four
    digits, e.g. 9967, or all eight), whose rate replaces the classification's. The goods stay
    classified in Chapters 1-97 (D17-1-10 (2024), field "Code tarifaire" and Appendix B example;
    Customs Tariff, Chapter 99 note 3: goods of Chapters 1-97 may be classified there as well)."""
    digits = str(text or "").replace(".", "").strip()
    if not digits:
        return None
    if len(digits) == 4:
        digits += "0000"
    if len(digits) != 8 or not digits.isdigit() or not digits.startswith("99"):
        raise InputError(
            "tariff_code",
            "invalid_tariff_code",
            _("Give the Chapter 99 tariff item as its first four digits or all eight, e.g. 9967 or 9967.00.00."),
        )
    try:
        return tariff.classification(digits, day)
    except tariff.TariffError:
        raise InputError(
            "tariff_code",
            "unknown_tariff_code",
            _("%(code)s is not a Chapter 99 tariff item of the tariff in force on the shipment date.")
            % {"code": f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"},
        ) from None


def exchange_rate(currency: str, day: date) -> exchange.AppliedRate:
    try:
        return exchange.rate_on(currency, day)
    except exchange.ExchangeRateError as error:
        raise InputError("currency", error.code, error.message) from None


# --- treatments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Treatment:
    code: str
    rate_text: str  # as the tariff prints it, or the explicit rate given
    rate: engine.Rate | None  # None when the tariff text gives no computable rate

    @property
    def name(self) -> str:
        return treatment_name(self.code)

    @property
    def needs_proof_of_origin(self) -> bool:
        return needs_proof_of_origin(self.code)


def eligible_treatments(origin: str, day: date, code: str = "") -> frozenset[str]:
    try:
        return eligibility.eligible_treatments(origin, day, code)
    except eligibility.UnknownOrigin:
        raise InputError(
            "origin",
            "unknown_origin",
            _("%(origin)s is not a country of the Customs Tariff's List of Countries and Applicable Tariff Treatments.")
            % {"origin": origin},
        ) from None


def treatments_for(origin: str, found: tariff.Classification, day: date) -> list[Treatment]:
    """The treatments `origin` is eligible for on `day` that the classification has a rate under,
    in the tariff's column order."""
    eligible = eligible_treatments(origin, day, found.line.code)
    treatments = []
    for row in found.rates:
        if row.treatment in eligible:
            try:
                rate = engine.Rate.from_dict(row.structured) if row.structured else None
            except engine.AssessmentError:
                rate = None
            treatments.append(Treatment(row.treatment, row.text, rate if rate and rate.assessable else None))
    return treatments


def claimed_treatment(origin: str, asked: str, found: tariff.Classification, day: date, offered: list[Treatment]):
    """The treatment claimed among those `offered` (treatments_for), else an InputError on
    `tariff_treatment` saying which rule refuses it: not a treatment at all, not one goods of the
    origin may claim on the day (the country list, or the order or agreement that dates it), or
    one the tariff in force prints no rate under for the classification."""
    found_treatment = next((t for t in offered if t.code == asked), None)
    if found_treatment is not None:
        return found_treatment
    if asked not in TREATMENTS:
        raise InputError(
            "tariff_treatment",
            "unknown_treatment",
            _("%(treatment)s is not a tariff treatment (D17-1-10, Appendix H): use e.g. MFN, UST, CEUT.")
            % {"treatment": asked},
        )
    names = {"origin": origin, "treatment": asked, "day": day.isoformat(), "offered": _codes(offered)}
    if asked not in eligible_treatments(origin, day, found.line.code):
        raise InputError(
            "tariff_treatment",
            "treatment_not_eligible",
            _("Goods from %(origin)s cannot claim %(treatment)s on %(day)s (%(rule)s); eligible: %(offered)s.")
            % {**names, "rule": eligibility.why_not(origin, asked, day, found.line.code)},
        )
    raise InputError(
        "tariff_treatment",
        "no_rate_for_treatment",
        _("The tariff in force on %(day)s prints no %(treatment)s rate for %(code)s; claim one of: %(offered)s.")
        % {**names, "code": found.line.code},
    )


def _codes(treatments: list[Treatment]) -> str:
    return ", ".join(t.code for t in treatments) or "—"


def default_treatment(origin: str, day: date) -> str:
    """The treatment of goods claiming no preference: MFN, or the General Tariff where MFN is withdrawn."""
    return MFN if MFN in eligible_treatments(origin, day) else GENERAL_TARIFF


# --- estimates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One treatment's estimate of a line."""

    treatment: Treatment
    assessment: engine.LineAssessment | None  # None: the tariff's rate cannot be computed
    cheapest: bool = False

    @property
    def rate_text(self) -> str:
        """The rate in the page's language when computable, else as the tariff prints it."""
        rate = self.treatment.rate
        return rate.to_text("fr" if get_language() == "fr" else "en") if rate else self.treatment.rate_text

    @property
    def amounts(self) -> dict[str, Decimal]:
        return amounts(self.assessment) if self.assessment else {}


@dataclass(frozen=True)
class LineEstimate:
    classification: tariff.Classification
    origin: str
    exchange: exchange.AppliedRate
    options: list[Option]  # every treatment estimated, cheapest flagged
    charges: tuple[str, ...] = ()  # the other duties and taxes given (CHARGES' names)
    day: date | None = None  # the shipment date the line was assessed for
    special: tariff.Classification | None = None  # the Chapter 99 item whose rates apply

    @property
    def special_why(self) -> str:
        if self.special is None:
            return ""
        return str(
            _(
                "The rate is that of Chapter 99 tariff item %(item)s under %(treatment)s, claimed as the tariff "
                "code; the goods stay classified under %(code)s (D17-1-10, Appendix B)."
            )
            % {
                "item": self.special.line.printed_code,
                "treatment": self.chosen.treatment.code,
                "code": self.classification.line.printed_code,
            }
        )

    @property
    def exchange_why(self) -> str:
        return exchange.explain(self.exchange)

    @property
    def schedule_note(self) -> str:
        return schedule_used(self.classification, self.day, self.chosen.treatment.code)

    @property
    def chosen(self) -> Option:
        """The treatment asked for, else the cheapest one."""
        return next(option for option in self.options if option.cheapest)


def estimate_line(data: dict, day: date) -> LineEstimate:
    """Estimate one line: `data` has classification, origin, value, and optionally currency,
    exchange_rate, quantity, unit, tariff_treatment, rate (an explicit rate expression) and the
    other duties and taxes (CHARGES: SIMA, surtax, excise duty and excise tax).

    With a treatment (or an explicit rate) the line is assessed under it alone; without, under
    every treatment the origin is eligible for, the cheapest flagged.
    """
    found = find_classification(data.get("classification"), day)
    origin = parse_origin(data.get("origin"))
    currency = parse_currency(data.get("currency"))
    charges = parse_charges(data)
    asked = str(data.get("tariff_treatment") or "").strip().upper()
    special = special_provision(data.get("tariff_code"), day)
    rated = special or found  # the Chapter 99 item's rates replace the classification's
    treatments = treatments_for(origin, rated, day)
    if asked:
        treatments = [claimed_treatment(origin, asked, rated, day, treatments)]
    if data.get("rate") not in (None, ""):
        try:
            explicit = engine.parse_rate(str(data["rate"]))
        except engine.AssessmentError as error:
            raise input_error_of(error) from None
        treatments = [Treatment(asked or default_treatment(origin, day), str(data["rate"]), explicit)]
    if not treatments:
        raise InputError(
            "origin", "no_treatment", _("The tariff gives no rate for goods of this origin under this classification.")
        )
    if data.get("exchange_rate") in (None, ""):
        applied = exchange_rate(currency, day)
    else:  # the declarant's own rate, which the engine checks
        applied = exchange.AppliedRate(currency, _number(data["exchange_rate"]), day)
    line = {
        "price": _number(data.get("value")),
        "currency": currency,
        "exchange_rate": applied.cad_per_unit,
        "quantity": _number(data.get("quantity")) if data.get("quantity") not in (None, "") else None,
        "unit": str(data.get("unit") or found.unit_of_measure or "").upper() or None,
        "classification": found.line.code,
        **charges,
    }
    options = []
    for treatment in treatments:
        options.append(Option(treatment, _assess(treatment, line)))
    assessed = [o for o in options if o.assessment is not None]
    if not assessed:
        raise InputError(
            "tariff_treatment" if asked else "classification",
            "rate_not_assessable",
            ENGINE_MESSAGES["rate_not_assessable"],
        )
    cheapest = min(assessed, key=lambda o: (o.assessment.tot, TREATMENT_ORDER.get(o.treatment.code, 99)))
    options = [Option(o.treatment, o.assessment, o is cheapest) for o in options]
    return LineEstimate(found, origin, applied, options, tuple(charges), day, special)


def _number(value):
    """JSON numbers arrive as floats; their shortest text is what the client wrote."""
    return str(value) if isinstance(value, float) else value


def _assess(treatment: Treatment, line: dict) -> engine.LineAssessment | None:
    if treatment.rate is None:
        return None
    try:
        return engine.assess_line(engine.Line(rate=treatment.rate, treatment=treatment.code, **line))
    except engine.AssessmentError as error:
        raise input_error_of(error) from None


def parse_date(text, field: str = "shipment_date") -> date:
    try:
        return tariff.parse_day(text if isinstance(text, str) else None, field)
    except tariff.TariffError as error:
        raise InputError(field, error.code, error.message) from None


# --- the API's shape ---------------------------------------------------------------------------

AMOUNTS = {  # response name -> engine amount
    "vfd": "vfd",
    "customs_duty": "cud",
    "sima": "sima",
    "surtax": "surtax",
    "excise_duty": "excise_duty",
    "excise_tax": "excise_tax",
    "value_for_tax": "vft",
    "gst": "gst",
    "total": "tot",
}


# Where each amount sits in the engine's values (LineAssessment.values: one per AmountType, in its order).
_POSITIONS = {
    name: list(engine.AmountType).index(engine.AmountType(engine_name.upper())) for name, engine_name in AMOUNTS.items()
}


def amounts(assessment: engine.LineAssessment) -> dict[str, Decimal]:
    values = assessment.values
    return {name: values[position] for name, position in _POSITIONS.items()}


MAX_ESTIMATE_LINES = 100  # [DESIGN] a shipment's estimate; a CAD takes up to 999 lines (declarations.validation)


def estimate(payload) -> dict:
    """`POST /api/v1/estimates`: one chosen treatment per line, amounts as strings to the cent,
    and the request's totals. Raises EstimateErrors listing every bad input."""
    if not isinstance(payload, dict):
        raise EstimateErrors([{"field": None, "code": "invalid", "message": str(_("Send a JSON object."))}])
    errors, estimates = [], []
    try:
        day = parse_date(payload.get("shipment_date"))
    except InputError as error:
        errors.append(error.as_dict())
        day = None
    lines = payload.get("lines")
    if not isinstance(lines, list) or not lines:
        errors.append({"field": "lines", "code": "required", "message": str(_("Give at least one line."))})
        lines = []
    if len(lines) > MAX_ESTIMATE_LINES:  # a public, unauthenticated endpoint: bound the work of one call
        message = _("An estimate has at most %(count)s lines.") % {"count": MAX_ESTIMATE_LINES}
        raise EstimateErrors([{"field": "lines", "code": "too_many_lines", "message": str(message)}])
    for index, data in enumerate(lines):
        prefix = f"lines[{index}]."
        if not isinstance(data, dict):
            errors.append({"field": prefix[:-1], "code": "invalid", "message": str(_("Each line is a JSON object."))})
            continue
        if day is None:
            continue
        try:
            estimates.append(estimate_line(data, day))
        except InputError as error:
            errors.append(error.as_dict(prefix))
    if errors:
        raise EstimateErrors(errors)
    totals = {name: sum(e.chosen.amounts[name] for e in estimates) for name in AMOUNTS}
    return {
        "shipment_date": day.isoformat(),
        "lines": [_line_result(e) for e in estimates],
        "totals": {name: f"{value:.2f}" for name, value in totals.items()},
    }


def schedule_used(found: tariff.Classification, day: date, treatment: str | None = None) -> str:
    """Which schedule the line was assessed on, and whether it is the one in force on `day`: the
    Customs Tariff is re-issued every 1 January (T2022, T2023, ...), and a year whose edition is not
    loaded is assessed on the latest loaded before it (Customs Tariff s.20: the rate in force)."""
    schedule = found.schedule
    text = str(
        schedule_gap(schedule, day)
        or _("Assessed on the tariff schedule %(label)s, in force from %(since)s.") % _names(schedule, day)
    )
    rate = next((row for row in found.rates if row.treatment == treatment), None)
    if rate is not None and rate.schedule != schedule.label:
        text += " " + str(
            _("The %(treatment)s rate is printed in %(source)s: %(label)s does not carry this column.")
            % {"treatment": treatment, "source": rate.schedule, "label": schedule.label}
        )
    return text


def schedule_gap(schedule, day: date):
    """What to say when `schedule` (a tariff DataLoad) is not the edition of `day`'s year, else None."""
    if schedule.effective_date.year >= day.year:
        return None
    return _(
        "Assessed on the tariff schedule %(label)s (in force from %(since)s): the edition in force on "
        "%(day)s is not loaded, so its rates may differ."
    ) % _names(schedule, day)


def _names(schedule, day: date) -> dict:
    return {"label": schedule.label, "since": schedule.effective_date.isoformat(), "day": day.isoformat()}


def _line_result(estimate_: LineEstimate) -> dict:
    option = estimate_.chosen
    assessment = option.assessment
    explanation = {str(kind): text for kind, text in assessment.explain().items()}
    explanation["tariff_treatment"] = str(
        _("%(code)s (%(name)s, CAD code %(cad_code)s; %(source)s)")
        % {
            "code": option.treatment.code,
            "name": treatment_name(option.treatment.code),
            "cad_code": eligibility.CAD_CODES.get(option.treatment.code, "—"),
            "source": eligibility.SOURCES.get(option.treatment.code) or eligibility.LIST_SOURCE,
        }
    ) + (str(_("; a preference: claiming it needs proof of origin")) if option.treatment.needs_proof_of_origin else "")
    explanation["tariff_schedule"] = estimate_.schedule_note
    if estimate_.special is not None:
        explanation["tariff_code"] = estimate_.special_why
    if estimate_.exchange.currency != "CAD":
        explanation["exchange_rate"] = exchange.explain(estimate_.exchange)
    return {
        "classification": estimate_.classification.line.code,
        "tariff_code": estimate_.special.line.code if estimate_.special else "",
        "tariff_schedule": estimate_.classification.schedule.label,
        "origin": estimate_.origin,
        "tariff_treatment": option.treatment.code,
        "rate": option.treatment.rate_text,
        "proof_of_origin_required": option.treatment.needs_proof_of_origin,
        "exchange_rate": str(estimate_.exchange.cad_per_unit),
        "exchange_rate_date": estimate_.exchange.published_on.isoformat(),
        "exchange_rate_source": estimate_.exchange.source,
        **{name: f"{value:.2f}" for name, value in amounts(assessment).items()},
        "explanation": explanation,
    }

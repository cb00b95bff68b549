"""Duties and taxes of commercial accounting declaration lines (domain brief §4).

Per line, every amount rounded to the cent, half up:

    VFD = (price + additions − deductions) × exchange rate (or the VFD declared); the additions and
          deductions are Customs Act s.48(5)'s, in the price's currency
    CUD = customs duty at the tariff treatment's rate
    SIMA, surtax, excise duty, excise tax: each a declared amount or a rate on the VFD/quantity
    VFT = VFD + CUD + SIMA + surtax + excise duty + excise tax
    GST = VFT × 5 %
    TOT = CUD + SIMA + surtax + excise duty + excise tax + GST   (what is payable: not the VFD)

A declaration's totals are the sums of its lines' rounded amounts. Constructing a `Line` checks
every input (so a bad line fails with a field-named error before anything is assessed);
`assess_line` then only does arithmetic.
"""

import re
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType

from .decimals import CENT, ZERO, cents, to_decimal
from .errors import (
    AssessmentError,
    InvalidValueError,
    MissingQuantityError,
    MissingValueError,
    RateNotAssessableError,
)
from .rates import Rate, as_rate
from .units import convert, get_unit

GST_RATE = Decimal("0.05")
ONE = Decimal(1)


class AmountType(StrEnum):
    VFD = "VFD"
    CUD = "CUD"
    SIMA = "SIMA"
    SURTAX = "SURTAX"
    EXCISE_DUTY = "EXCISE_DUTY"
    EXCISE_TAX = "EXCISE_TAX"
    VFT = "VFT"
    GST = "GST"
    TOT = "TOT"


RULES = {
    AmountType.VFD: "Customs Act ss.47-55; foreign currency at the Bank of Canada rate of the date of direct shipment",
    AmountType.CUD: "Customs Tariff s.20 and schedule: rate of the tariff treatment",
    AmountType.SIMA: "Special Import Measures Act: anti-dumping or countervailing duty",
    AmountType.SURTAX: "Customs Tariff: surtax order",
    AmountType.EXCISE_DUTY: "Excise Act, 2001; Customs Tariff ss.21.1-21.2",
    AmountType.EXCISE_TAX: "Excise Tax Act, Part III and Schedule I",
    AmountType.VFT: "Excise Tax Act s.215: value for tax",
    AmountType.GST: "Excise Tax Act ss.212, 215: GST on imported goods",
    AmountType.TOT: "Duties and taxes payable, the VFD excluded (CBSA worked example)",
}


@dataclass(frozen=True, slots=True)
class Explanation:
    rule: str  # where the rule comes from
    formula: str  # how the amount was computed, before rounding to the cent
    base: Decimal | None = None  # the value the rate applied to (price, VFD, VFT)
    rate: Rate | Decimal | None = None  # duty rate, exchange rate or GST rate
    quantity: Decimal | None = None  # as declared, in `unit`
    unit: str | None = None
    reference: str | None = None  # classification and treatment, surtax code, ...

    def __str__(self) -> str:
        parts = [self.formula]
        if self.rate is not None:
            parts.append(f"rate {self.rate}")
        if self.base is not None:
            parts.append(f"base {self.base}")
        if self.quantity is not None:
            parts.append(f"quantity {self.quantity} {self.unit}")
        if self.reference:
            parts.append(self.reference)
        return f"{'; '.join(parts)} [{self.rule}]"


@dataclass(frozen=True, slots=True)
class Charge:
    """SIMA, surtax, excise duty or excise tax on a line: a declared `amount`, or a `rate` (an
    ad valorem one applies to the VFD, e.g. a SIMA margin; a specific one to the quantity)."""

    amount: Decimal | None = None
    rate: Rate | str | Mapping | None = None
    quantity: Decimal | None = None  # when None, the line's quantity and unit
    unit: str | None = None
    code: str | None = None  # surtax code, SIMA measure, excise category, ...
    quantities: Mapping[str, Decimal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.amount is None and self.rate is None:
            raise MissingValueError("give an amount or a rate", "amount")
        if self.amount is not None and self.rate is not None:
            raise InvalidValueError("give an amount or a rate, not both", "rate")
        if self.unit is not None:
            if self.quantity is None:
                raise InvalidValueError("a unit needs a quantity", "quantity")
            get_unit(self.unit)
        quantities: Mapping[str, Decimal] = {}
        if self.amount is not None:
            object.__setattr__(self, "amount", _cad(self.amount, "amount"))
        else:
            rate = _assessable(self.rate)
            object.__setattr__(self, "rate", rate)
            if self.quantity is not None:  # else the Line gives its own quantity
                quantity = to_decimal(self.quantity, "quantity")
                object.__setattr__(self, "quantity", quantity)
                quantities = _quantities(rate, quantity, self.unit)
        object.__setattr__(self, "quantities", quantities)

    @classmethod
    def margin(cls, percent: Decimal | str, code: str | None = None) -> "Charge":
        """A SIMA duty given as a margin in percent of the VFD."""
        return cls(rate=Rate.ad_valorem(percent), code=code)


_CHARGE_INPUTS = {"amount", "rate", "quantity", "unit", "code"}
_CHARGES = (
    ("sima", AmountType.SIMA),
    ("surtax", AmountType.SURTAX),
    ("excise_duty", AmountType.EXCISE_DUTY),
    ("excise_tax", AmountType.EXCISE_TAX),
)
_CURRENCY = re.compile(r"[A-Z]{3}")
_setattr = object.__setattr__


@dataclass(frozen=True, slots=True)
class Line:
    """One CAD line's inputs: VFD directly, or price + currency + exchange rate (CAD per unit)."""

    rate: Rate | str | Mapping  # customs duty rate of the line's classification and treatment
    vfd: Decimal | None = None
    price: Decimal | None = None
    additions: Decimal | None = None  # Customs Act s.48(5)(a): commissions, packing, assists, royalties, ...
    deductions: Decimal | None = None  # Customs Act s.48(5)(b): transport and insurance from direct shipment, ...
    currency: str = "CAD"
    exchange_rate: Decimal | None = None
    quantity: Decimal | None = None
    unit: str | None = None  # UN/ECE code: KGM, TNE, LTR, NMB, LPA, ...
    classification: str = ""
    treatment: str = ""  # MFN, UST, CPTPT, ...
    sima: Charge | Mapping | None = None
    surtax: Charge | Mapping | None = None
    excise_duty: Charge | Mapping | None = None
    excise_tax: Charge | Mapping | None = None
    # The quantity expressed in each unit the customs rate is charged per.
    quantities: Mapping[str, Decimal] = field(init=False, repr=False, compare=False)
    # The price with its additions and deductions: what converts to the VFD.
    adjusted_price: Decimal | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rate = _assessable(self.rate)
        quantity = _optional_decimal(self.quantity, "quantity")
        if self.unit is not None:
            get_unit(self.unit)
        # Set attribute by attribute (the class is frozen): a line is built for every CAD line checked.
        _setattr(self, "rate", rate)
        _setattr(self, "quantity", quantity)
        _setattr(self, "quantities", _quantities(rate, quantity, self.unit))
        self._check_value()
        for name, _ in _CHARGES:
            if getattr(self, name) is not None:
                with _prefixed(name):
                    _setattr(self, name, _line_charge(getattr(self, name), quantity, self.unit))

    def _check_value(self) -> None:
        if self.vfd is None and self.price is None:
            raise MissingValueError("give a VFD or a price", "vfd")
        if self.vfd is not None:
            _setattr(self, "adjusted_price", None)
            if self.price is not None:
                raise InvalidValueError("give a VFD or a price, not both", "price")
            if self.exchange_rate is not None:
                raise InvalidValueError("an exchange rate converts a price, not a VFD", "exchange_rate")
            if self.additions is not None or self.deductions is not None:
                raise InvalidValueError("additions and deductions adjust a price, not a VFD", "additions")
            _setattr(self, "vfd", _cad(self.vfd, "vfd"))
            return
        if not isinstance(self.currency, str) or not _CURRENCY.fullmatch(self.currency):
            raise InvalidValueError(f"{self.currency!r} is not an ISO 4217 currency code", "currency")
        exchange_rate = self.exchange_rate
        if exchange_rate is None:
            if self.currency != "CAD":
                raise MissingValueError(f"a price in {self.currency} needs an exchange rate", "exchange_rate")
            exchange_rate = ONE
        exchange_rate = to_decimal(exchange_rate, "exchange_rate", positive=True)
        if self.currency == "CAD" and exchange_rate != 1:
            raise InvalidValueError("a price in CAD takes no exchange rate", "exchange_rate")
        price = to_decimal(self.price, "price")
        additions = _optional_decimal(self.additions, "additions")
        deductions = _optional_decimal(self.deductions, "deductions")
        adjusted = price + (additions or ZERO) - (deductions or ZERO)
        if adjusted < 0:  # Customs Act s.48(5)(b) deducts costs included in the price: never more than it
            raise InvalidValueError("the deductions are more than the price with its additions", "deductions")
        _setattr(self, "price", price)
        _setattr(self, "additions", additions)
        _setattr(self, "deductions", deductions)
        _setattr(self, "exchange_rate", exchange_rate)
        _setattr(self, "adjusted_price", adjusted)


def _value(index: int) -> property:
    return property(lambda self: self.values[index])


@dataclass(frozen=True, slots=True)
class LineAssessment:
    """The amounts of one line, in CAD rounded to the cent. Explanations are built on demand:
    bulk assessment does not pay for text nobody reads."""

    line: Line
    values: tuple[Decimal, ...]  # one per AmountType, in its order
    gst_rate: Decimal

    vfd = _value(0)
    cud = _value(1)
    sima = _value(2)
    surtax = _value(3)
    excise_duty = _value(4)
    excise_tax = _value(5)
    vft = _value(6)
    gst = _value(7)
    tot = _value(8)

    def amounts(self) -> dict[AmountType, Decimal]:
        return dict(zip(AmountType, self.values, strict=True))

    def explanation(self, kind: AmountType | str) -> Explanation:
        kind = AmountType(kind)
        line, rule = self.line, RULES[kind]
        if kind is AmountType.VFD:
            if line.price is None:
                return Explanation(rule, "VFD as declared")
            if line.adjusted_price != line.price:
                formula = f"(price {line.price} + additions {line.additions or ZERO} − deductions "
                formula += f"{line.deductions or ZERO}) × exchange rate"
                return Explanation(rule, formula, line.adjusted_price, line.exchange_rate, reference=line.currency)
            return Explanation(rule, "price × exchange rate", line.price, line.exchange_rate, reference=line.currency)
        if kind is AmountType.CUD:
            reference = f"{line.classification} {line.treatment}".strip() or None
            return Explanation(rule, line.rate.formula, self.vfd, line.rate, line.quantity, line.unit, reference)
        if kind in _CHARGE_NAMES:
            charge = getattr(line, _CHARGE_NAMES[kind])
            if charge is None:
                return Explanation(rule, "none declared")
            if charge.rate is None:
                return Explanation(rule, "amount as declared", reference=charge.code)
            return Explanation(
                rule, charge.rate.formula, self.vfd, charge.rate, charge.quantity, charge.unit, charge.code
            )
        if kind is AmountType.GST:
            return Explanation(rule, "VFT × GST rate", self.vft, self.gst_rate)
        return Explanation(rule, _SUMS[kind])

    def explain(self) -> dict[AmountType, str]:
        return {
            kind: f"{value} = {self.explanation(kind)}" for kind, value in zip(AmountType, self.values, strict=True)
        }


@dataclass(frozen=True, slots=True)
class DeclarationAssessment:
    lines: tuple[LineAssessment, ...]
    totals: Mapping[AmountType, Decimal]  # sums of the lines' rounded amounts, by type


_CHARGE_NAMES = {kind: name for name, kind in _CHARGES}
_SUMS = {
    AmountType.VFT: "VFD + CUD + SIMA + surtax + excise duty + excise tax",
    AmountType.TOT: "CUD + SIMA + surtax + excise duty + excise tax + GST",
}


def assess_line(line: Line, gst_rate: Decimal = GST_RATE) -> LineAssessment:
    """Every duty and tax of one line."""
    return _assess(line, _gst_rate(gst_rate))


def assess_declaration(lines: Iterable[Line], gst_rate: Decimal = GST_RATE) -> DeclarationAssessment:
    """Every line's duties and taxes, and the header totals by type."""
    gst_rate = _gst_rate(gst_rate)
    assessed = tuple(_assess(line, gst_rate) for line in lines)
    totals = {kind: sum((a.values[i] for a in assessed), ZERO) for i, kind in enumerate(AmountType)}
    return DeclarationAssessment(assessed, MappingProxyType(totals))


def _gst_rate(gst_rate: Decimal) -> Decimal:
    return gst_rate if gst_rate is GST_RATE else to_decimal(gst_rate, "gst_rate")


def _assess(line: Line, gst_rate: Decimal) -> LineAssessment:
    # The hot path: plain Decimal arithmetic, one quantize per amount.
    vfd = line.vfd
    if vfd is None:
        vfd = (line.adjusted_price * line.exchange_rate).quantize(CENT, ROUND_HALF_UP)
    cud = line.rate.evaluate(vfd, line.quantities).quantize(CENT, ROUND_HALF_UP)
    sima = ZERO if line.sima is None else _charge(line.sima, vfd)
    surtax = ZERO if line.surtax is None else _charge(line.surtax, vfd)
    excise_duty = ZERO if line.excise_duty is None else _charge(line.excise_duty, vfd)
    excise_tax = ZERO if line.excise_tax is None else _charge(line.excise_tax, vfd)
    duties = cud + sima + surtax + excise_duty + excise_tax
    vft = vfd + duties
    gst = (vft * gst_rate).quantize(CENT, ROUND_HALF_UP)
    return LineAssessment(line, (vfd, cud, sima, surtax, excise_duty, excise_tax, vft, gst, duties + gst), gst_rate)


def _charge(charge: Charge, vfd: Decimal) -> Decimal:
    if charge.rate is None:
        return charge.amount
    return charge.rate.evaluate(vfd, charge.quantities).quantize(CENT, ROUND_HALF_UP)


def _line_charge(value: Charge | Mapping, quantity: Decimal | None, unit: str | None) -> Charge:
    """A line's charge; a specific rate with no quantity of its own takes the line's."""
    if isinstance(value, Mapping):
        if not _CHARGE_INPUTS.issuperset(value):
            raise InvalidValueError(f"unknown inputs {sorted(set(value) - _CHARGE_INPUTS)}", None)
        value = Charge(**value)
    if value.rate is None or not value.rate.units or value.quantity is not None:
        return value
    if quantity is None:
        raise _quantity_required(value.rate)
    return Charge(rate=value.rate, quantity=quantity, unit=unit, code=value.code)


def _assessable(value: Rate | str | Mapping) -> Rate:
    rate = as_rate(value, "rate")
    if not rate.assessable:
        raise RateNotAssessableError(
            f"the tariff gives no computable rate here ({rate}): the line cannot be assessed", "rate"
        )
    return rate


def _optional_decimal(value: object, name: str) -> Decimal | None:
    return None if value is None else to_decimal(value, name)


def _cad(value: object, name: str) -> Decimal:
    amount = to_decimal(value, name)
    if amount != cents(amount):
        raise InvalidValueError(f"{name} is an amount in CAD, to the cent", name)
    return amount


def _quantities(rate: Rate, quantity: Decimal | None, unit: str | None) -> dict[str, Decimal]:
    """The quantity in each unit `rate` charges per, checking it can be had."""
    if not rate.units:
        return {}
    if quantity is None:
        raise _quantity_required(rate)
    if unit is None:
        raise MissingValueError("give the unit of measure of the quantity", "unit")
    return {rate_unit: convert(quantity, unit, rate_unit) for rate_unit in rate.units}


def _quantity_required(rate: Rate) -> MissingQuantityError:
    return MissingQuantityError(f"the rate {rate} is charged per unit: give a quantity", "quantity")


@contextmanager
def _prefixed(name: str):
    """Name errors in a charge after it: `sima.amount`, `excise_duty.unit`."""
    try:
        yield
    except AssessmentError as error:
        error.field = f"{name}.{error.field}" if error.field else name
        raise

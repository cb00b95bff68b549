"""Customs Tariff rates of duty: parsing the printed texts into immutable, JSON-storable trees.

The schedule prints rates as text, in English and in French:

    Free / En fr.                                   free
    6.5 % / 6,5 %                                   ad valorem
    3.32 ¢/kg, $24.69/tonne, 2,82 $/kg, 30.8 ¢each  specific, in CAD per unit
    243 % but not less than $2.82/kg                the higher of the two (MAX)
    14 % but not to exceed $4.10/kg                 the lower of the two (MIN)
    5 % but not less than 4.74 ¢/kg or more than 9.48 ¢/kg    MIN(MAX(...), ...)
    9.17 ¢/kg plus 8.5 %                            the sum (PLUS)
    N/A, See Note 1                                 in the tariff, but not a computable rate

Qualifiers apply to everything on their left ("A but not less than B plus C" is (A max B) + C,
as in tariff item 0704.10.11), so a rate is a left-deep tree of binary nodes; parentheses, which
the tariff never prints, let `to_text` write any other tree back.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .decimals import ZERO, to_decimal
from .errors import InvalidValueError, RateNotAssessableError, RateParseError
from .units import ALIASES, UNITS


class RateKind(StrEnum):
    FREE = "free"
    AD_VALOREM = "ad_valorem"
    SPECIFIC = "specific"
    PLUS = "plus"
    MAX = "max"  # "but not less than": the higher of the two
    MIN = "min"  # "but not to exceed", "or more than": the lower of the two
    NOT_APPLICABLE = "not_applicable"
    SEE_NOTE = "see_note"


_COMBINED = (RateKind.PLUS, RateKind.MAX, RateKind.MIN)
_NOT_ASSESSABLE = (RateKind.NOT_APPLICABLE, RateKind.SEE_NOTE)
_PARTS = (RateKind.AD_VALOREM, RateKind.SPECIFIC, *_COMBINED)  # what a combination combines
# The attributes each kind must have; every other attribute must be empty.
_REQUIRED = {
    RateKind.AD_VALOREM: {"percent"},
    RateKind.SPECIFIC: {"amount", "unit"},
    RateKind.SEE_NOTE: {"note"},
    **{kind: {"terms"} for kind in _COMBINED},
}
_ATTRIBUTES = ("percent", "amount", "unit", "terms", "note")


@dataclass(frozen=True, slots=True)
class Rate:
    kind: RateKind
    percent: Decimal | None = None  # ad valorem, in percent of the value for duty
    amount: Decimal | None = None  # specific, in CAD per `unit`
    unit: str | None = None  # UN/ECE code of the unit a specific rate is charged per
    terms: tuple["Rate", ...] = ()  # the two operands of PLUS, MAX and MIN
    note: str | None = None  # which note a SEE_NOTE rate refers to
    # Derived once here so that evaluation does no more than arithmetic.
    units: frozenset[str] = field(init=False, repr=False, compare=False)
    formula: str = field(init=False, repr=False, compare=False)  # for explanations
    _factor: Decimal | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            kind = RateKind(self.kind)
        except ValueError:
            raise InvalidValueError(f"unknown rate kind {self.kind!r}", "rate") from None
        required = _REQUIRED.get(kind, set())
        for name in _ATTRIBUTES:
            present = getattr(self, name) not in (None, ())
            if present != (name in required):
                verb = "needs" if name in required else "takes no"
                raise InvalidValueError(f"a {kind.value} rate {verb} {name}", "rate")
        units: frozenset[str] = frozenset()
        if kind is RateKind.AD_VALOREM:
            object.__setattr__(self, "percent", to_decimal(self.percent, "rate"))
        elif kind is RateKind.SPECIFIC:
            object.__setattr__(self, "amount", to_decimal(self.amount, "rate"))
            if self.unit not in UNITS:
                raise InvalidValueError(f"unknown unit of measure {self.unit!r}", "rate")
            units = frozenset((self.unit,))
        elif kind in _COMBINED:
            terms = tuple(self.terms)
            if len(terms) != 2 or not all(isinstance(t, Rate) and t.kind in _PARTS for t in terms):
                raise InvalidValueError(
                    f"a {kind.value} rate combines two ad valorem, specific or combined rates", "rate"
                )
            object.__setattr__(self, "terms", terms)
            units = terms[0].units | terms[1].units
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "_factor", self.percent / 100 if self.percent is not None else None)
        object.__setattr__(self, "formula", self._formula())

    # Constructors, for code and tests that build rates without text.
    @classmethod
    def free(cls) -> "Rate":
        return cls(RateKind.FREE)

    @classmethod
    def ad_valorem(cls, percent: Decimal | int | str) -> "Rate":
        return cls(RateKind.AD_VALOREM, percent=percent)

    @classmethod
    def specific(cls, amount: Decimal | int | str, unit: str) -> "Rate":
        return cls(RateKind.SPECIFIC, amount=amount, unit=unit)

    @classmethod
    def plus(cls, a: "Rate", b: "Rate") -> "Rate":
        return cls(RateKind.PLUS, terms=(a, b))

    @classmethod
    def max_of(cls, a: "Rate", b: "Rate") -> "Rate":
        return cls(RateKind.MAX, terms=(a, b))

    @classmethod
    def min_of(cls, a: "Rate", b: "Rate") -> "Rate":
        return cls(RateKind.MIN, terms=(a, b))

    @property
    def assessable(self) -> bool:
        return self.kind not in _NOT_ASSESSABLE

    def evaluate(self, vfd: Decimal, quantities: Mapping[str, Decimal]) -> Decimal:
        """The unrounded amount on `vfd`; `quantities` maps each unit of `self.units` to the
        declared quantity expressed in it (the caller converts and checks units beforehand)."""
        kind = self.kind
        if kind is RateKind.AD_VALOREM:
            return vfd * self._factor
        if kind is RateKind.SPECIFIC:
            return self.amount * quantities[self.unit]
        if kind is RateKind.FREE:
            return ZERO
        if kind in _NOT_ASSESSABLE:
            raise RateNotAssessableError(f"the rate {self.to_text()!r} gives no amount", "rate")
        a = self.terms[0].evaluate(vfd, quantities)
        b = self.terms[1].evaluate(vfd, quantities)
        if kind is RateKind.PLUS:
            return a + b
        if kind is RateKind.MAX:
            return a if a >= b else b
        return a if a <= b else b

    def _formula(self) -> str:
        """How the amount is computed: `max(243 % × VFD, $2.82/kg × quantity)`."""
        kind = self.kind
        if kind is RateKind.AD_VALOREM:
            return f"{self.to_text()} × VFD"
        if kind is RateKind.SPECIFIC:
            return f"{self.to_text()} × quantity"
        if kind in _COMBINED:
            a, b = (t.formula for t in self.terms)
            return f"{a} + {b}" if kind is RateKind.PLUS else f"{kind.value}({a}, {b})"
        return self.to_text()

    def to_text(self, lang: str = "en") -> str:
        """The rate as the tariff prints it, in English (`en`) or French (`fr`)."""
        words = _WORDS[lang]
        kind = self.kind
        if kind is RateKind.AD_VALOREM:
            return f"{_number(self.percent, lang)} %"
        if kind is RateKind.SPECIFIC:
            return _money(self.amount, self.unit, lang)
        if kind is RateKind.SEE_NOTE:
            return f"{words['see_note']} {self.note}"
        if kind not in _COMBINED:
            return words[kind.value]
        left, right = self.terms
        connector = kind.value
        if kind is RateKind.MIN and left.kind is RateKind.MAX:
            connector = "or_more_than"  # the tariff's "not less than A or more than B"
        right_text = right.to_text(lang)
        if right.kind in _COMBINED:
            right_text = f"({right_text})"
        return f"{left.to_text(lang)} {words[connector]} {right_text}"

    def __str__(self) -> str:
        return self.to_text()

    def to_dict(self) -> dict:
        """A JSON-compatible dict (Decimals as strings) that `from_dict` turns back into this."""
        data: dict = {"kind": self.kind.value}
        for name in ("percent", "amount"):
            if getattr(self, name) is not None:
                data[name] = str(getattr(self, name))
        if self.unit is not None:
            data["unit"] = self.unit
        if self.note is not None:
            data["note"] = self.note
        if self.terms:
            data["terms"] = [t.to_dict() for t in self.terms]
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> "Rate":
        if not isinstance(data, Mapping) or "kind" not in data:
            raise InvalidValueError(f"not a stored rate: {data!r}", "rate")
        unknown = set(data) - {"kind", *_ATTRIBUTES}
        if unknown:
            raise InvalidValueError(f"unknown rate attributes {sorted(unknown)}", "rate")
        terms = data.get("terms") or ()
        if not isinstance(terms, (list, tuple)):
            raise InvalidValueError("rate terms must be a list", "rate")
        return cls(
            data["kind"],
            percent=data.get("percent"),
            amount=data.get("amount"),
            unit=data.get("unit"),
            terms=tuple(cls.from_dict(t) for t in terms),
            note=data.get("note"),
        )


_WORDS = {
    "en": {
        "free": "Free",
        "not_applicable": "N/A",
        "see_note": "See Note",
        "plus": "plus",
        "max": "but not less than",
        "min": "but not to exceed",
        "or_more_than": "or more than",
    },
    "fr": {
        "free": "En fr.",
        "not_applicable": "S.O.",
        "see_note": "Voir la note",
        "plus": "plus",
        "max": "mais pas moins de",
        "min": "mais n'excédant pas",
        "or_more_than": "ou plus de",
    },
}


def _number(value: Decimal, lang: str) -> str:
    text = format(value, "f")
    return text.replace(".", ",") if lang == "fr" else text


def _money(amount: Decimal, unit: str, lang: str) -> str:
    # Below a dollar the tariff mostly prints cents ("3.32 ¢/kg"), above it dollars ("$24.69").
    if amount < 1:
        value = f"{_number(amount.scaleb(2), lang)} ¢"
    elif lang == "fr":
        value = f"{_number(amount, lang)} $"
    else:
        value = f"${_number(amount, lang)}"
    label = getattr(UNITS[unit], lang)
    return f"{value} {label}" if unit == "NMB" else f"{value}/{label}"


# --- parsing -----------------------------------------------------------------------------------

_FLAGS = re.IGNORECASE
_WHOLE_TEXTS = (
    (re.compile(r"free|en\s+fr\.?|en\s+franchise", _FLAGS), lambda m: Rate.free()),
    (re.compile(r"n/?a|s\.\s*o\.?", _FLAGS), lambda m: Rate(RateKind.NOT_APPLICABLE)),
    (re.compile(r"(?:see|voir(?:\s+la)?)\s+note\s+(\w+)", _FLAGS), lambda m: Rate(RateKind.SEE_NOTE, note=m.group(1))),
)
_NUMBER = r"(\d+(?:[.,]\d+)?|[.,]\d+)"  # "6.5", "6,5" (French), "$.99" (sic, in the tariff)
_DOLLARS = r"(\d+(?:\.\d+)?|\.\d+)"  # "$" first is English: a comma there would group thousands
_UNIT = "|".join(re.escape(a) for a in sorted(ALIASES, key=len, reverse=True))
_PER_UNIT = rf"(?:\s*/\s*(?P<unit>{_UNIT})|\s*(?P<each>each|chacun))(?![\w.])"
_LEAVES = (
    re.compile(rf"{_NUMBER}\s*%", _FLAGS),
    re.compile(rf"\$\s*{_DOLLARS}{_PER_UNIT}", _FLAGS),  # $24.69/tonne
    re.compile(rf"{_NUMBER}\s*(?P<sign>[¢$]){_PER_UNIT}", _FLAGS),  # 3.32 ¢/kg, 2,82 $/kg
)
_CONNECTORS = (
    (re.compile(r"plus\b", _FLAGS), RateKind.PLUS),
    (re.compile(r"(?:but\s+not\s+less\s+than|mais\s+(?:pas\s+moins\s+de|au\s+moins))\b", _FLAGS), RateKind.MAX),
    (
        re.compile(
            r"(?:but\s+not\s+(?:to\s+exceed|more\s+than)"
            r"|mais\s+(?:au\s+plus|pas\s+plus\s+de|n['’]exc[ée]dant\s+pas))\b",
            _FLAGS,
        ),
        RateKind.MIN,
    ),
)
_OR_MORE_THAN = re.compile(r"(?:or\s+more\s+than|ou\s+plus\s+de)\b", _FLAGS)
_NUMBER_START = re.compile(_NUMBER)
_DOLLARS_START = re.compile(_DOLLARS)
_SPACE = re.compile(r"\s*")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


MAX_RATE_TEXT = 255  # the longest rate the schedule prints is under 100 characters (tariff.sources keeps 255)
MAX_PARENTHESES = 4  # nesting of "(...)"; the schedule nests two at most


def parse_rate(text: str, field: str = "rate") -> Rate:
    """Parse one rate text of the Customs Tariff schedule, English or French.

    Raises RateParseError with the position and reason of the first thing not understood.
    """
    if not isinstance(text, str):
        raise RateParseError(text, 0, "a rate text must be a string", field)
    if len(text) > MAX_RATE_TEXT:  # every combination is a nested Rate: bound the depth of what is built
        raise RateParseError(text[:MAX_RATE_TEXT], MAX_RATE_TEXT, f"longer than {MAX_RATE_TEXT} characters", field)
    source = text.translate(_SPACES)
    start = _SPACE.match(source).end()
    end = len(source.rstrip())
    if start >= end:
        raise RateParseError(text, 0, "empty rate text", field)
    for pattern, build in _WHOLE_TEXTS:
        match = pattern.fullmatch(source, start, end)
        if match:
            return build(match)
    parser = _Parser(text, source[:end], field)
    rate, pos = parser.expression(start)
    if pos != end:
        parser.fail(pos, "expected 'plus', 'but not less than', 'but not to exceed' or the end of the rate")
    return rate


def as_rate(value: "Rate | str | Mapping", field: str = "rate") -> Rate:
    """A Rate from a Rate, a rate text or a stored dict."""
    if isinstance(value, Rate):
        return value
    if isinstance(value, Mapping):
        return Rate.from_dict(value)
    return parse_rate(value, field)


class _Parser:
    def __init__(self, text: str, source: str, field: str):
        self.text, self.source, self.field = text, source, field
        self.depth = 0

    def fail(self, pos: int, reason: str):
        raise RateParseError(self.text, pos, reason, self.field)

    def expression(self, pos: int) -> tuple[Rate, int]:
        rate, pos = self.term(pos)
        while True:
            after_space = _SPACE.match(self.source, pos).end()
            if after_space == len(self.source) or self.source[after_space] == ")":
                return rate, after_space
            kind, pos = self.connector(after_space, rate)
            if kind is None:
                return rate, after_space
            right, pos = self.term(_SPACE.match(self.source, pos).end())
            rate = Rate(kind, terms=(rate, right))

    def connector(self, pos: int, left: Rate) -> tuple[RateKind | None, int]:
        for pattern, kind in _CONNECTORS:
            match = pattern.match(self.source, pos)
            if match:
                return kind, match.end()
        match = _OR_MORE_THAN.match(self.source, pos)
        if match:
            if left.kind is not RateKind.MAX:
                self.fail(pos, "'or more than' must follow 'but not less than'")
            return RateKind.MIN, match.end()
        return None, pos

    def term(self, pos: int) -> tuple[Rate, int]:
        if self.source.startswith("(", pos):
            self.depth += 1
            if self.depth > MAX_PARENTHESES:
                self.fail(pos, f"more than {MAX_PARENTHESES} levels of parentheses")
            rate, pos = self.expression(_SPACE.match(self.source, pos + 1).end())
            self.depth -= 1
            if not self.source.startswith(")", pos):
                self.fail(pos, "expected ')'")
            return rate, pos + 1
        try:
            leaf = self.leaf(pos)
        except InvalidValueError as error:  # a number out of range
            self.fail(pos, error.message)
        if leaf is None:
            self.fail(*self.why_no_term(pos))
        return leaf

    def leaf(self, pos: int) -> tuple[Rate, int] | None:
        percent, dollar, after = _LEAVES
        match = percent.match(self.source, pos)
        if match:
            return Rate.ad_valorem(_decimal(match.group(1))), match.end()
        match = dollar.match(self.source, pos)
        if match:
            return Rate.specific(_decimal(match.group(1)), _unit_of(match)), match.end()
        match = after.match(self.source, pos)
        if match:
            amount = _decimal(match.group(1))
            if match.group("sign") == "¢":
                amount = amount.scaleb(-2)
            return Rate.specific(amount, _unit_of(match)), match.end()
        return None

    def why_no_term(self, pos: int) -> tuple[int, str]:
        """Where and why the text at `pos` is not a rate, for a useful error."""
        source = self.source
        number = _NUMBER_START.match(source, pos)
        if source.startswith("$", pos):
            number = _DOLLARS_START.match(source, _SPACE.match(source, pos + 1).end())
            if not number:
                return pos + 1, "expected an amount after '$'"
            if source.startswith(",", number.end()):
                return number.end(), "a comma in a '$' amount would group thousands: leave it out"
        elif not number:
            return pos, "expected a rate such as '6.5 %', '3.32 ¢/kg' or '$24.69/tonne'"
        after = _SPACE.match(source, number.end()).end()
        if after == len(source):
            return after, "the rate ends after a number: '%', '¢' or '$' and a unit are missing"
        if source[after] in "¢$":
            after = _SPACE.match(source, after + 1).end()
        elif not source.startswith("/", after):
            return after, "expected '%', '¢' or '$' after the number"
        if not source.startswith("/", after):
            return after, "expected '/' and a unit of measure (such as '/kg') or 'each'"
        return _SPACE.match(source, after + 1).end(), "unknown unit of measure"


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", "."))


def _unit_of(match: re.Match) -> str:
    return "NMB" if match.group("each") else ALIASES[match.group("unit").lower()]

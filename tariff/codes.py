"""Tariff codes: digits only inside the system, dotted for people (0101.21.00.00)."""

import re

from django.utils.translation import gettext_lazy as _

LEVEL_BY_LENGTH = {
    4: "heading",
    5: "grouping",
    6: "subheading",
    7: "grouping",
    8: "tariff_item",
    9: "grouping",
    10: "classification",
}
_SEPARATORS = re.compile(r"[.\s\-]")


class InvalidCode(ValueError):
    code = "invalid_code"


def digits_of(text: str) -> str:
    """The digits of a code typed with or without dots, spaces or dashes; raises InvalidCode."""
    text = (text or "").strip()
    digits = _SEPARATORS.sub("", text)
    # Separators go between digits: "-1" is a negative number, not chapter 01.
    if not digits.isascii() or not digits.isdigit() or not (text[0].isdigit() and text[-1].isdigit()):
        raise InvalidCode(_("A tariff code has digits only, optionally separated by dots."))
    if len(digits) > 10:
        raise InvalidCode(_("A tariff code has at most 10 digits."))
    return digits


def looks_like_code(text: str) -> bool:
    """True when a search query is a (partial) code rather than words: '0101', '8703.80'."""
    try:
        return len(digits_of(text)) >= 2
    except InvalidCode:
        return False


def dotted(digits: str) -> str:
    """0101 -> 01.01 (headings), 0101210000 -> 0101.21.00.00, 0207119 -> 0207.11.9."""
    if len(digits) <= 4:
        return ".".join(part for part in (digits[:2], digits[2:4]) if part)
    return ".".join(part for part in (digits[:4], digits[4:6], digits[6:8], digits[8:10]) if part)


def prefixes(digits: str) -> list[str]:
    """Every code that could print above `digits` in the schedule, itself included."""
    return [digits[:length] for length in range(4, len(digits) + 1)]

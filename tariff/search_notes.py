"""The legal notes as evidence for the tariff search (pure functions, no database).

Section and chapter notes say where goods go when the headings' words are not enough: "This
Chapter does not cover: ... (c) Orthopaedic appliances, surgical belts, trusses or the like
(heading 90.21)". Each such line that names a heading or a chapter becomes a NoteItem: its words,
the headings (4 digits) or chapters (2 digits) it points to, the codes whose note it is, and
whether it sits under an exclusion ("does not cover", "does not include", "except"). tariff.search
matches a query's words against the items: a matched item supports the headings it points to and,
when it is an exclusion, tells why the excluding chapter's numbers are not the answer.
"""

import re
from dataclasses import dataclass

from .search_text import terms_en

_NUMBERED = re.compile(r"^\s*\d+\.\s")  # "2. This Chapter does not cover:"
_EXCLUDES = re.compile(r"does not (?:cover|include|apply)|do not cover|except|excluding|other than those of", re.I)
_HEADING_REF = re.compile(r"(?<![\d.])(\d{2})\.(\d{2})(?![\d])")  # heading 90.21 (not 6110.30)
_CHAPTER_REF = re.compile(r"\bChapters? (\d{1,2})\b(?:,? (?:and|or|to) (\d{1,2})\b)?")
_REFERENCE_TEXT = re.compile(
    r"\((?:[^()]*\d{2}\.\d{2}[^()]*|Chapter[^()]*)\)|\b(?:sub)?headings? [\d., ]+(?:or|and|to)?[\d., ]*"
)
_ITEM_LABEL = re.compile(r"^\s*(?:\(\w{1,4}\)|\d+\.)\s*")


@dataclass(frozen=True)
class NoteItem:
    source: str  # whose note it is: the chapter ("61") or the section ("XI")
    covers: tuple[str, ...]  # code prefixes (2-digit chapters) the note belongs to
    excludes: bool  # the line lists goods the note sends elsewhere
    text: str  # the line as printed, for people
    targets: tuple[str, ...]  # headings (4 digits) or chapters (2 digits) it points to
    terms: frozenset  # English stems of its words, references left out


def note_items(text: str, source: str, covers: tuple[str, ...]) -> list[NoteItem]:
    """The lines of one note text that point to other headings or chapters. `source` is the
    chapter's number ("61") or the section's roman numeral ("XI"), `covers` its chapters."""
    items, excluding = [], False
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if _NUMBERED.match(line):  # a new numbered note: is it a list of exclusions?
            excluding = bool(_EXCLUDES.search(line))
        # "heading 90.21"; a line without the word may hold figures ("10.50 kg"), not references
        targets = [a + b for a, b in _HEADING_REF.findall(line)] if "heading" in line.lower() else []
        for first, second in _CHAPTER_REF.findall(line):
            targets += [f"{int(n):02d}" for n in (first, second) if n]
        targets = [t for t in dict.fromkeys(targets) if t[:2] not in covers]  # pointing elsewhere only
        words = _REFERENCE_TEXT.sub(" ", _ITEM_LABEL.sub("", line))
        terms = frozenset(terms_en(words))
        if targets and terms:
            excludes = excluding or bool(_EXCLUDES.search(line))
            items.append(NoteItem(source, covers, excludes, line, tuple(targets), terms))
    return items

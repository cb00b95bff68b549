"""A CAD message as UN/EDIFACT: CUSDEC in, CUSRES out, both ways by the rows of edi.mapping. pydifact
tokenises and serialises; it checks no message structure, so this module checks the envelope
(UNB/UNH/BGM ... UNT/UNZ), the UNT segment count and references, mandatory segments, segment tags and
qualifiers (the code lists of mapping.ROWS) and repeats, each refusal with the segment's position.

The layout (a subset of CUSDEC D.96B as this project uses it; CBSA's CUSDEC implementation guide was
not available, so qualifiers marked [OURS] in edi.mapping are not CBSA's):
    UNA:+.? '  UNB+UNOC:3+<sender BN9>:ZZZ+CBSA:ZZZ+<yymmdd>:<hhmm>+<reference>'
    UNH+1+CUSDEC:D:96B:UN'  BGM+CAD+<reference>+<UNTDID 1225 function code>'
    [RFF+VER:<version>'] [FTX+ACD+++<reason>']  header segments (one per field)
    DOC+380' invoice segments ... CST+<line number>' line segments ...
    UNS+S'  UNT+<segments from UNH to UNT>+1'  UNZ+1+<reference>'
"""

import datetime as dt
import warnings

from django.utils.translation import gettext_lazy as _
from pydifact.exceptions import MissingImplementationWarning
from pydifact.segmentcollection import RawSegmentCollection
from pydifact.segments import Segment

from declarations.fields import Part

from . import mapping
from .wire import MAX_BYTES, NESTED, STATUS_CODES, TOO_LARGE, Answer, Message, WireError

warnings.filterwarnings("ignore", category=MissingImplementationWarning)  # pydifact's missing directories

UNA = "UNA:+.? '"
COMPOSITE = {"RFF", "DTM", "MOA", "QTY", "CUX", "PIA", "MEA", "TAX"}  # TAG+QUALIFIER:VALUE
FREE_TEXT = {"FTX"}  # FTX+QUALIFIER+++VALUE; the others TAG+QUALIFIER+VALUE
OPENERS = {"DOC": Part.INVOICE, "CST": Part.LINE}
VERSION, REASON = ("RFF", "VER"), ("FTX", "ACD")  # [OURS]


def _segment(tag: str, qualifier: str, value: str) -> Segment:
    if tag in COMPOSITE:
        return Segment(tag, [qualifier, value])
    if tag in FREE_TEXT:
        return Segment(tag, qualifier, "", "", value)
    return Segment(tag, qualifier, value)


def _value(segment: Segment) -> tuple[str, str]:
    """(qualifier, value) of a body segment, as `_segment` wrote it."""
    elements = segment.elements
    if segment.tag in COMPOSITE:
        first = elements[0] if elements else ""
        parts = first if isinstance(first, list) else [first]
        return str(parts[0]), str(parts[1]) if len(parts) > 1 else ""
    position = 3 if segment.tag in FREE_TEXT else 1
    qualifier = elements[0] if elements else ""
    value = elements[position] if len(elements) > position else ""
    if isinstance(qualifier, list) or isinstance(value, list):
        raise ValueError("a composite where a simple element was expected")
    return qualifier, value


def _serialize(segments: list[Segment]) -> str:
    return UNA + "\n" + RawSegmentCollection.from_segments(segments).serialize(break_lines=True)


def _envelope(body: list[Segment], sender: str, reference: str, message_type: str, now=None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    head = [Segment("UNH", "1", [message_type, "D", "96B", "UN"])]
    tail_count = len(head) + len(body) + 1
    return _serialize(
        [
            Segment(
                "UNB",
                ["UNOC", "3"],
                [sender, "ZZZ"],
                ["CBSA", "ZZZ"],
                [now.strftime("%y%m%d"), now.strftime("%H%M")],
                reference,
            ),
            *head,
            *body,
            Segment("UNT", str(tail_count), "1"),
            Segment("UNZ", "1", reference),
        ]
    )


def dumps(message: Message) -> bytes:
    body = [Segment("BGM", "CAD", message.reference, mapping.FUNCTION_OF[message.function])]
    if message.version:
        body.append(_segment(*VERSION, message.version))
    if message.reason:
        body.append(_segment(*REASON, message.reason))
    body += _part(Part.HEADER, message.payload)
    for index, invoice in enumerate(message.payload.get("invoices") or []):
        body += [Segment("DOC", "380", str(index + 1)), *_part(Part.INVOICE, invoice)]
    for index, line in enumerate(message.payload.get("lines") or []):
        body += [Segment("CST", str(index + 1)), *_part(Part.LINE, line)]
    body.append(Segment("UNS", "S"))
    return _envelope(body, message.sender, message.reference, "CUSDEC").encode()


def _part(part: Part, values: dict) -> list[Segment]:
    return [
        _segment(place.tag, place.qualifier, str(values[name]))
        for name, place in mapping.PLACES[part].items()
        if values.get(name) not in (None, "")
    ]


# --- reading -------------------------------------------------------------------------------------


def _offsets(text: str) -> list[int]:
    """Where each segment starts (after a UNA), by the default service characters."""
    starts, start, index = [], 0, 0
    if text.startswith("UNA"):
        start = index = 9
        while start < len(text) and text[start] in "\r\n":
            start = index = start + 1
    while index < len(text):
        char = text[index]
        if char == "?":
            index += 2
            continue
        if char == "'":
            starts.append(start)
            start = index + 1
            while start < len(text) and text[start] in "\r\n":
                start += 1
            index = start
            continue
        index += 1
    if start < len(text):
        starts.append(start)
    return starts


def _syntax(code, message, number=None, offsets=(), tag=""):
    offset = offsets[number - 1] if number and number <= len(offsets) else None
    position = f"segment {number}" + (f", character {offset}" if offset is not None else "") if number else ""
    pointer = f"segment {number} ({tag})" if number and tag else ""
    return WireError(code, pointer, message, position, syntax=True)


def loads(raw: bytes) -> Message:
    if len(raw) > MAX_BYTES:
        raise WireError("too_large", "", TOO_LARGE % {"limit": MAX_BYTES})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WireError(
            "syntax_error", "", _("The interchange is not UTF-8 text."), f"byte {error.start}", True
        ) from None
    if text.startswith("UNA") and not text.startswith(UNA):
        raise _syntax("unsupported_service_characters", _("Use the default service characters (UNA:+.? ')."))
    offsets = _offsets(text)
    stripped = text.rstrip("\r\n")
    if not stripped.endswith("'") or stripped.endswith("?'") and not stripped.endswith("??'"):
        raise _syntax(
            "truncated", _("The interchange is cut short: its last segment has no terminator."), len(offsets), offsets
        )
    try:
        segments = [s for s in RawSegmentCollection.from_str(text).segments if s.tag != "UNA"]
    except Exception:  # noqa: BLE001 (pydifact raises IndexError, EDISyntaxError and others on bad input)
        raise _syntax(
            "syntax_error",
            _("The interchange cannot be read: a segment is broken or cut short."),
            len(offsets),
            offsets,
        ) from None
    if not segments or segments[0].tag != "UNB":
        raise _syntax("missing_segment", _("An interchange starts with UNB."), 1, offsets, "UNB")
    if segments[-1].tag != "UNZ":
        raise _syntax(
            "truncated",
            _("The interchange ends without UNZ: it was cut short."),
            len(segments),
            offsets,
            segments[-1].tag,
        )
    return _read(segments, offsets)


def _text(element) -> str:
    return element[0] if isinstance(element, list) else str(element or "")


def _read(segments: list[Segment], offsets: list[int]) -> Message:
    def fail(code, message, number):
        return _syntax(code, message, number, offsets, segments[number - 1].tag)

    unb, unz = segments[0], segments[-1]
    if len(unb.elements) < 5 or len(segments) < 5:
        raise fail("missing_segment", _("UNB needs its syntax, sender, recipient, date and reference."), 1)
    reference, sender = _text(unb.elements[4]), _text(unb.elements[1])
    if segments[1].tag != "UNH" or _text(segments[1].elements[1] if len(segments[1].elements) > 1 else "") != "CUSDEC":
        raise fail("missing_segment", _("UNH of a CUSDEC message must follow UNB."), 2)
    unt_number = len(segments) - 1
    unt = segments[unt_number - 1]
    if unt.tag != "UNT":
        raise fail("missing_segment", _("UNT must close the message before UNZ."), unt_number)
    if _text(unt.elements[0] if unt.elements else "") != str(unt_number - 1):
        raise fail(
            "segment_count_mismatch",
            _("UNT counts %(said)s segments; the message has %(count)s.")
            % {"said": _text(unt.elements[0] if unt.elements else ""), "count": unt_number - 1},
            unt_number,
        )
    if len(unt.elements) < 2 or _text(unt.elements[1]) != _text(segments[1].elements[0]):
        raise fail("reference_mismatch", _("UNT's message reference differs from UNH's."), unt_number)
    if len(unz.elements) < 2 or _text(unz.elements[0]) != "1" or _text(unz.elements[1]) != reference:
        raise fail("reference_mismatch", _("UNZ must count 1 message and repeat UNB's reference."), len(segments))
    bgm = segments[2]
    function = mapping.FUNCTION_CODES.get(_text(bgm.elements[2]) if bgm.tag == "BGM" and len(bgm.elements) > 2 else "")
    if bgm.tag != "BGM":
        raise fail("missing_segment", _("BGM must follow UNH."), 3)
    if function is None:
        raise fail("unknown_code", _("The message function (BGM, UNTDID 1225) must be 9, 5, 4 or 1."), 3)
    message = Message(function=function, reference=reference, sender=sender, payload={})
    part, values = Part.HEADER, message.payload
    for number, segment in enumerate(segments[3 : unt_number - 2], start=4):
        if segment.tag in OPENERS:
            part, values = OPENERS[segment.tag], {}
            message.payload.setdefault(NESTED[0] if part is Part.INVOICE else NESTED[1], []).append(values)
            continue
        try:
            qualifier, value = _value(segment)
        except (ValueError, IndexError):
            raise fail("invalid_segment", _("This segment's elements are not as the layout says."), number) from None
        if part is Part.HEADER and (segment.tag, qualifier) in (VERSION, REASON):
            setattr(message, "version" if (segment.tag, qualifier) == VERSION else "reason", value)
            continue
        name = mapping.BY_SEGMENT[part].get((segment.tag, qualifier))
        if name is None:
            known = any(tag == segment.tag for tag, _q in mapping.BY_SEGMENT[part])
            raise fail(
                "unknown_code" if known else "unknown_segment",
                _("Segment %(tag)s+%(qualifier)s is not part of a CAD's %(part)s.")
                % {"tag": segment.tag, "qualifier": qualifier, "part": part.value},
                number,
            )
        if name in values:
            raise fail("duplicate_segment", _("This field is given twice."), number)
        if value != "":
            values[name] = value
    if segments[unt_number - 2].tag != "UNS":
        raise fail("missing_segment", _("UNS+S must close the detail before UNT."), unt_number - 1)
    return message


def pointer(json_pointer: str) -> str:
    """A CAD validator's JSON pointer (/lines/2/classification) as the segment it names: CST+3/PIA+HS."""
    parts = [p for p in (json_pointer or "").split("/") if p]
    prefix, part = "", Part.HEADER
    if len(parts) >= 2 and parts[0] in NESTED and parts[1].isdigit():
        part = Part.INVOICE if parts[0] == "invoices" else Part.LINE
        prefix = f"{'DOC+380' if part is Part.INVOICE else 'CST'}+{int(parts[1]) + 1}/"
        parts = parts[2:]
    place = mapping.PLACES[part].get(parts[0]) if parts else None
    if place is None:
        special = {"expected_version": "RFF+VER", "reason": "FTX+ACD"}.get(parts[0] if parts else "", "BGM")
        return prefix + special if not prefix else prefix.rstrip("/")
    return f"{prefix}{place.tag}+{place.qualifier}"


# --- CUSRES --------------------------------------------------------------------------------------


def dump_answer(answer: Answer, sender: str = "CBSA") -> bytes:
    """A CUSRES: BGM with the status (39, 41, 42, SYN), RFF of the transaction number and version,
    TAX+type/MOA per duty or tax of the header and of each line (RFF+LI), ERP/ERC/FTX per error."""
    body = [
        Segment("BGM", "962", answer.reference, "11"),  # UNTDID 1225 11: response
        Segment("GIS", STATUS_CODES[answer.status]),
    ]
    if answer.transaction_number:
        body += [Segment("RFF", ["ABT", answer.transaction_number]), Segment("RFF", ["VER", answer.version])]
    for name, amount in answer.totals.items():
        body += [Segment("TAX", "7", name), Segment("MOA", ["161", str(amount)])]
    for line in answer.lines:
        body.append(Segment("RFF", ["LI", str(line["number"])]))
        for name, amount in line["amounts"].items():
            body += [Segment("TAX", "7", name), Segment("MOA", ["161", str(amount)])]
    for error in answer.errors:
        body += [
            Segment("ERP", "1", error["field"] or ""),
            Segment("ERC", error["code"]),
            Segment("FTX", "AAO", "", "", error["message"][:350], error.get("position", "")),
        ]
    return _envelope(body, sender, answer.reference, "CUSRES").encode()

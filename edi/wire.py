"""What both wire formats carry: a declaration message (its function, the sender's interchange
reference and identity, the version changed and the reason, and the CAD itself as the JSON API's
payload), and what they answer. Parsing either format gives a `Message` or raises `WireError`."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 2_000_000  # [DESIGN] a CAD of 999 lines is about 1 MB in XML: larger is refused unread
NESTED = ("invoices", "lines")


@dataclass
class Message:
    function: str  # mapping.ORIGINAL, CORRECTION, ADJUSTMENT, WITHDRAWAL
    reference: str  # the sender's interchange control reference: a repeat is a duplicate
    sender: str  # BN9 of the sending business, as the message says
    payload: dict  # the CAD as POST /api/v1/declarations takes it (strings; absent fields left out)
    version: str = ""  # the version a change starts from
    reason: str = ""


@dataclass
class WireError(Exception):
    """A message refused before it reaches the CAD services: `code`, `pointer` (an XPath-like element
    path, or "segment N (TAG)" in EDIFACT), `message` and, for a syntax error, `position` (line and
    column, or segment number and character offset)."""

    code: str
    pointer: str
    message: object
    position: str = ""
    syntax: bool = False

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.pointer, "message": str(self.message), "position": self.position}


@dataclass
class Answer:
    """A response: `status` accepted (39), rejected (41), pending (42) or syntax_error; the
    transaction number and version, totals of the header and of each line, errors."""

    status: str
    reference: str
    transaction_number: str = ""
    version: str = ""
    totals: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)  # [{"number": 1, "amounts": {...}}]
    errors: list = field(default_factory=list)  # [{"code", "field", "message", "position"}]


ACCEPTED, REJECTED, PENDING, SYNTAX_ERROR = "accepted", "rejected", "pending", "syntax_error"
WITHDRAWN = "withdrawn"
STATUS_CODES = {
    ACCEPTED: "39",
    REJECTED: "41",
    PENDING: "42",
    SYNTAX_ERROR: "SYN",
    WITHDRAWN: "WDN",
}  # SYN, WDN: [OURS]
TOO_LARGE = _("The message is larger than %(limit)s bytes: split it.")
NUL_BYTE = _("The message contains a NUL byte, which no EDI character set allows.")
SENDER_INCONSISTENT = _("Sender info inconsistent: the sender may not transact for this importer.")


def clean_payload(payload: dict) -> dict:
    """The payload with empty values left out, the form both formats round-trip exactly."""
    out = {name: str(value) for name, value in payload.items() if name not in NESTED and value not in (None, "")}
    for name in NESTED:
        if name in payload:
            out[name] = [
                {key: str(value) for key, value in item.items() if value not in (None, "")} for item in payload[name]
            ]
    return out

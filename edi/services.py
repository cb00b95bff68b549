"""Inbound EDI (issue #22.2): `receive` stores a message raw and acknowledges it at once; `process`
(the Celery task edi.tasks.process_message) parses it, checks the sender, and files it through the
same CAD services as the portal and the JSON API (declarations.services.submit, amend, withdraw),
then stores the response in the message's format and pushes it (edi.deliveries).

Who files: the person whose API token sent the message (a token narrowed to the sending business),
or, for the drop folder, the person who set up the business's channel, acting for the importer the
CAD names when that importer is their client (rights.clients_of). A sender that may not transact for
the importer's BN15 is refused as CARM refuses it: "sender info inconsistent"."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import record
from businesses.models import Business
from declarations import services as cads
from declarations.models import Channel as CadChannel
from declarations.models import Declaration

from . import deliveries, mapping
from .models import Direction, Format, Kind, Message
from .wire import (
    ACCEPTED,
    MAX_BYTES,
    NUL_BYTE,
    PENDING,
    REJECTED,
    SENDER_INCONSISTENT,
    SYNTAX_ERROR,
    TOO_LARGE,
    WITHDRAWN,
    Answer,
    WireError,
)


def codec(message_format: str):
    """The module reading and writing this format (loads, dump_answer, pointer). Imported when a
    message is first read or written: lxml and pydifact at start-up would grow every process's heap,
    which each full garbage collection walks (a nightly run's among them)."""
    from . import edifact, wco_xml

    return {Format.XML: wco_xml, Format.EDIFACT: edifact}[message_format]


LINE_AMOUNTS = ["customs_duty", "sima", "surtax", "excise_duty", "excise_tax", "gst", "total"]


def sniff(raw: bytes) -> str:
    """XML starts with '<' (after a byte-order mark or blanks), EDIFACT with UNA or UNB."""
    head = raw[:16].lstrip(b"\xef\xbb\xbf \t\r\n")
    return Format.XML if head.startswith(b"<") else Format.EDIFACT


def receive(business: Business, user, raw: bytes, *, source: str, request=None) -> Message:
    """Store a message as received (raw, immutable, with a new correlation id) and audit it. A message
    over wire.MAX_BYTES, or with a NUL byte (which a PostgreSQL text cannot hold), is kept only as its
    size and digest (and refused by `process`)."""
    text = raw.decode("utf-8", errors="replace") if len(raw) <= MAX_BYTES and b"\x00" not in raw else ""
    with transaction.atomic():  # the message and its audit entry: one commit
        return _received(business, user, raw, text, source, request)


def _received(business, user, raw, text, source, request) -> Message:
    message = Message.objects.create(
        direction=Direction.IN,
        kind=Kind.DECLARATION,
        format=sniff(raw),
        business=business,
        user=user,
        source=source,
        raw=text,
        size=len(raw),
    )
    record(
        "edi.received",
        actor=user,
        request=request,
        obj=message,
        actor_business=business.bn9,
        after={
            "correlation_id": str(message.correlation_id),
            "bytes": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "source": source,
        },
    )
    return message


def response_of(message: Message) -> Message | None:
    return message.replies.filter(kind=Kind.RESPONSE).first()


def process(message: Message, *, today=None) -> Message:
    """Answer `message` once (a second call returns the first answer). The CAD saved, posted and
    audited and the response stored in one transaction: a response exists only for what was done."""
    with transaction.atomic():
        return _process(message, today)


def _process(message: Message, today) -> Message:
    earlier = response_of(message)
    if earlier is not None:
        return earlier
    reader = codec(message.format)
    try:
        if message.size > MAX_BYTES:
            raise WireError("too_large", "", TOO_LARGE % {"limit": MAX_BYTES})
        if message.size and not message.raw:  # kept as its digest: it held a NUL byte
            raise WireError("nul_byte", "", NUL_BYTE, syntax=True)
        parsed = reader.loads(message.raw.encode())
    except WireError as error:
        answer = Answer(SYNTAX_ERROR if error.syntax else REJECTED, reference="", errors=[error.as_dict()])
        return _reply(message, answer, reference="")
    duplicate = (
        Message.objects.filter(
            business=message.business, kind=Kind.RESPONSE, reference=parsed.reference, original__isnull=True
        )
        .exclude(in_reply_to=message)
        .order_by("id")
        .first()
    )
    if duplicate is not None:  # the same interchange reference: the original response, byte for byte
        return _reply(message, None, reference=parsed.reference, original=duplicate)
    answer = _file(message, parsed, today)
    return _reply(message, answer, reference=parsed.reference)


def _file(message: Message, parsed, today) -> Answer:
    pointer = codec(message.format).pointer

    def refused(code, json_pointer, text):
        error = {"code": code, "field": pointer(json_pointer), "message": str(text), "position": ""}
        return Answer(REJECTED, parsed.reference, errors=[error])

    sender = message.business.bn9
    if parsed.sender != sender:
        return refused("sender_info_inconsistent", "", SENDER_INCONSISTENT)
    # A service provider acts for the importer named (its client); the CAD services check the right
    # to transact for the BN15, whose refusal (importer_not_permitted) is CARM's "sender info inconsistent".
    client = _importer(parsed)[:9]
    acting_for = client if client and client != sender and client in rights.clients_of(message.user) else ""
    actor = rights.Actor(message.user, only_business=sender, acting_for=acting_for)
    number = parsed.payload.get("transaction_number", "")
    reference = f"edi:{parsed.reference}"  # the CAD services' idempotency key, apart from the API's
    try:
        if parsed.function == mapping.ORIGINAL:
            outcome = cads.submit(
                actor, parsed.payload, client_reference=reference, channel=CadChannel.API, today=today
            )
        elif parsed.function == mapping.WITHDRAWAL:
            outcome = cads.withdraw(actor, number, expected_version=parsed.version, reason=parsed.reason, today=today)
        else:
            outcome = cads.amend(
                actor,
                number,
                parsed.payload,
                expected_version=parsed.version,
                reason=parsed.reason,
                client_reference=reference,
                channel=CadChannel.API,
                today=today,
            )
    except Http404:
        return refused("unknown_transaction", "/transaction_number", _("No CAD of yours has this transaction number."))
    except PermissionDenied:
        return refused("sender_info_inconsistent", "/transaction_number", SENDER_INCONSISTENT)
    return answer_of(outcome, parsed.reference, pointer)


def _importer(parsed) -> str:
    """The BN15 the message is for: its importer, or for a withdrawal the CAD's."""
    importer = str(parsed.payload.get("importer", "")).strip().upper()
    if importer or parsed.function != mapping.WITHDRAWAL:
        return importer
    declaration = Declaration.objects.filter(transaction_number=parsed.payload.get("transaction_number", "")).first()
    return declaration.program_account.number if declaration else ""


def _error(error, pointer) -> dict:
    """A CAD service's error with its pointer into the message; no right to transact for the BN15
    is CARM's "sender info inconsistent"."""
    code, message = error.code, error.message
    if code == "importer_not_permitted":
        code, message = "sender_info_inconsistent", SENDER_INCONSISTENT
    return {"code": code, "field": pointer(error.pointer), "message": str(message), "position": ""}


def answer_of(outcome, reference: str, pointer) -> Answer:
    if outcome.errors:
        return Answer(REJECTED, reference, errors=[_error(e, pointer) for e in outcome.errors])
    version = outcome.version
    return Answer(
        {"pending": PENDING, "withdrawn": WITHDRAWN}.get(version.status, ACCEPTED),
        reference,
        transaction_number=version.declaration.transaction_number,
        version=version.label,
        totals={name: str(value) for name, value in version.amounts().items()},
        lines=[
            {"number": line.number, "amounts": {name: str(getattr(line, name)) for name in LINE_AMOUNTS}}
            for line in version.lines.all()
        ],
    )


def _reply(message: Message, answer: Answer | None, *, reference: str, original: Message | None = None) -> Message:
    with transaction.atomic():
        if original is not None:
            raw, status, number = original.raw, original.status, original.transaction_number
        else:
            raw = codec(message.format).dump_answer(answer).decode()
            status, number = answer.status, answer.transaction_number
        reply = Message.objects.create(
            direction=Direction.OUT,
            kind=Kind.RESPONSE,
            format=message.format,
            business=message.business,
            source="system",
            reference=reference,
            in_reply_to=message,
            original=original,
            status=status,
            transaction_number=number,
            raw=raw,
            size=len(raw.encode()),
        )
        record(
            "edi.answered",
            actor=message.user,
            obj=reply,
            actor_business=message.business.bn9,
            after={
                "correlation_id": str(message.correlation_id),
                "status": status,
                "reference": reference[:35],
                "transaction_number": number,
                "duplicate_of": str(original.correlation_id) if original else "",
            },
        )
        deliveries.dispatch(reply)
    return reply

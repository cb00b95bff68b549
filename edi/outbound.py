"""Daily notices and statements of account by EDI (issue #22.4), for the program accounts that
subscribe (edi.models.Subscription), sent to the subscribed channel (the importer's own or its
broker's) in that channel's format and pushed like every outbound message. Each document is sent
once (Message.document is unique per business and kind): a run repeated, or catching up, sends
nothing twice.

The layouts are this project's [OURS]: CBSA publishes its DN/SOA XML schema and EDIFACT layout in
ECCRD chapters distributed on request (Customs notice TCC17-212), which were not available. XML:
<DailyNotice|StatementOfAccount xmlns="urn:carm:edi:Account:1"> with one element per value and one
Entry per transaction. EDIFACT: UNH FINSTA:D:96B:UN, BGM, RFF/DTM/MOA per value, RFF+ABT + MOA per entry."""

import datetime as dt
from decimal import Decimal

from lxml import etree
from pydifact.segments import Segment

from ledger import statements
from ledger.models import DailyNotice, Statement

from . import deliveries, edifact
from .models import Direction, Format, Kind, Message, Subscription

ACCOUNT_NS = "urn:carm:edi:Account:1"


def notice_document(notice: DailyNotice) -> tuple[str, dict, list[dict]]:
    entries = statements.posted_on(notice.day).filter(program_account=notice.program_account).order_by("id")
    return (
        f"notice:{notice.pk}",
        {
            "account": notice.program_account.number,
            "day": notice.day,
            "transactions": notice.entry_count,
            "total": notice.total,
        },
        [{"transaction": e.transaction_number, "type": e.entry_type, "amount": e.amount} for e in entries],
    )


def statement_document(statement: Statement) -> tuple[str, dict, list[dict]]:
    return (
        f"statement:{statement.pk}",
        {
            "account": statement.program_account.number,
            "period_start": statement.period_start,
            "period_end": statement.period_end,
            "version": statement.version,
            "statement_date": statement.statement_date,
            "due_date": statement.due_date,
            "opening_balance": statement.opening_balance,
            "closing_balance": statement.closing_balance,
            "amount_due": statement.amount_due,
            "overdue": statement.overdue,
        },
        [],
    )


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def to_xml(kind: str, values: dict, entries: list[dict]) -> str:
    root = etree.Element(
        f"{{{ACCOUNT_NS}}}{'DailyNotice' if kind == Kind.NOTICE else 'StatementOfAccount'}", nsmap={None: ACCOUNT_NS}
    )
    for name, value in values.items():
        etree.SubElement(root, f"{{{ACCOUNT_NS}}}{_camel(name)}").text = str(value)
    for entry in entries:
        node = etree.SubElement(root, f"{{{ACCOUNT_NS}}}Entry")
        for name, value in entry.items():
            etree.SubElement(node, f"{{{ACCOUNT_NS}}}{_camel(name)}").text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()


def _value_segment(name: str, value) -> Segment:
    if isinstance(value, Decimal):
        return Segment("MOA", [name, str(value)])
    if isinstance(value, dt.date):
        return Segment("DTM", [name, value.isoformat()])
    return Segment("RFF", [name, str(value)])


def to_edifact(kind: str, key: str, values: dict, entries: list[dict]) -> str:
    body = [Segment("BGM", kind, key, "9"), *(_value_segment(n, v) for n, v in values.items())]
    for entry in entries:
        body += [Segment("RFF", ["ABT", entry["transaction"]]), Segment("MOA", [entry["type"], str(entry["amount"])])]
    return edifact._envelope(body, "CBSA", key[:14], "FINSTA")


def send(day: dt.date) -> int:
    """The notices of `day` and the statements dated `day`, to every subscribed channel."""
    sent = 0
    subscriptions = Subscription.objects.select_related("channel__business", "program_account")
    for subscription in subscriptions:
        if subscription.document == Subscription.Document.NOTICES:
            kind = Kind.NOTICE
            documents = [
                notice_document(n)
                for n in DailyNotice.objects.filter(program_account=subscription.program_account, day=day)
            ]
        else:
            kind = Kind.STATEMENT
            documents = [
                statement_document(s)
                for s in Statement.objects.filter(program_account=subscription.program_account, statement_date=day)
            ]
        for key, values, entries in documents:
            sent += _send(subscription.channel, kind, key, values, entries)
    return sent


def _send(channel, kind, key, values, entries) -> int:
    if Message.objects.filter(business=channel.business, kind=kind, document=key).exists():
        return 0
    raw = to_xml(kind, values, entries) if channel.format == Format.XML else to_edifact(kind, key, values, entries)
    message = Message.objects.create(
        direction=Direction.OUT,
        kind=kind,
        format=channel.format,
        business=channel.business,
        source="system",
        document=key,
        raw=raw,
        size=len(raw.encode()),
    )
    deliveries.dispatch(message)
    return 1

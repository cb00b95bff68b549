"""CAD status changes, from the audit trail, pushed to the channels of the submitter and the importer
(edi.deliveries): whatever made the change (portal, API, EDI, an officer's decision)."""

from audit.models import AuditEntry
from audit.services import recorded
from declarations.models import DeclarationVersion

from . import deliveries, services
from .models import Channel, Direction, Format, Kind, Message
from .wire import ACCEPTED, PENDING, REJECTED, WITHDRAWN

STATUS_OF = {
    "declarations.submitted": None,  # the version's own status
    "declarations.correction": None,
    "declarations.adjustment": None,
    "declarations.adjustment_approved": ACCEPTED,
    "declarations.adjustment_rejected": REJECTED,
    "declarations.withdrawn": WITHDRAWN,
}
_VERSION_STATUS = {"accepted": ACCEPTED, "pending": PENDING, "rejected": REJECTED, "withdrawn": WITHDRAWN}


def on_recorded(sender, entries, **kwargs):
    changes = {
        int(e.object_id): e
        for e in entries
        if e.action in STATUS_OF and e.object_type == "declarations.DeclarationVersion" and e.object_id
    }
    if not changes or not Channel.objects.exists():
        return
    versions = DeclarationVersion.objects.filter(pk__in=changes).select_related(
        "declaration__program_account__business", "submitted_by_business"
    )
    for version in versions:
        businesses = {version.submitted_by_business_id, version.declaration.program_account.business_id}
        for channel in Channel.objects.filter(business_id__in=businesses).select_related("business"):
            _push_status(channel, version, STATUS_OF[changes[version.pk].action])


def _push_status(channel: Channel, version: DeclarationVersion, status: str | None) -> None:
    answer = services.answer_of(_Settled(version), reference="", pointer=None)
    answer.status = status or _VERSION_STATUS.get(version.status, ACCEPTED)
    raw = services.codec(channel.format).dump_answer(answer).decode()
    message = Message.objects.create(
        direction=Direction.OUT,
        kind=Kind.STATUS,
        format=channel.format or Format.XML,
        business=channel.business,
        source="system",
        status=answer.status,
        transaction_number=version.declaration.transaction_number,
        raw=raw,
        size=len(raw.encode()),
    )
    deliveries.dispatch(message)


class _Settled:
    """A version as the outcome services.answer_of reads."""

    errors = ()

    def __init__(self, version):
        self.version = version


def connect():
    recorded.connect(on_recorded, sender=AuditEntry, dispatch_uid="edi.status")

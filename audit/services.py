"""The one way to write to the audit trail. Every feature calls `record`."""

import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.dispatch import Signal

import rights
from core import bulk

from .models import AuditEntry

# Sent with `entries` (the AuditEntry rows just written, one or a batch) inside the writer's
# transaction: apps above (notifications) subscribe to what the trail records instead of each
# service calling them.
recorded = Signal()


def client_ip(request) -> str | None:
    """The client's address as the trusted proxy chain gives it (settings.CARM_TRUSTED_PROXIES proxies
    in front, each appending to X-Forwarded-For): the entry the outermost trusted proxy added. With no
    trusted proxy (the default), or a header too short to have come through them, REMOTE_ADDR: the
    rest of X-Forwarded-For is whatever the client wrote. Rate limits, the sign-in lockout and the
    audit trail all identify clients here."""
    if request is None:
        return None
    proxies = settings.CARM_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies]))
        except ValueError:  # a proxy that passes garbage on: fall back to the connection's address
            pass
    return request.META.get("REMOTE_ADDR") or None


def _describe(obj):
    if obj is None:
        return "", "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label, str(obj.pk), str(obj)[:200]
    return type(obj).__name__, "", str(obj)[:200]


def _request_context(request) -> dict:
    """actor_business / acting_for_business of a signed-in person's request, as the rights kernel checked
    them ("user X of broker B acting for importer I"). Nothing for an anonymous request: during API
    token authentication the person is not known yet, and the check must not be cached before."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    try:
        return rights.audit_context(request)
    except PermissionDenied:  # a forged client: the kernel refuses (and audits) the request itself
        return {}


def record(
    action: str,
    *,
    actor=None,
    request=None,
    obj=None,
    actor_business: str | None = None,
    acting_for_business: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    channel: str | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry. `actor` defaults to the request's user; the channel to the request's
    (API when the request came through a personal API token). Unless the caller names the client
    (`acting_for_business`), a request carrying a client context (X-Acting-For, the client switcher)
    records it, with the provider as the actor's business in place of none or the client."""
    details = {name: value for name, value in locals().items() if name != "request"}  # the arguments
    return record_many([details], request=request)[0]


def record_many(records: list[dict], *, request=None) -> list[AuditEntry]:
    """Append many entries in one insert (a batch of declarations and their ledger postings; COPY
    on PostgreSQL, core.bulk), each dict holding `record`'s arguments but the request,
    which they share (its client context is read once). One entry: a plain INSERT, one round trip
    where COPY takes two (the ids first)."""
    entries = _entries(records, request)
    if len(entries) == 1:
        entries[0].save()
    else:
        bulk.insert(AuditEntry, entries)
    recorded.send(AuditEntry, entries=entries)
    return entries


def _entries(records: list[dict], request) -> list[AuditEntry]:
    """The entries (unsaved) of `record`'s arguments; the request's client context is read once,
    and only when some record does not name the client itself."""
    context = _request_context(request) if any(r.get("acting_for_business") is None for r in records) else {}
    return [_entry(request, context, details) for details in records]


def _entry(request, context: dict, details: dict) -> AuditEntry:
    """The entry `record` appends, unsaved; `context`: the request's client context."""
    actor, actor_business = details.get("actor"), details.get("actor_business")
    acting_for_business, channel = details.get("acting_for_business"), details.get("channel")
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if acting_for_business is None and request is not None:
        acting_for_business = context.get("acting_for_business", "")
        if actor_business in (None, "", acting_for_business):
            actor_business = context.get("actor_business", "")
    if channel is None:
        channel = getattr(request, "carm_channel", None) or (
            AuditEntry.Channel.WEB if request is not None else AuditEntry.Channel.TASK
        )
    object_type, object_id, object_repr = _describe(details.get("obj"))
    return AuditEntry(
        actor=actor,
        actor_label=details.get("actor_label") or (actor.email if actor is not None else ""),
        actor_business=actor_business or "",
        acting_for_business=acting_for_business or "",
        action=details["action"],
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        channel=channel,
        ip_address=client_ip(request),
        before=_storable(details.get("before") or {}),
        after=_storable(details.get("after") or {}),
    )


def _storable(value):
    """`value` with NUL characters replaced (U+FFFD): PostgreSQL's JSON refuses them, and the trail
    keeps what hostile input was refused (a rejected CAD's payload) rather than fail to record it."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value

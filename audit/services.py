"""The one way to write to the audit trail. Every feature calls `record`."""

from django.db import models

from .models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind a trusted proxy the deployment sets REMOTE_ADDR correctly (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def _describe(obj):
    if obj is None:
        return "", "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label, str(obj.pk), str(obj)[:200]
    return type(obj).__name__, "", str(obj)[:200]


def record(
    action: str,
    *,
    actor=None,
    request=None,
    obj=None,
    actor_business: str = "",
    acting_for_business: str = "",
    before: dict | None = None,
    after: dict | None = None,
    channel: str | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry. `actor` defaults to the request's user; the channel to the request's
    (API when the request came through a personal API token)."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if channel is None:
        channel = getattr(request, "carm_channel", None) or (
            AuditEntry.Channel.WEB if request is not None else AuditEntry.Channel.TASK
        )
    object_type, object_id, object_repr = _describe(obj)
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        actor_business=actor_business,
        acting_for_business=acting_for_business,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        channel=channel,
        ip_address=client_ip(request),
        before=before or {},
        after=after or {},
    )

"""Setting up a business's EDI channel and its accounts' subscriptions (issue #22.3-4): services the
channel page and the API both call; each checks rights itself and is audited. Who may: a person who
works for the business (`works_for`), as for sending its messages. An importer's subscription may name
its own channel or the channel of a service provider with a relationship in force with it."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import rights
from access.grants import employment
from audit.services import record
from businesses.models import Business
from delegation.models import Relationship

from .models import Channel, Subscription, new_secret

NOT_PERMITTED = ("/business", "not_permitted", _("You may not set up EDI for this business."))


@dataclass
class Outcome:
    channel: Channel | None = None
    secret: str = ""  # shown once
    error: tuple | None = None  # (field, code, message)
    subscription: Subscription | None = None


def businesses_of(who):
    """The businesses the person works for now: a role grant (personal or through a group), or a
    place in one of their employee groups (a service provider's staff) — access.grants.employment.
    Not their clients: a broker sets up its own channel, not its client's."""
    user = rights.actor_of(who).user
    if user is None:
        return Business.objects.none()
    grants, groups = employment(user)
    return Business.objects.filter(Q(pk__in=grants.values("business")) | Q(pk__in=groups.values("business")))


def works_for(who, business) -> bool:
    return businesses_of(who).filter(pk=business.pk).exists()


def _may(who, business) -> bool:
    return works_for(who, business)


def configure(who, business, *, callback_url=None, format=None, request=None) -> Outcome:  # noqa: A002 (the API's name)
    if not _may(who, business):
        return Outcome(error=NOT_PERMITTED)
    with transaction.atomic():
        channel = Channel.objects.select_for_update().filter(business=business).first()
        made = channel is None
        if made:
            channel = Channel(business=business, owner=rights.actor_of(who).user)
        before = {"callback_url": channel.callback_url, "format": channel.format}
        if callback_url is not None:
            channel.callback_url = callback_url
        if format:
            channel.format = format
        channel.updated_at = timezone.now()
        channel.save()
        record(
            "edi.channel_set",
            actor=rights.actor_of(who).user,
            request=request,
            obj=channel,
            actor_business=business.bn9,
            before=before,
            after={"callback_url": channel.callback_url, "format": channel.format},
        )
    return Outcome(channel, channel.secret if made else "")


def rotate(who, business, *, request=None) -> Outcome:
    """A new shared secret, shown once; pushes are signed with it from now on."""
    if not _may(who, business):
        return Outcome(error=NOT_PERMITTED)
    channel = Channel.objects.filter(business=business).first()
    if channel is None:
        return Outcome(error=("/channel", "no_channel", _("Set up the channel first.")))
    channel.secret, channel.secret_rotated_at = new_secret(), timezone.now()
    channel.save(update_fields=["secret", "secret_rotated_at"])
    record(
        "edi.secret_rotated", actor=rights.actor_of(who).user, request=request, obj=channel, actor_business=business.bn9
    )
    return Outcome(channel, channel.secret)


def channels_for(account) -> list[Channel]:
    """The channels an account's documents may go to: its business's and its providers' in force."""
    providers = Relationship.objects.in_force().filter(importer=account.business).values("provider")
    return list(
        Channel.objects.filter(business__in=[account.business_id]) | Channel.objects.filter(business__in=providers)
    )


def subscribe(who, account, document: str, channel: Channel | None, *, request=None) -> Outcome:
    """Send `document` (notices or statements) of `account` to `channel`; None: stop sending them."""
    if not rights.may(who, rights.Action.TRANSACT, account):
        return Outcome(error=("/program_account", "not_permitted", _("You may not change this account's EDI.")))
    if channel is not None and channel not in channels_for(account):
        return Outcome(
            error=(
                "/channel",
                "invalid_channel",
                _("Choose your own channel or that of a service provider acting for you."),
            )
        )
    with transaction.atomic():
        Subscription.objects.filter(program_account=account, document=document).delete()
        subscription = None
        if channel is not None:
            subscription = Subscription.objects.create(program_account=account, document=document, channel=channel)
        record(
            "edi.subscription_set",
            actor=rights.actor_of(who).user,
            request=request,
            obj=account,
            after={"document": document, "channel": channel.business.bn9 if channel else ""},
        )
    return Outcome(channel, subscription=subscription)

"""Notification workflows: `emit` (the one way an event reaches people), the channels each person
gets (preferences over business defaults over the catalogue's), delivery with retries and backoff,
the daily digest, the inbox (read, archive) and tariff watches. Pages, API and tasks call these."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import rights
from audit.services import record
from rights import Action
from tariff.models import Change, DataLoad, TariffLine

from . import channels
from .catalogue import KINDS, Channel, kind_of
from .models import BusinessDefault, Delivery, Notification, Preference, Profile, TariffScan, Watch
from .recipients import Event, recipients_of

# --- emitting ----------------------------------------------------------------------------------


def emit(
    kind,
    *,
    business=None,
    program_account=None,
    subject=None,
    key="",
    context=None,
    actor=None,
    people=(),
    side=None,
    link="",
    audience=None,
):
    """Tell the people `kind`'s audience names (the rights kernel decides who may know) through the
    channels each chose; `audience`: those people, found already for a batch of events (a statement
    close: recipients.account_money_each). Idempotent: an event with the same key is told once per
    person. The deliveries go out after the transaction commits (Celery). Returns the notifications made."""
    event_kind = kind_of(kind)
    business = business or (program_account.business if program_account is not None else None)
    event = Event(kind, business, program_account, subject, dict(context or {}), actor, list(people), side)
    key = key or (f"{subject._meta.label_lower}:{subject.pk}" if subject is not None else uuid.uuid4().hex)
    people = recipients_of(event, event_kind, audience)
    choose = _choosing(kind, people, {business.pk} if business is not None else set())
    made, queued = [], []
    for person in people:
        chosen, profile = choose(person, business.pk if business is not None else None)
        if not chosen:
            continue
        notification = Notification(
            recipient=person,
            kind=kind,
            key=key[:100],
            business=business,
            program_account=program_account,
            context={name: str(value) for name, value in event.context.items()},
            link=link,
            in_inbox=Channel.INBOX in chosen,
        )
        deliveries = _deliveries(notification, chosen, profile)
        try:
            with transaction.atomic():
                notification.save()
                Delivery.objects.bulk_create(deliveries)
        except IntegrityError:  # told already (the same event seen twice)
            continue
        made.append(notification)
        queued += [d.pk for d in deliveries if d.status == Delivery.Status.QUEUED]
    _deliver_after_commit(queued)
    return made


def _choosing(kind, people, businesses):
    """channels_for each person for `kind`, their preferences, businesses' defaults and profiles read
    in three queries for all of them (none without people): (person, business pk) -> (channels, profile)."""
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in people], kind=kind)}
    defaults = {d.business_id: d for d in BusinessDefault.objects.filter(business__in=businesses, kind=kind)}
    profiles = {p.user_id: p for p in Profile.objects.filter(user__in=[u.pk for u in people])}

    def choose(person, business):
        profile = profiles.get(person.pk) or Profile(user=person)
        return _channels(kind, preferences.get(person.pk) or defaults.get(business), profile), profile

    return choose


def _deliveries(notification, chosen, profile) -> list:
    """A delivery per outside channel chosen; an email that can wait is held for the digest."""
    deliveries = []
    for channel in (Channel.EMAIL, Channel.SMS):
        if channel not in chosen:
            continue
        held = channel == Channel.EMAIL and profile.daily_digest and not notification.event.mandatory
        status = Delivery.Status.HELD if held else Delivery.Status.QUEUED
        deliveries.append(Delivery(notification=notification, channel=channel, status=status))
    return deliveries


def emit_each(kind, events):
    """`emit` of a batch of events of one kind, each a dict of emit's arguments (program_account,
    subject, audience found already, link, context): the people's channels read once for the batch,
    the notifications and their deliveries written by one bulk_create each, the same rows as emit
    one event after another (a statement close). If one was told meanwhile (a concurrent close),
    each event goes through emit instead, which skips those told."""
    event_kind = kind_of(kind)
    batch = []
    for arguments in events:
        account = arguments["program_account"]
        event = Event(kind, account.business, account, arguments["subject"], dict(arguments["context"]), None, [], None)
        batch.append((arguments, event, recipients_of(event, event_kind, arguments["audience"])))
    people = {person.pk: person for *_, persons in batch for person in persons}.values()
    choose = _choosing(kind, people, {event.business.pk for _, event, _ in batch})
    made, deliveries = [], []
    for arguments, event, persons in batch:
        subject = event.subject
        for person in persons:
            chosen, profile = choose(person, event.business.pk)
            if not chosen:
                continue
            notification = Notification(
                recipient=person,
                kind=kind,
                key=f"{subject._meta.label_lower}:{subject.pk}"[:100],
                business=event.business,
                program_account=event.program_account,
                context={name: str(value) for name, value in event.context.items()},
                link=arguments["link"],
                in_inbox=Channel.INBOX in chosen,
            )
            made.append(notification)
            deliveries += _deliveries(notification, chosen, profile)
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(made)
            Delivery.objects.bulk_create(deliveries)  # after: each delivery's notification has its pk
    except IntegrityError:  # some told already
        return [notification for arguments in events for notification in emit(kind, **arguments)]
    _deliver_after_commit([d.pk for d in deliveries if d.status == Delivery.Status.QUEUED])
    return made


def _deliver_after_commit(deliveries):
    if deliveries:
        from .tasks import deliver_each

        transaction.on_commit(lambda: deliver_each.delay(deliveries))


# --- preferences -------------------------------------------------------------------------------


def profile_of(user) -> Profile:
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def channels_for(user, kind: str, business=None) -> set[str]:
    """The person's own choice, else their business's default for its events, else the catalogue's.
    SMS only with a phone number; a mandatory event always keeps a channel (the inbox, at worst)."""
    business_id = getattr(business, "pk", business)
    return _choosing(kind, [user], {business_id} - {None})(user, business_id)[0]


def _channels(kind: str, chosen, profile) -> set[str]:
    """`chosen`: the person's preference or their business's default (None: the catalogue's)."""
    result = chosen.channels() if chosen is not None else set(kind_of(kind).channels)
    if not profile.phone:
        result.discard(Channel.SMS)
    if not result and kind_of(kind).mandatory:
        result = {Channel.INBOX}
    return result


def _check_channels(kind: str, chosen: set[str], phone: str | None):
    """`phone`: the person's number (None for a business default: SMS reach those who have one)."""
    event = kind_of(kind)
    unknown = chosen - set(Channel.ALL)
    if unknown:
        raise ValidationError(
            _("Unknown channel: %(channel)s.") % {"channel": ", ".join(sorted(unknown))}, code="unknown_channel"
        )
    if Channel.SMS in chosen and phone == "":
        raise ValidationError(_("Add a mobile phone number before choosing text messages."), code="no_phone")
    if event.mandatory and not chosen:
        raise ValidationError(
            _("“%(event)s” cannot be turned off: keep at least one channel (money and security events).")
            % {"event": event.title},
            code="mandatory_event",
        )


def set_preference(user, kind: str, chosen: set[str], request=None) -> Preference:
    """A person's channels for one event kind; a mandatory kind refuses to be silenced."""
    _check_channels(kind, set(chosen), profile_of(user).phone)
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={name: name in chosen for name in Channel.ALL}
    )
    record(
        "notifications.preference_set",
        actor=user,
        request=request,
        obj=preference,
        after={"kind": kind, "channels": sorted(chosen)},
    )
    return preference


def set_business_default(who, business, kind: str, chosen: set[str], request=None) -> BusinessDefault:
    """A BAM's default channels for the business's people (their own choices still win)."""
    rights.require(who, Action.ADMINISTER, business, request)
    _check_channels(kind, set(chosen), phone=None)
    user = rights.actor_of(who).user
    default, _created = BusinessDefault.objects.update_or_create(
        business=business, kind=kind, defaults={"set_by": user, **{name: name in chosen for name in Channel.ALL}}
    )
    record(
        "notifications.business_default_set",
        actor=user,
        request=request,
        obj=default,
        actor_business=business.bn9,
        after={"kind": kind, "channels": sorted(chosen)},
    )
    return default


def normalise_phone(raw: str) -> str:
    """A mobile number in E.164 (+16135550123); Canadian numbers may be written without +1."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    import phonenumbers  # here, not at start-up: its metadata would enlarge every process's heap

    try:
        number = phonenumbers.parse(raw, "CA")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(phone)s” is not a phone number. Write it as +1 613 555 0123.") % {"phone": raw[:30]},
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def set_profile(user, *, phone: str, daily_digest: bool, request=None) -> Profile:
    phone = normalise_phone(phone)
    if not phone and Preference.objects.filter(user=user, sms=True, inbox=False, email=False).exists():
        raise ValidationError(
            _("Some events reach you by text message only: choose another channel first."), code="phone_needed"
        )
    profile, _created = Profile.objects.update_or_create(
        user=user, defaults={"phone": phone, "daily_digest": daily_digest}
    )
    record(
        "notifications.profile_set",
        actor=user,
        request=request,
        obj=profile,
        after={"phone": bool(phone), "daily_digest": daily_digest},
    )
    return profile


# --- delivering --------------------------------------------------------------------------------


def render(notification, channel: str) -> channels.Message:
    """The message in the recipient's language: email (subject, text and HTML) or SMS (text)."""
    person = notification.recipient
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = str(notification.title)
        context = {**_email_context(person, language), "notification": notification}
        if channel == Channel.SMS:
            text = f"{subject}: {notification.message}"
            return channels.Message(profile_of(person).phone, language, subject, text)
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
        return channels.Message(person.email, language, subject, text, html)


def _email_context(person, language) -> dict:
    return {
        "person": person,
        "LANGUAGE_CODE": language,
        "site": settings.CARM_NOTIFY_SITE_URL,
        "inbox": reverse("notifications:inbox"),
    }


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the n-th failed attempt: doubling from settings.CARM_NOTIFY_FIRST_RETRY."""
    return dt.timedelta(seconds=settings.CARM_NOTIFY_FIRST_RETRY * 2 ** (attempts - 1))


def deliver(delivery, backend=None) -> Delivery:
    """One attempt. Sent, or retried later with backoff, or failed for good."""
    if delivery.status not in (Delivery.Status.QUEUED, Delivery.Status.RETRYING):
        return delivery
    backend = backend or channels.backend()
    message = render(delivery.notification, delivery.channel)
    delivery.attempts += 1
    try:
        sent = backend.send_email if delivery.channel == Delivery.Channel.EMAIL else backend.send_sms
        delivery.provider_reference = sent(message)[:100]
    except channels.TransientError as error:
        _failed(delivery, str(error), retry=delivery.attempts < settings.CARM_NOTIFY_MAX_ATTEMPTS)
    except channels.PermanentError as error:
        _failed(delivery, str(error), retry=False)
    else:
        delivery.status, delivery.sent_at, delivery.next_attempt_at, delivery.last_error = (
            Delivery.Status.SENT,
            timezone.now(),
            None,
            "",
        )
    delivery.save()
    return delivery


def _failed(delivery, error: str, retry: bool):
    delivery.last_error = error[:300]
    if retry:
        delivery.status = Delivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    else:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None


def due_retries(now=None):
    return Delivery.objects.filter(status=Delivery.Status.RETRYING, next_attempt_at__lte=now or timezone.now())


def send_digests(backend=None) -> int:
    """One email per person holding emails for the digest, listing them all; they count as sent."""
    backend = backend or channels.backend()
    held = Delivery.objects.filter(status=Delivery.Status.HELD).select_related("notification__recipient")
    by_person = {}
    for delivery in held.order_by("notification__created_at", "pk"):
        by_person.setdefault(delivery.notification.recipient, []).append(delivery)
    for person, deliveries in by_person.items():
        language = person.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {**_email_context(person, language), "notifications": [d.notification for d in deliveries]}
            subject = _("Your CARM notifications of the day (%(count)d)") % {"count": len(deliveries)}
            message = channels.Message(
                person.email,
                language,
                subject,
                render_to_string("notifications/email/digest.txt", context),
                render_to_string("notifications/email/digest.html", context),
            )
        try:
            backend.send_email(message)
        except (channels.TransientError, channels.PermanentError) as error:  # stays held: tomorrow's digest
            Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(last_error=str(error)[:300])
            continue
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), attempts=1
        )
    return len(by_person)


# --- the inbox ---------------------------------------------------------------------------------


def _own(user, notification):
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    return notification


def mark_read(user, notification, read: bool = True):
    _own(user, notification).read_at = timezone.now() if read else None
    notification.save(update_fields=["read_at"])
    return notification


def archive(user, notification):
    _own(user, notification).archived_at = timezone.now()
    notification.read_at = notification.read_at or notification.archived_at
    notification.save(update_fields=["archived_at", "read_at"])
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.inbox_of(user).unread().update(read_at=timezone.now())


# --- tariff watches ----------------------------------------------------------------------------

WATCHABLE_LENGTHS = (4, 6, 8, 10)  # heading, subheading, tariff item, classification number


def add_watch(user, code: str, request=None) -> Watch:
    """Watch a code of the tariff in force (a classification number, tariff item, heading...)."""
    digits = "".join(ch for ch in str(code) if ch.isdigit())
    if len(digits) not in WATCHABLE_LENGTHS or digits != str(code).replace(".", "").strip():
        raise ValidationError(
            _("“%(code)s” is not a classification number: write 4, 6, 8 or 10 digits (e.g. 0101.21.00.10).")
            % {"code": str(code)[:20]},
            code="invalid_code",
        )
    if not TariffLine.objects.as_of(timezone.localdate()).filter(code=digits).exists():
        raise ValidationError(_("No tariff line %(code)s is in force.") % {"code": digits}, code="unknown_code")
    watch, created = Watch.objects.get_or_create(user=user, code=digits)
    if created:
        record("notifications.watch_added", actor=user, request=request, obj=watch, after={"code": digits})
    return watch


def remove_watch(user, watch, request=None):
    if watch.user_id != user.pk:
        raise PermissionDenied
    record("notifications.watch_removed", actor=user, request=request, obj=watch, before={"code": watch.code})
    watch.delete()


def _watched_by(code: str, watches) -> list:
    """Watches a change to `code` concerns: the code itself and every code under it (a tariff item's
    rates are its classification numbers' rates; a heading's text reads above its lines)."""
    return [w for w in watches if w.code.startswith(code) or code.startswith(w.code)]


def scan_tariff_versions() -> int:
    """Tell the watchers of each schedule version not yet scanned what it changed for their codes."""
    told = 0
    watches = list(Watch.objects.select_related("user"))
    for version in (
        DataLoad.objects.filter(kind=DataLoad.Kind.SCHEDULE)
        .exclude(pk__in=TariffScan.objects.values("version"))
        .order_by("effective_date")
    ):
        with transaction.atomic():
            TariffScan.objects.create(version=version)
            changes = {}
            for change in Change.objects.filter(version=version).order_by("code", "treatment"):
                for watch in _watched_by(change.code, watches):
                    changes.setdefault((watch.user, watch.code), []).append(change)
            for (person, code), found in changes.items():
                told += len(
                    emit(
                        "tariff.watched_changed",
                        people=[person],
                        key=f"tariff:{version.pk}:{code}",
                        link=reverse("tariff:classification", args=[code]) if len(code) == 10 else "",
                        context={
                            "code": code,
                            "version": version.label,
                            "effective_date": version.effective_date.isoformat(),
                            "changes": ", ".join(f"{c.code} {c.treatment}".strip() for c in found[:10]),
                        },
                    )
                )
    return told


def kinds() -> list:
    return list(KINDS.values())

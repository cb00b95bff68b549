"""My notifications (the inbox: read, unread, archive), my preferences (channels per event, phone
number, daily digest), a business's defaults (its BAMs), and my tariff watches. A person reaches only
their own notifications; a business's defaults go through the rights kernel (ADMINISTER)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

import rights
from businesses.models import Business
from rights import Action
from rights.policy import signed_in

from . import services
from .catalogue import Channel
from .forms import ProfileForm, WatchForm
from .models import BusinessDefault, Notification, Watch

PAGE_SIZE = 50
CHANNELS = [
    (Channel.INBOX, _lazy("Portal inbox")),
    (Channel.EMAIL, _lazy("Email")),
    (Channel.SMS, _lazy("Text message (SMS)")),
]


def _mine(request, pk):
    return rights.get_visible_or_404(Notification.objects.filter(recipient=request.user), request, pk=pk)


@signed_in
def inbox(request):
    archived = request.GET.get("archived") == "1"
    notifications = Notification.objects.filter(recipient=request.user, in_inbox=True, archived_at__isnull=not archived)
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": notifications.prefetch_related("deliveries")[:PAGE_SIZE],
            "archived": archived,
        },
    )


@signed_in
@require_POST
def mark(request, pk):
    services.mark_read(request.user, _mine(request, pk), read=request.POST.get("read") != "0")
    return redirect("notifications:inbox")


@signed_in
@require_POST
def archive(request, pk):
    services.archive(request.user, _mine(request, pk))
    messages.success(request, _("The notification was archived."))
    return redirect("notifications:inbox")


@signed_in
@require_POST
def read_all(request):
    services.mark_all_read(request.user)
    return redirect("notifications:inbox")


def _chosen(post) -> dict:
    return {kind.code: {ch for ch in Channel.ALL if f"{kind.code}:{ch}" in post} for kind in services.kinds()}


def _rows(current: dict, errors: dict) -> list:
    return [
        {"kind": kind, "channels": current[kind.code], "error": errors.get(kind.code, "")} for kind in services.kinds()
    ]


def _save_all(chosen: dict, current: dict, save) -> dict:
    """Save each changed kind with `save(kind, channels)`; all or nothing. Kind → error message."""
    errors = {}
    with transaction.atomic():
        for kind, channels in chosen.items():
            if channels == current[kind]:
                continue
            try:
                save(kind, channels)
            except ValidationError as error:
                errors[kind] = error.messages[0]
        if errors:
            transaction.set_rollback(True)
    return errors


@signed_in
def preferences(request):
    user = request.user
    profile = services.profile_of(user)
    form = ProfileForm(request.POST or None, initial={"phone": profile.phone, "daily_digest": profile.daily_digest})
    current = {kind.code: services.channels_for(user, kind.code) for kind in services.kinds()}
    errors = {}
    if request.method == "POST":
        current = _chosen(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.set_profile(user, request=request, **form.cleaned_data)
                    before = {kind.code: services.channels_for(user, kind.code) for kind in services.kinds()}
                    errors = _save_all(
                        current, before, lambda kind, ch: services.set_preference(user, kind, ch, request)
                    )
                    if errors:
                        transaction.set_rollback(True)
            except ValidationError as error:
                form.add_error("phone", error.messages[0])
            if not errors and form.is_valid():
                messages.success(request, _("Your notification preferences were saved."))
                return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "rows": _rows(current, errors),
            "channels": CHANNELS,
            "errors": errors,
            "managed": Business.objects.visible_to(request, Action.ADMINISTER).order_by("legal_name"),
        },
    )


@signed_in
def business_defaults(request, bn9):
    business = rights.get_visible_or_404(Business.objects.visible_to(request, Action.ADMINISTER), request, bn9=bn9)
    defaults = {d.kind: d.channels() for d in BusinessDefault.objects.filter(business=business)}
    current = {kind.code: defaults.get(kind.code, set(kind.channels)) for kind in services.kinds()}
    errors = {}
    if request.method == "POST":
        chosen = _chosen(request.POST)
        errors = _save_all(
            chosen, current, lambda kind, ch: services.set_business_default(request, business, kind, ch, request)
        )
        if not errors:
            messages.success(
                request, _("The notification defaults of %(business)s were saved.") % {"business": business.legal_name}
            )
            return redirect("notifications:business_defaults", bn9=business.bn9)
        current = chosen
    return render(
        request,
        "notifications/business_defaults.html",
        {"business": business, "rows": _rows(current, errors), "channels": CHANNELS, "errors": errors},
    )


@signed_in
def watches(request):
    form = WatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watch = services.add_watch(request.user, form.cleaned_data["code"], request=request)
        except ValidationError as error:
            form.add_error("code", error.messages[0])
        else:
            messages.success(request, _("You now watch %(code)s.") % {"code": watch.code})
            return redirect("notifications:watches")
    return render(
        request, "notifications/watches.html", {"form": form, "watches": Watch.objects.filter(user=request.user)}
    )


@signed_in
@require_POST
def remove_watch(request, pk):
    watch = rights.get_visible_or_404(Watch.objects.filter(user=request.user), request, pk=pk)
    services.remove_watch(request.user, watch, request=request)
    messages.success(request, _("You no longer watch %(code)s.") % {"code": watch.code})
    return redirect("notifications:watches")

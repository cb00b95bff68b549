"""EDI pages (issue #22): the channel (callback, format, secret rotation, subscriptions of the
business's accounts), the message log with each raw message and its response, the delivery log.
A person sees the channels of the businesses they work for (edi.channels.businesses_of); every
change goes through edi.channels, which checks rights and audits."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

import rights
from businesses.models import ProgramAccount
from registry.bn import Program
from rights.policy import signed_in

from . import channels
from .forms import ChannelForm, SubscriptionForm
from .models import Channel, Delivery, Message, Subscription

PAGE_SIZE = 25


def _business(request):
    """The business the pages are about: ?business=BN9 among those the person works for, else the first."""
    businesses = channels.businesses_of(request).order_by("legal_name")
    chosen = request.GET.get("business") or request.POST.get("business")
    business = businesses.filter(bn9=chosen).first() if chosen else businesses.first()
    if business is None:
        raise Http404
    return business, businesses


def _subscription_form(request, business, data=None):
    accounts = ProgramAccount.objects.filter(business=business, program=Program.IMPORT_EXPORT).order_by("number")
    choices = {c.pk: c for account in accounts for c in channels.channels_for(account)}.values()
    return SubscriptionForm(data, accounts=accounts, channels=choices), accounts


@signed_in
def channel(request):
    business, businesses = _business(request)
    current = Channel.objects.filter(business=business).first()
    form = ChannelForm(initial={"callback_url": current.callback_url, "format": current.format} if current else None)
    subscription_form, accounts = _subscription_form(request, business)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "save":
            form = ChannelForm(request.POST)
            if form.is_valid():
                outcome = channels.configure(request, business, request=request, **form.cleaned_data)
                if outcome.error:
                    messages.error(request, str(outcome.error[2]))
                else:
                    if outcome.secret:
                        messages.warning(
                            request, _("Your shared secret (shown once): %(secret)s") % {"secret": outcome.secret}
                        )
                    messages.success(request, _("Your EDI channel was saved."))
                    return redirect(f"{request.path}?business={business.bn9}")
        elif action == "rotate":
            outcome = channels.rotate(request, business, request=request)
            if outcome.error:
                messages.error(request, str(outcome.error[2]))
            else:
                messages.warning(
                    request, _("Your new shared secret (shown once): %(secret)s") % {"secret": outcome.secret}
                )
            return redirect(f"{request.path}?business={business.bn9}")
        elif action == "subscribe":
            subscription_form, accounts = _subscription_form(request, business, request.POST)
            if subscription_form.is_valid():
                data = subscription_form.cleaned_data
                account = accounts.get(number=data["program_account"])
                target = Channel.objects.filter(business__bn9=data["channel"]).first() if data["channel"] else None
                outcome = channels.subscribe(request, account, data["document"], target, request=request)
                if outcome.error:
                    messages.error(request, str(outcome.error[2]))
                else:
                    messages.success(request, _("The subscription was saved."))
                    return redirect(f"{request.path}?business={business.bn9}")
    subscriptions = Subscription.objects.filter(program_account__in=accounts).select_related(
        "program_account", "channel__business"
    )
    return render(request, "edi/channel.html", {
        "business": business, "businesses": businesses, "current": current, "form": form,
        "subscription_form": subscription_form, "subscriptions": subscriptions,
    })  # fmt: skip


@signed_in
@require_GET
def message_log(request):
    business, businesses = _business(request)
    found = Message.objects.visible_to(request).filter(business=business)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "edi/messages.html", {"business": business, "businesses": businesses, "page": page})


@signed_in
@require_GET
def message_detail(request, correlation_id):
    visible = Message.objects.visible_to(request).select_related("business")
    message = rights.get_visible_or_404(visible, request, correlation_id=correlation_id)
    replies = message.replies.order_by("id")
    return render(request, "edi/message.html", {"message": message, "replies": replies, "business": message.business})


@signed_in
@require_GET
def delivery_log(request):
    business, businesses = _business(request)
    found = Delivery.objects.visible_to(request).filter(channel__business=business).select_related("message")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "edi/deliveries.html", {"business": business, "businesses": businesses, "page": page})

"""The border's pages (officers holding RELEASE_GOODS): record a release, and the queue of cash CADs
awaiting release, each released by a button once paid (refused with the reason otherwise)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

import rights
from declarations.models import Declaration
from rights import Action
from rights.policy import officer

from . import services
from .forms import ReleaseForm
from .models import Mode, Release

RECENT = 20


@officer
@require_http_methods(["GET", "POST"])
def releases(request):
    rights.require(request, Action.RELEASE_GOODS, request=request)
    form = ReleaseForm(request.POST or None, initial={"mode": Mode.RMD})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.record_release(request, **form.release(), request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = (
                _("Release %(number)s recorded.") if recorded.created else _("Release %(number)s was already recorded.")
            )
            messages.success(request, text % {"number": recorded.release.transaction_number})
            return redirect("releases:releases")
    cash = [(declaration, services.left_to_pay(declaration)) for declaration in services.cash_cads_awaiting_release()]
    recent = Release.objects.select_related("program_account", "submitted_by_business").order_by("-created_at")
    context = {"form": form, "cash_cads": cash, "recent": recent[:RECENT]}
    return render(request, "releases/officer.html", context)


@officer
@require_POST
def release_cash_cad(request, transaction_number):
    rights.require(request, Action.RELEASE_GOODS, request=request)
    declaration = get_object_or_404(Declaration, transaction_number=transaction_number)
    try:
        release = services.release_paid_cash_cad(request, declaration, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        text = _("The goods of CAD %(number)s are released (%(day)s).")
        messages.success(
            request, text % {"number": release.transaction_number, "day": release.release_date.isoformat()}
        )
    return redirect("releases:releases")

from django.shortcuts import render

import rights
from rights import Action
from rights.policy import signed_in

from .models import Business, ProgramAccount


@signed_in
def my_businesses(request):
    # The person's own businesses: an officer's view of every client is the workbench's client 360
    businesses = rights.held(Business.objects.all(), request).prefetch_related("program_accounts")
    return render(request, "businesses/list.html", {"businesses": businesses})


@signed_in
def profile(request, bn9):
    business = rights.get_visible_or_404(Business.objects.visible_to(request), request, bn9=bn9)
    # the person's roles and the lone-BAM warning come from access's template tags (access_roles)
    return render(
        request,
        "businesses/profile.html",
        {
            "business": business,
            "may_manage_people": rights.may(request, Action.MANAGE_PEOPLE, business),
        },
    )


@signed_in
def program_accounts(request):
    accounts = rights.held(ProgramAccount.objects.all(), request).select_related("business")
    editable = set(ProgramAccount.objects.visible_to(request, Action.TRANSACT).values_list("pk", flat=True))
    return render(request, "businesses/program_accounts.html", {"accounts": accounts, "editable": editable})

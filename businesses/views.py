from django.shortcuts import render

from access import authz
from access.authz import Action
from access.services import bam_count, program_roles_for
from portal.policy import signed_in

from .models import Business, ProgramAccount


@signed_in
def my_businesses(request):
    businesses = Business.objects.visible_to(request).prefetch_related("program_accounts")
    return render(request, "businesses/list.html", {"businesses": businesses})


@signed_in
def profile(request, bn9):
    business = authz.get_visible_or_404(Business.objects.visible_to(request), request, bn9=bn9)
    return render(
        request,
        "businesses/profile.html",
        {
            "business": business,
            "roles": program_roles_for(request, business),
            "may_manage_people": authz.may(request, Action.MANAGE_PEOPLE, business),
            "lone_bam": authz.may(request, Action.ADMINISTER, business) and bam_count(business) == 1,
        },
    )


@signed_in
def program_accounts(request):
    accounts = ProgramAccount.objects.visible_to(request).select_related("business")
    editable = set(ProgramAccount.objects.visible_to(request, Action.TRANSACT).values_list("pk", flat=True))
    return render(request, "businesses/program_accounts.html", {"accounts": accounts, "editable": editable})

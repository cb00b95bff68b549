"""Request access to my employer; Manage my employees (members, roles, requests, groups).
Every object is fetched through the rights kernel; the services check the decision itself."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import rights
from accounts.models import User
from businesses.models import Business, ProgramAccount
from rights import Action
from rights.policy import signed_in

from . import services
from .forms import AccessRequestForm, DecisionForm, GroupForm, RoleAssignmentForm
from .models import AccessRequest, EmployeeGroup


def write_refused(request, what):
    """What a person gets instead of a form they could not send (a Reader opening a page that
    changes things): why — their roles let them view only — and who gives access. Status 403."""
    context = {"what": what, "givers": services.access_givers(request)}
    return render(request, "access/write_refused.html", context, status=403)


def _managed_business(request, bn9, action=Action.MANAGE_PEOPLE):
    return rights.get_visible_or_404(Business.objects.visible_to(request, action), request, bn9=bn9)


def _manageable_accounts(request, business):
    return ProgramAccount.objects.visible_to(request, Action.MANAGE_PEOPLE).filter(business=business)


def _refuse_forged(request, form):
    """A posted program account the form did not offer is looked up like any id from a client:
    404, and an audit entry when it exists out of reach."""
    for number in form.unknown_accounts():
        rights.get_visible_or_404(
            ProgramAccount.objects.visible_to(request, Action.MANAGE_PEOPLE), request, number=number
        )


@signed_in
def request_access(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_access(request.user, form.cleaned_data["bn"], form.cleaned_data["note"], request=request)
        except ValidationError as error:
            form.add_error("bn", error)
        else:
            messages.success(request, _("Your request was sent to the business's managers."))
            return redirect("access:request")
    mine = request.user.access_requests.select_related("business")
    return render(request, "access/request.html", {"form": form, "access_requests": mine})


@signed_in
@require_POST
def withdraw(request, pk):
    access_request = rights.get_visible_or_404(request.user.access_requests.all(), request, pk=pk)
    try:
        services.withdraw_request(request.user, access_request, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("access:request")


@signed_in
def employees(request, bn9):
    business = _managed_business(request, bn9)
    return render(
        request,
        "access/employees.html",
        {
            "business": business,
            "members": services.members_of(business),
            "pending": AccessRequest.objects.visible_to(request)
            .filter(business=business, status=AccessRequest.Status.PENDING)
            .select_related("user"),
            "groups": business.employee_groups.prefetch_related("members", "role_grants__program_account"),
            "may_administer": rights.may(request, Action.ADMINISTER, business),
            "bam_count": services.bam_count(business),
        },
    )


@signed_in
def decide(request, bn9, pk):
    business = _managed_business(request, bn9)
    access_request = rights.get_visible_or_404(
        AccessRequest.objects.visible_to(request).filter(business=business), request, pk=pk
    )
    may_administer = rights.may(request, Action.ADMINISTER, business)
    form = DecisionForm(request.POST or None, accounts=_manageable_accounts(request, business), with_bam=may_administer)
    if request.method == "POST":
        _refuse_forged(request, form)
        if form.is_valid():
            approve = request.POST.get("decision") == "approve"
            try:
                services.decide_request(
                    request,
                    access_request,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                    roles=form.roles(),
                    make_bam=form.cleaned_data.get("bam", False),
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The request was approved.") if approve else _("The request was rejected."))
                return redirect("access:employees", bn9=business.bn9)
    return render(request, "access/decide.html", {"business": business, "access_request": access_request, "form": form})


@signed_in
def member(request, bn9, user_id):
    business = _managed_business(request, bn9)
    members = {m.user.pk: m for m in services.members_of(business)}
    if user_id not in members:
        rights.get_visible_or_404(User.objects.none(), request, pk=user_id)
    person = members[user_id]
    may_administer = rights.may(request, Action.ADMINISTER, business)
    form = RoleAssignmentForm(
        request.POST or None,
        accounts=_manageable_accounts(request, business),
        current=person.roles,
        with_bam=may_administer,
        is_bam=person.is_bam,
    )
    if request.method == "POST":
        _refuse_forged(request, form)
        if form.is_valid():
            try:
                _save_member(request, business, person, form, may_administer)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The roles were saved. They apply from the person's next page."))
                return redirect("access:employees", bn9=business.bn9)
    return render(
        request,
        "access/member.html",
        {
            "business": business,
            "person": person,
            "form": form,
            "may_administer": may_administer,
        },
    )


@transaction.atomic
def _save_member(request, business, person, form, may_administer):
    if may_administer and form.cleaned_data["bam"]:
        services.appoint_bam(request, business, person.user, request=request)
    elif may_administer:
        services.remove_bam(request, business, person.user, request=request)
    services.set_roles(request, business, form.roles(), user=person.user, request=request)


@signed_in
@require_POST
def remove_member(request, bn9, user_id):
    business = _managed_business(request, bn9, Action.ADMINISTER)
    person = rights.get_visible_or_404(
        User.objects.filter(pk__in=[m.user.pk for m in services.members_of(business)]), request, pk=user_id
    )
    try:
        services.remove_member(request, business, person, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("access:member", bn9=business.bn9, user_id=person.pk)
    messages.success(request, _("%(name)s no longer has access to this business.") % {"name": person})
    return redirect("access:employees", bn9=business.bn9)


@signed_in
def group(request, bn9, pk=None):
    business = _managed_business(request, bn9, Action.ADMINISTER)
    existing = rights.get_visible_or_404(business.employee_groups.all(), request, pk=pk) if pk else None
    current = dict(existing.role_grants.values_list("program_account__number", "role")) if existing else {}
    initial = {"name": existing.name, "members": [str(u.pk) for u in existing.members.all()]} if existing else None
    form = GroupForm(
        request.POST or None,
        initial=initial,
        accounts=_manageable_accounts(request, business),
        current=current,
        people=[m.user for m in services.members_of(business)],
    )
    if request.method == "POST":
        _refuse_forged(request, form)
        if form.is_valid():
            try:
                services.save_group(
                    request,
                    business,
                    name=form.cleaned_data["name"],
                    members=form.chosen_members(),
                    roles=form.roles(),
                    group=existing,
                    request=request,
                )
            except ValidationError as error:
                form.add_error("name" if error.code == "duplicate_group" else None, error)
            else:
                messages.success(request, _("The group was saved."))
                return redirect("access:employees", bn9=business.bn9)
    return render(request, "access/group.html", {"business": business, "group": existing, "form": form})


@signed_in
@require_POST
def delete_group(request, bn9, pk):
    business = _managed_business(request, bn9, Action.ADMINISTER)
    existing = rights.get_visible_or_404(EmployeeGroup.objects.filter(business=business), request, pk=pk)
    services.delete_group(request, existing, request=request)
    messages.success(request, _("The group was deleted."))
    return redirect("access:employees", bn9=business.bn9)

"""Manage my business relationships (received / sent requests, relationships with their terms),
send a request, approve with terms, the provider's clients and who works on them (one by one or
through client groups), and the client switcher. Objects come through the rights kernel; the services
check every decision again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import rights
from access.services import members_of
from businesses.models import Business
from delegation.relationships import client_relationships
from rights import Action
from rights.policy import signed_in

from . import services
from .bulk import bulk_request
from .filters import RelationshipFilter
from .forms import AssignmentForm, BulkRequestForm, ClientGroupForm, ReasonForm, RequestForm, TermsForm
from .models import PROVIDER_KINDS, ClientAssignment, ClientGroup, Relationship


def _business(request, bn9, action=Action.MANAGE_RELATIONSHIPS):
    return rights.get_visible_or_404(Business.objects.visible_to(request, action), request, bn9=bn9)


def _relationship(request, business, pk):
    return rights.get_visible_or_404(
        Relationship.objects.visible_to(request).filter(Q(importer=business) | Q(provider=business)), request, pk=pk
    )


@signed_in
def manage(request, bn9):
    business = _business(request, bn9)
    filters = RelationshipFilter(
        request.GET,
        Relationship.objects.visible_to(request)
        .filter(Q(importer=business) | Q(provider=business))
        .select_related("provider", "importer")
        .prefetch_related("program_accounts"),
        request=request,
    )
    relationships = filters.qs if filters.is_valid() else Relationship.objects.none()
    pending = [r for r in relationships if r.status == Relationship.Status.PENDING]
    side = Relationship.Side.PROVIDER if business.kind in PROVIDER_KINDS else Relationship.Side.IMPORTER
    return render(
        request,
        "delegation/manage.html",
        {
            "business": business,
            "is_provider": side == Relationship.Side.PROVIDER,
            "received": [r for r in pending if r.initiated_by != side],
            "sent": [r for r in pending if r.initiated_by == side],
            "active": [r for r in relationships if r.is_in_force],
            "past": [r for r in relationships if r.status != Relationship.Status.PENDING and not r.is_in_force],
            "may_send": rights.may(request, Action.ADMINISTER, business),
            "form": filters.form,
            "filtered": any(request.GET.values()),
        },
    )


@signed_in
def send(request, bn9):
    business = _business(request, bn9, Action.ADMINISTER)
    inviting = business.kind not in PROVIDER_KINDS
    form = RequestForm(request.POST or None, inviting=inviting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {"scope": data["scope"], "accounts": form.account_numbers(), "note": data["note"], "request": request}
        try:
            if inviting:
                payments = data["allows_payments"]
                services.invite_provider(request, business, data["bn"], allows_payments=payments, **options)
            else:
                services.request_relationship(request, business, data["bn"], **options)
        except ValidationError as error:
            form.add_error("bn", error)
        else:
            messages.success(request, _("Your request was sent."))
            return redirect("delegation:manage", bn9=business.bn9)
    return render(request, "delegation/send.html", {"business": business, "form": form})


@signed_in
def send_bulk(request, bn9):
    """A provider sends many requests from a CSV file and gets a report line per row."""
    business = _business(request, bn9, Action.ADMINISTER)
    if business.kind not in PROVIDER_KINDS:
        rights.get_visible_or_404(Business.objects.none(), request, bn9=bn9)
    form = BulkRequestForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = bulk_request(request, business, form.cleaned_data["file"], request=request)
        except ValidationError as error:
            form.add_error("file", error)
    return render(request, "delegation/send_bulk.html", {"business": business, "form": form, "report": report})


@signed_in
def relationship(request, bn9, pk):
    business = _business(request, bn9)
    item = _relationship(request, business, pk)
    decides = item.status == Relationship.Status.PENDING and services.may_decide(request, item)
    manages = item.is_in_force and item.importer_id == business.pk and services.may_manage_as_importer(request, item)
    if decides:
        initial = services.default_terms(item)
    else:
        initial = {
            "scope": item.scope,
            "expires_on": item.expires_on,
            "sees_provider": item.sees_provider_records,
            "sees_importer": item.sees_importer_records,
            "sees_others": item.sees_other_records,
            "allows_payments": item.allows_payments,
        }
    if initial["expires_on"]:  # shown as typed back (YYYY-MM-DD), not in the language's date format
        initial["expires_on"] = initial["expires_on"].isoformat()
    form = None
    if decides and item.initiated_by == Relationship.Side.IMPORTER:
        form = ReasonForm(request.POST or None)
    elif decides or manages:
        form = TermsForm(
            request.POST or None,
            initial=initial,
            accounts=item.importer.program_accounts.all(),
            chosen=initial.get("accounts") or item.program_accounts.all(),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        decision = request.POST.get("decision")
        try:
            if decides and decision == "reject":
                services.reject(request, item, reason=form.cleaned_data["reason"], request=request)
                messages.success(request, _("The request was rejected."))
            elif decides:
                services.approve(request, item, request=request, **form.terms())
                messages.success(request, _("The request was approved. It applies at once."))
            else:
                services.change_terms(request, item, request=request, **form.terms())
                messages.success(request, _("The terms were changed. They apply at once."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("delegation:manage", bn9=business.bn9)
    return render(
        request,
        "delegation/relationship.html",
        {
            "business": business,
            "item": item,
            "form": form,
            "decides": decides,
            "may_end": item.status == Relationship.Status.PENDING or item.is_in_force,
        },
    )


@signed_in
@require_POST
def end(request, bn9, pk):
    business = _business(request, bn9)
    item = _relationship(request, business, pk)
    reason = request.POST.get("reason", "")
    try:
        if item.provider_id == business.pk:
            services.end_by_provider(request, item, reason=reason, request=request)
        else:
            services.revoke(request, item, reason=reason, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The relationship was ended. It applies at once."))
    return redirect("delegation:manage", bn9=business.bn9)


@signed_in
def clients(request, bn9):
    business = _business(request, bn9, Action.ADMINISTER)
    relationships = (
        client_relationships(request)
        .in_force()
        .filter(provider=business)
        .select_related("importer")
        .prefetch_related("program_accounts", "assignments__user", "assignments__group")
    )
    return render(request, "delegation/clients.html", {"business": business, "relationships": relationships})


@signed_in
def staff(request, bn9, pk):
    business = _business(request, bn9, Action.ADMINISTER)
    item = rights.get_visible_or_404(client_relationships(request).in_force().filter(provider=business), request, pk=pk)
    form = _assignment_form(business, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(request, item, form.cleaned_data["role"] or None, request=request, **form.holder())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The assignment was saved. It applies at once."))
            return redirect("delegation:staff", bn9=business.bn9, pk=item.pk)
    assignments = item.assignments.select_related("user", "group")
    through_groups = ClientAssignment.objects.filter(client_group__relationships=item).select_related(
        "user", "group", "client_group"
    )
    return render(
        request,
        "delegation/staff.html",
        {
            "business": business,
            "item": item,
            "form": form,
            "assignments": assignments,
            "through_groups": through_groups,
        },
    )


def _assignment_form(business, data):
    return AssignmentForm(
        data,
        people=[m.user for m in members_of(business)],
        groups=business.employee_groups.all(),
    )


def _offered_clients(business, client_group=None):
    """The clients a client group can hold: those in force, and those it holds already."""
    held = Q(client_groups=client_group) if client_group is not None else Q(pk__in=[])
    return (
        Relationship.objects.filter(Q(pk__in=Relationship.objects.in_force().values("pk")) | held, provider=business)
        .select_related("importer")
        .distinct()
        .order_by("importer__legal_name")
    )


@signed_in
def client_groups(request, bn9):
    """The provider's BAM groups its clients and creates a group."""
    business = _business(request, bn9, Action.ADMINISTER)
    form = ClientGroupForm(request.POST or None, relationships=_offered_clients(business))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.save_client_group(
                request, business, name=form.cleaned_data["name"], relationships=form.checked(), request=request
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The client group was saved. Now assign who works on it."))
            return redirect("delegation:client_group", bn9=business.bn9, pk=created.pk)
    groups = (
        ClientGroup.objects.visible_to(request)
        .filter(provider=business)
        .prefetch_related("relationships__importer", "assignments__user", "assignments__group")
    )
    return render(request, "delegation/client_groups.html", {"business": business, "form": form, "groups": groups})


@signed_in
def client_group(request, bn9, pk):
    """One client group: its name and clients, and who works on all of them."""
    business = _business(request, bn9, Action.ADMINISTER)
    item = rights.get_visible_or_404(ClientGroup.objects.visible_to(request).filter(provider=business), request, pk=pk)
    step = request.POST.get("step") if request.method == "POST" else None
    form = ClientGroupForm(
        request.POST if step == "clients" else None,
        initial={"name": item.name},
        relationships=_offered_clients(business, item),
        chosen=item.relationships.all(),
    )
    assign_form = _assignment_form(business, request.POST if step == "assign" else None)
    saved = False
    try:
        if step == "clients" and form.is_valid():
            name, clients = form.cleaned_data["name"], form.checked()
            services.save_client_group(
                request, business, name=name, relationships=clients, client_group=item, request=request
            )
            saved = True
        elif step == "assign" and assign_form.is_valid():
            role = assign_form.cleaned_data["role"] or None
            services.assign_client_group(request, item, role, request=request, **assign_form.holder())
            saved = True
    except ValidationError as error:
        (form if step == "clients" else assign_form).add_error(None, error)
    if saved:
        messages.success(request, _("The client group was saved. It applies at once."))
        return redirect("delegation:client_group", bn9=business.bn9, pk=item.pk)
    return render(
        request,
        "delegation/client_group.html",
        {
            "business": business,
            "item": item,
            "form": form,
            "assign_form": assign_form,
            "assignments": item.assignments.select_related("user", "group"),
        },
    )


@signed_in
@require_POST
def delete_client_group(request, bn9, pk):
    business = _business(request, bn9, Action.ADMINISTER)
    item = rights.get_visible_or_404(ClientGroup.objects.visible_to(request).filter(provider=business), request, pk=pk)
    services.delete_client_group(request, item, request=request)
    messages.success(request, _("The client group was deleted. It applies at once."))
    return redirect("delegation:client_groups", bn9=business.bn9)


@signed_in
@require_POST
def switch_client(request):
    """The client switcher: every later page and call is narrowed to the chosen client."""
    chosen = request.POST.get("client", "").strip()
    if chosen and chosen not in rights.clients_of(request.user):
        rights.get_visible_or_404(Business.objects.none(), request, bn9=chosen)  # audited when it exists
    if chosen:
        request.session[rights.ACTING_FOR_SESSION_KEY] = chosen
        client = Business.objects.filter(bn9=chosen).first()
        messages.success(request, _("You now act for %(name)s (%(bn)s).") % {"name": client.legal_name, "bn": chosen})
    else:
        request.session.pop(rights.ACTING_FOR_SESSION_KEY, None)
        messages.success(request, _("You now act for your own business."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or f"/{translation.get_language()}/")  # the switcher keeps the page's language

"""Security pages: the positions of the RM accounts a person may see (an importer's own; a broker's
clients, before filing: enrolled? sufficiently secured?), an account's security with the working of
its requirement and the importer's requests, and the officers' queue. Everything through services."""

import csv
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import rights
from businesses.models import ProgramAccount
from payments.forms import CardForm, KeyForm
from payments.services import card_limit
from rights import Action
from rights.policy import officer, signed_in

from . import rules, services
from .api import CSV_COLUMNS, PositionOut
from .forms import BondForm, DecisionForm, DepositForm, EnrolmentForm, ModificationForm
from .models import Bond, BondAllocation, CashDeposit, ModificationRequest


@signed_in
def positions(request):
    return render(request, "security/positions.html", {"positions": services.positions(request)})


@signed_in
def positions_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="security-positions.csv"'
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(PositionOut(services.positions(request), many=True).data)
    return response


def _account(request, number) -> ProgramAccount:
    accounts = ProgramAccount.objects.select_related("business")
    if not rights.may(request, Action.VIEW_CLIENTS):
        accounts = accounts.visible_to(request, Action.VIEW)
    return rights.get_visible_or_404(accounts, request, number=number)


ACTIONS = {
    "enrol": lambda request, account, data: services.request_enrolment(request, account, request=request),
    "modify": lambda request, account, data: services.request_modification(
        request, account, data["proposed_amount"], data["rationale"], request=request
    ),
    "bond": lambda request, account, data: services.enter_bond(
        request,
        account,
        data["provider"],
        number=data["number"],
        amount=data["amount"],
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        paper=data["paper"],
        program=data["program"],
        request=request,
    ),
    "deposit": lambda request, account, data: services.open_deposit(
        request, account, data["amount"], program=data["program"], request=request
    ),
    "status": lambda request, account, data: services.decide_enrolment(
        request.user, account, data["status"], data["reason"], request=request
    ),
}
FORMS = {"modify": ModificationForm, "bond": BondForm, "deposit": DepositForm, "status": EnrolmentForm}
DONE = {
    "enrol": gettext_lazy("Your request to enrol in release prior to payment was recorded."),
    "modify": gettext_lazy("Your request to modify the calculation was sent to CBSA."),
    "bond": gettext_lazy("The bond was recorded: it counts once confirmed."),
    "deposit": gettext_lazy("The cash deposit was opened: pay it to have it count."),
    "status": gettext_lazy("The RPP status was changed."),
}


@signed_in
def account(request, number):
    account = _account(request, number)
    forms = {name: form(prefix=name) for name, form in FORMS.items()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        form = FORMS[action](request.POST, prefix=action) if action in FORMS else None
        if form is None or form.is_valid():
            try:
                ACTIONS[action](request, account, form.cleaned_data if form else {})
            except ValidationError as error:
                (form.add_error(None, error.messages[0]) if form else messages.error(request, error.messages[0]))
            else:
                messages.success(request, DONE[action])
                return redirect("security:account", account.number)
        if form is not None:
            forms[action] = form
    held = services.position(account)
    requirement = held.requirement
    return render(
        request,
        "security/account.html",
        {
            "account": account,
            "position": held,
            "requirement": requirement,
            "working": services.working(requirement),
            "allocations": BondAllocation.objects.filter(program_account=account).select_related("bond__provider"),
            "deposits": CashDeposit.objects.filter(program_account=account).order_by("-created_at"),
            "requests": ModificationRequest.objects.filter(program_account=account).order_by("-requested_at"),
            "forms": forms,
            "may_manage": rights.may(request, Action.MANAGE_BANKING, account),
            "may_decide": rights.may(request, Action.MANAGE_SECURITY),
            "rules": rules,
            "bond_percent": int(rules.BOND_RATE * 100),
        },
    )


@signed_in
def pay_deposit(request, number, pk):
    """Pay a cash deposit by credit card: payments' card path (its limit counts deposits, CARM
    Bulletin 5408), then the receipt; the deposit is held once the payment completes."""
    account = _account(request, number)
    deposit = rights.get_visible_or_404(CashDeposit.objects.filter(program_account=account), request, pk=pk)
    card = CardForm(request.POST or None, prefix="card")
    key = KeyForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST" and key.is_valid() and card.is_valid():
        try:
            payment, _created = services.pay_deposit(
                request, deposit, key=key.cleaned_data["key"], card=card.token, request=request
            )
        except ValidationError as error:
            card.add_error(None, error.messages[0])
        else:
            return redirect("payments:receipt", reference=payment.reference)
    return render(
        request,
        "security/pay_deposit.html",
        {"account": account, "deposit": deposit, "card": card, "key": key, "limit": card_limit(account)},
    )


@officer
def queue(request):
    return render(request, "security/queue.html", {"items": services.officer_queue(request), "form": DecisionForm()})


@officer
def decide(request, kind, pk):
    if request.method != "POST":
        return redirect("security:queue")
    rights.require(request, Action.MANAGE_SECURITY, request=request)
    try:
        if kind == "modification":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a decision and give its reason."))
                return redirect("security:queue")
            modification = ModificationRequest.objects.get(pk=pk)
            services.decide_modification(
                request.user, modification, form.cleaned_data["approve"], form.cleaned_data["reason"], request=request
            )
        elif kind == "paper_bond":
            services.confirm_bond(request.user, Bond.objects.get(pk=pk), request=request)
        else:
            raise Http404
    except (ModificationRequest.DoesNotExist, Bond.DoesNotExist):
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("security:queue")

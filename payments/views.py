"""Payment pages: pay one or several program accounts (card or PAD), the receipt (page and PDF),
my payments, PAD agreements, and the officers' remittance import. Accounts come from the rights kernel
(Action.PAY to pay, Action.MANAGE_BANKING for PAD agreements); refunds are the ledger's own pages."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import rights
from access.views import write_refused
from businesses.models import ProgramAccount
from ledger.balances import ZERO, cents
from ledger.models import Allocation, LedgerEntry, accounts_with_documents
from rights import Action
from rights.policy import officer, signed_in

from . import receipts, services
from .filters import PaymentFilter
from .forms import CardForm, LineForm, PadAgreementForm, PadPaymentForm, PaymentForm, RemittanceForm
from .models import Method, PadAgreement, Payment, RemittanceImport, payments_for
from .remittance import import_remittance

OPEN_ROWS_SHOWN = 50  # [DESIGN] rows of open transactions per account on the pay page


def _line_forms(request, accounts, selected):
    forms = []
    with_totals = set(accounts_with_documents(request).values_list("pk", flat=True))
    for account in accounts:
        owed = services.owing(account) if account.pk in with_totals else None  # the client's visibility rules
        entries = list(services.payable_entries(request, account)[: services.MAX_TRANSACTIONS])
        initial = {"kind": "balance" if account.number in selected and owed and owed.balance > 0 else ""}
        line = LineForm(request.POST or None, account=account, owing=owed, entries=entries, initial=initial)
        line.unapplied = _unapplied_credit(account) if entries and owed else ZERO  # negative, as in the ledger
        line.card_limit = services.card_limit(account)  # CARM Bulletin 5408: shown on the page
        line.rows = services.open_rows(entries)[:OPEN_ROWS_SHOWN]  # daily interest as one row a run
        for row in line.rows:
            row.ticked = set(row.ids) <= line.checked
        line.with_interest = any(row.run for row in line.rows)
        forms.append(line)
    return forms


def _unapplied_credit(account) -> Decimal:
    """The account's credits not applied to a debit yet (offsetting applies them on the debits' due
    dates, overdue first): the open transactions' "left to pay" does not count them, so the page
    shows them as a line of their own and the column adds up to no more than the balance."""
    credits = LedgerEntry.objects.filter(program_account=account, amount__lt=0).aggregate(total=Sum("amount"))
    applied = Allocation.objects.filter(credit__program_account=account).aggregate(total=Sum("amount"))
    return cents(credits["total"]) + cents(applied["total"])


@signed_in
def pay(request):
    payable = ProgramAccount.objects.visible_to(request, Action.PAY).select_related("business").order_by("number")
    selected = request.GET.getlist("account")
    if any("\x00" in number for number in selected):  # PostgreSQL refuses the query with one (it was a 500)
        raise BadRequest
    accounts = list((payable.filter(number__in=selected) if selected else payable)[: services.MAX_ACCOUNTS])
    if not accounts:  # e.g. a Reader: told why and who gives access
        return write_refused(request, _("make a payment"))
    method = Method.PAD if request.GET.get("method") == Method.PAD else Method.CARD
    form = PaymentForm(request.POST or None, initial={"key": uuid.uuid4().hex, "method": method})
    lines = _line_forms(request, accounts, selected)
    card = CardForm(request.POST or None, prefix="card")
    agreements = PadAgreement.objects.filter(program_account__in=accounts, cancelled_at__isnull=True)
    pad = PadPaymentForm(request.POST or None, prefix="pad", agreements=agreements.select_related("program_account"))
    if request.method == "POST" and form.is_valid() and all(line.is_valid() for line in lines):
        by_card = form.cleaned_data["method"] == Method.CARD
        method_form = card if by_card else pad
        if method_form.is_valid():
            rows = [row for row in (line.row() for line in lines) if row]
            try:
                payment, _created = services.request_payment(
                    request,
                    rows,
                    key=form.cleaned_data["key"],
                    card=card.token if by_card else None,
                    agreement=None if by_card else pad.cleaned_data["agreement"],
                    debit_date=None if by_card else pad.cleaned_data["debit_date"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("payments:receipt", reference=payment.reference)
    return render(
        request,
        "payments/pay.html",
        {
            "form": form,
            "lines": lines,
            "method": method,
            "card": card,
            "pad": pad,
            "has_agreements": agreements.exists(),
            "accounts": accounts,
        },
    )


def _payment(request, reference):
    return rights.get_visible_or_404(payments_for(request), request, reference=reference)


@signed_in
def receipt(request, reference):
    payment = _payment(request, reference)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(receipts.receipt_pdf(payment), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="receipt-{payment.reference}.pdf"'
        return response
    return render(request, "payments/receipt.html", {"payment": payment, **receipts.context(payment)})


@signed_in
@require_POST
def authenticate(request, reference):
    """The sandbox stands in for the card issuer's 3-D Secure challenge: the payer confirms here."""
    payment = _payment(request, reference)
    if payment.requested_by != request.user:
        raise Http404
    services.authenticate(payment, request=request)
    return redirect("payments:receipt", reference=reference)


@signed_in
def payment_list(request):
    filters = PaymentFilter(request.GET, queryset=payments_for(request), request=request)
    payments = filters.qs[:100] if filters.is_valid() else Payment.objects.none()
    accounts = ProgramAccount.objects.visible_to(request, Action.PAY).order_by("number")[: services.MAX_ACCOUNTS]
    return render(request, "payments/list.html", {"payments": payments, "accounts": accounts, "form": filters.form})


@signed_in
def pad_agreements(request, number):
    account = rights.get_visible_or_404(ProgramAccount.objects.visible_to(request, Action.PAY), request, number=number)
    may_manage = rights.may(request, Action.MANAGE_BANKING, account)
    text = services.current_agreement_text()  # None only before the agreement text is loaded
    form = PadAgreementForm(request.POST or None, initial={"text_version": getattr(text, "version", None)})
    if request.method == "POST":
        rights.require(request, Action.MANAGE_BANKING, account, request)
        if text is not None and form.is_valid():
            try:
                services.set_up_agreement(request.user, account, form.cleaned_data, request=request)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The PAD agreement is in force."))
                return redirect("payments:pad", number=number)
    return render(
        request,
        "payments/pad.html",
        {
            "account": account,
            "agreements": account.pad_agreements.select_related("agreement_text"),
            "may_manage": may_manage and text is not None,
            "text": text.text(request.LANGUAGE_CODE) if text else "",
            "form": form,
        },
    )


@signed_in
@require_POST
def cancel_pad(request, number, pk):
    accounts = ProgramAccount.objects.visible_to(request, Action.MANAGE_BANKING)
    agreement = rights.get_visible_or_404(
        PadAgreement.objects.filter(program_account__in=accounts), request, program_account__number=number, pk=pk
    )
    services.cancel_agreement(request.user, agreement, request=request)
    messages.success(request, _("The PAD agreement was cancelled; its scheduled debits will not be made."))
    return redirect("payments:pad", number=number)


@officer
def remittance(request):
    form = RemittanceForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_remittance(upload.read(), upload.name, user=request.user, request=request)
    return render(
        request,
        "payments/remittance.html",
        {"form": form, "result": result, "imports": RemittanceImport.objects.all()[:20]},
    )

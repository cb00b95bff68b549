"""Ledger pages: account summary, transaction history, statements, daily notices, and the officers'
refund approvals. Program accounts are fetched through the rights kernel; acting needs Action.PAY."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import rights
from businesses.models import ProgramAccount
from rights import Action
from rights.policy import officer, signed_in

from . import offsetting, statements
from .balances import overdue
from .filters import EntryFilter
from .forms import PreferenceForm, RefundForm
from .models import DailyNotice, LedgerEntry, RefundRequest, Statement, accounts_with_documents
from .posting import ledger_of

PAGE_SIZE = 50


@dataclass
class EntriesPage:
    """One page of entries without a COUNT(*): a broker's client can hold hundreds of thousands of
    entries, and counting them costs more than reading the page (0.4 s for 190,000 on PostgreSQL)."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def entries_page(entries, number, size=PAGE_SIZE) -> EntriesPage:
    """Page `number` (1 when missing or malformed) of an ordered queryset: one query, one row more than
    the page to know whether another follows."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    rows = list(entries[(number - 1) * size : number * size + 1])
    return EntriesPage(rows[:size], number, len(rows) > size)


def _account(request, number, action=Action.VIEW):
    return rights.get_visible_or_404(ProgramAccount.objects.visible_to(request, action), request, number=number)


def _csv(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@signed_in
def account(request, number):
    program_account = _account(request, number)
    ledger = ledger_of(program_account)
    may_pay = rights.may(request, Action.PAY, program_account)
    documents = accounts_with_documents(request).filter(pk=program_account.pk).exists()
    preference_form = PreferenceForm(initial={"offsetting_preference": ledger.offsetting_preference})
    refund_form = RefundForm()
    if request.method == "POST":
        program_account = _account(request, number, Action.PAY)
        if "offsetting_preference" in request.POST:
            preference_form = PreferenceForm(request.POST)
            if preference_form.is_valid():
                offsetting.set_preference(
                    program_account,
                    preference_form.cleaned_data["offsetting_preference"],
                    user=request.user,
                    request=request,
                )
                messages.success(request, _("Your offsetting preference was saved."))
                return redirect("ledger:account", number=number)
        else:
            if not documents:  # a refund pays out the account's whole credit: an account-level figure
                rights.deny(request, program_account, Action.PAY, request)
            refund_form = RefundForm(request.POST)
            if refund_form.is_valid():
                try:
                    offsetting.request_refund(
                        program_account, refund_form.cleaned_data["amount"], user=request.user, request=request
                    )
                except ValidationError as error:
                    refund_form.add_error("amount", error)
                else:
                    messages.success(request, _("Your refund request was sent to CBSA."))
                    return redirect("ledger:account", number=number)
    return render(
        request,
        "ledger/account.html",
        {
            "account": program_account,
            "ledger": ledger,
            "may_pay": may_pay,
            "documents": documents,
            "overdue": overdue([program_account.pk], dt.date.today())[program_account.pk] if documents else None,
            "refundable": offsetting.refundable(program_account) if documents else None,
            "preference_form": preference_form,
            "refund_form": refund_form,
            "refunds": program_account.refund_requests.all()[:10] if documents else [],
        },
    )


@signed_in
def history(request, number):
    program_account = _account(request, number)
    filters = EntryFilter(
        request.GET,
        LedgerEntry.objects.visible_to(request)
        .filter(program_account=program_account)
        .select_related("submitted_by_business")
        .order_by("-effective_date", "-id"),
        request=request,
    )
    entries = filters.qs if filters.is_valid() else LedgerEntry.objects.none()
    form = filters.form
    if request.GET.get("format") == "csv":
        return _csv(statements.entries_csv(entries.iterator()), f"{number}-transactions.csv")
    page = entries_page(entries, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/history.html",
        {"account": program_account, "form": form, "page": page, "query": query.urlencode()},
    )


@signed_in
def statement_list(request, number):
    program_account = _account(request, number)
    statements_ = Statement.objects.visible_to(request).filter(program_account=program_account)
    return render(request, "ledger/statements.html", {"account": program_account, "statements": statements_})


@signed_in
def statement_detail(request, number, pk):
    program_account = _account(request, number)
    statement = rights.get_visible_or_404(
        Statement.objects.visible_to(request).filter(program_account=program_account), request, pk=pk
    )
    if request.GET.get("format") == "csv":
        return _csv(statements.statement_csv(statement), f"{number}-{statement.period_end}-v{statement.version}.csv")
    if request.GET.get("format") == "pdf":
        response = HttpResponse(statements.statement_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{number}-{statement.period_end}-v{statement.version}.pdf"'
        return response
    return render(request, "ledger/statement.html", statements.document(statement))


@signed_in
def notices(request, number):
    program_account = _account(request, number)
    return render(
        request,
        "ledger/notices.html",
        {
            "account": program_account,
            "notices": DailyNotice.objects.visible_to(request).filter(program_account=program_account)[:90],
        },
    )


@signed_in
def notice(request, number, day):
    program_account = _account(request, number)
    try:
        day = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    notice = rights.get_visible_or_404(
        DailyNotice.objects.visible_to(request).filter(program_account=program_account), request, day=day
    )
    entries = statements.posted_on(day).filter(program_account=program_account).select_related("submitted_by_business")
    if request.GET.get("format") == "csv":
        return _csv(statements.entries_csv(entries), f"{number}-{day}.csv")
    return render(request, "ledger/notice.html", {"account": program_account, "notice": notice, "entries": entries})


@officer
def refunds(request):
    # Each with its account's balance and a link to its history: the officer decides knowing both
    pending = RefundRequest.objects.filter(status=RefundRequest.Status.PENDING).select_related(
        "program_account__ledger", "requested_by"
    )
    return render(request, "ledger/refunds.html", {"refunds": pending})


@officer
@require_POST
def decide_refund(request, pk):
    refund = get_object_or_404(RefundRequest, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        offsetting.decide_refund(
            refund, approve=approve, officer=request.user, reason=request.POST.get("reason", ""), request=request
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The refund was approved.") if approve else _("The refund was rejected."))
    return redirect("ledger:refunds")

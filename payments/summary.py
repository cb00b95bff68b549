"""What each program account owes, where people look for it (the dashboard, the Financials page):
the balance, the amount due and its due date, what is overdue, the interest charged since the last
statement and the rate it accrues at, and the alerts these figures call for. One reading of the
ledger's rules: the amount due is `services.owing`, the overdue amount `ledger.balances.overdue`
(the statement's own figure), the rate `ledger.interest.Rates`. Read-only: nothing is posted here."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Sum
from django.utils import timezone

from businesses.models import ProgramAccount
from ledger.balances import ZERO, cents, overdue
from ledger.interest import Rates
from ledger.models import EntryType, LedgerEntry, Statement, accounts_with_documents
from ledger.offsetting import open_debits
from rights import Action

from .services import owing

DUE_SOON_DAYS = 10  # [DESIGN] an amount due within this many days is an alert on the dashboard
MAX_SUMMARIES = 25  # [DESIGN] accounts summarised on one page (a broker's clients: the worklist pages them)


@dataclass
class AccountSummary:
    account: ProgramAccount
    balance: Decimal  # positive: the client owes
    amount_due: Decimal  # billed or already due, less every credit (payments.services.owing)
    due_date: dt.date | None  # the earliest due date of what is left to pay; None when nothing is due
    overdue: Decimal
    interest: Decimal  # interest charged since the last statement's period end
    rate: Decimal | None  # the annual rate overdue amounts accrue at today (Customs Act s.33.4(1); D11-6-5)
    statement: Statement | None  # the latest statement issued (its last version)
    may_pay: bool
    may_manage_banking: bool
    alerts: list = field(default_factory=list)


@dataclass(frozen=True)
class Alert:
    """Something about money that needs the person's attention: `level` is a GC notice role."""

    level: str  # "danger" (overdue) or "warning" (due soon)
    kind: str  # "overdue" or "due_soon"
    summary: AccountSummary


def summaries(who, today: dt.date | None = None, limit: int = MAX_SUMMARIES) -> list[AccountSummary]:
    """The money figures of the active program accounts whose account-level figures `who` sees
    (ledger.models.accounts_with_documents: a client's visibility rules may hide them), by number."""
    today = today or timezone.localdate()
    accounts = list(
        accounts_with_documents(who)
        .filter(is_active=True)
        .select_related("business", "ledger")
        .order_by("number")[:limit]
    )
    ids = [account.pk for account in accounts]
    late = overdue(ids, today)
    rates = Rates()
    payable = set(ProgramAccount.objects.visible_to(who, Action.PAY).filter(pk__in=ids).values_list("pk", flat=True))
    banking = set(
        ProgramAccount.objects.visible_to(who, Action.MANAGE_BANKING).filter(pk__in=ids).values_list("pk", flat=True)
    )
    result = []
    for account in accounts:
        owed = owing(account, today)
        statement = Statement.objects.filter(program_account=account).order_by("-period_end", "-version").first()
        since = statement.period_end if statement else dt.date.min
        interest = LedgerEntry.objects.filter(
            program_account=account, entry_type=EntryType.INTEREST, effective_date__gt=since
        ).aggregate(total=Sum("amount"))["total"]
        summary = AccountSummary(
            account=account,
            balance=owed.balance,
            amount_due=owed.due,
            due_date=_due_date(account) if owed.due > 0 else None,
            overdue=late[account.pk],
            interest=cents(interest),
            rate=_rate(rates, today),
            statement=statement,
            may_pay=account.pk in payable,
            may_manage_banking=account.pk in banking,
        )
        summary.alerts = _alerts(summary, today)
        result.append(summary)
    return result


def alerts(summaries_: list[AccountSummary]) -> list[Alert]:
    """Every alert of the accounts, overdue ones first."""
    found = [alert for summary in summaries_ for alert in summary.alerts]
    return sorted(found, key=lambda alert: (alert.kind != "overdue", alert.summary.account.number))


def _alerts(summary: AccountSummary, today: dt.date) -> list[Alert]:
    if summary.overdue > ZERO:
        return [Alert("danger", "overdue", summary)]
    if summary.due_date and summary.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return [Alert("warning", "due_soon", summary)]
    return []


def _due_date(account) -> dt.date | None:
    return open_debits(account).values_list("due_date", flat=True).first()


def _rate(rates: Rates, today: dt.date) -> Decimal | None:
    try:
        return rates.annual(today)
    except ImproperlyConfigured:  # no published rate for today yet: the page says so rather than guess
        return None

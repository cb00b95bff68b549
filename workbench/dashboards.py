"""The officers' dashboards: revenue assessed and collected by billing period, CAD volumes and
rejection reasons by month, overdue debt, and the service-standard compliance of rulings and adjustments. Each figure
is one aggregate over the rows named in its docstring (tests/workbench/test_dashboards.py checks
each against plain SQL over the same rows)."""

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audit.models import AuditEntry
from declarations.models import Declaration, DeclarationVersion, Kind, Status
from declarations.services import ADJUSTMENT_STANDARD_DAYS
from ledger import balances
from ledger.models import EntryType, LedgerAccount, LedgerEntry
from rulings import services as rulings

ASSESSED = [EntryType.ASSESSMENT, EntryType.INTEREST, EntryType.PENALTY]  # what CBSA charged
REASONS = 10


def revenue(start: dt.date, end: dt.date) -> list[dict]:
    """Per billing period ending in [start, end]: assessed = the entries of type assessment, interest
    and penalty (an adjustment's negative delta lowers it); collected = the payments (credits, shown
    positive). Reversals and offsets are movements, not revenue: counted in neither."""
    rows = (
        LedgerEntry.objects.filter(billing_period_end__range=(start, end))
        .values("billing_period_end")
        .annotate(
            assessed=Sum("amount", filter=Q(entry_type__in=ASSESSED)),
            collected=Sum("amount", filter=Q(entry_type=EntryType.PAYMENT)),
        )
        .order_by("billing_period_end")
    )
    return [
        {
            "period": row["billing_period_end"],
            "assessed": balances.cents(row["assessed"]),
            "collected": -balances.cents(row["collected"]),
        }
        for row in rows
    ]


def _months(queryset, field: str) -> dict:
    rows = queryset.annotate(month=TruncMonth(field)).values("month").annotate(n=Count("pk")).order_by()
    return {row["month"].strftime("%Y-%m"): row["n"] for row in rows}


def cad_volumes(start: dt.date, end: dt.date) -> list[dict]:
    """Per month of creation: CADs saved (every status but draft) and submissions rejected (the
    audit trail's declarations.rejected entries: a rejected CAD is never saved)."""
    saved = _months(
        Declaration.objects.filter(created_at__date__range=(start, end)).exclude(status=Status.DRAFT), "created_at"
    )
    rejected = _months(_rejections(start, end), "created_at")
    return [
        {"month": month, "accepted": saved.get(month, 0), "rejected": rejected.get(month, 0)}
        for month in sorted(set(saved) | set(rejected))
    ]


def _rejections(start: dt.date, end: dt.date):
    return AuditEntry.objects.filter(action="declarations.rejected", created_at__date__range=(start, end))


def rejection_reasons(start: dt.date, end: dt.date) -> list[dict]:
    """The most frequent error codes of the rejected submissions (each error of each rejection)."""
    codes = Counter(
        error.get("code", "")
        for after in _rejections(start, end).values_list("after", flat=True)
        for error in (after or {}).get("errors", [])
    )
    return [{"code": code, "count": count} for code, count in codes.most_common(REASONS)]


def overdue_debt(day: dt.date) -> dict:
    """What is overdue on `day` on every ledger account (ledger.balances.overdue's rule)."""
    overdue = balances.overdue(LedgerAccount.objects.values("program_account"), day)
    owing = {account: amount for account, amount in overdue.items() if amount > 0}
    return {"total": balances.cents(sum(owing.values())), "accounts": len(owing)}


def standard_compliance(start: dt.date, end: dt.date) -> list[dict]:
    """Rulings rendered in the months of [start, end], and the share within the 120-day standard
    (rulings.services.standard_report: D11-11-3, paused days not counted)."""
    first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    return [row for row in rulings.standard_report() if first <= row["month"] <= last]


def adjustment_compliance(start: dt.date, end: dt.date) -> list[dict]:
    """Adjustments decided in the months of [start, end] (approved or rejected), and the share decided
    within the B2 standard: 90 calendar days from receipt (declarations.services.ADJUSTMENT_STANDARD_DAYS)."""
    first, last, rows = start.strftime("%Y-%m"), end.strftime("%Y-%m"), {}
    decided = DeclarationVersion.objects.filter(
        kind=Kind.ADJUSTMENT, status__in=[Status.ACCEPTED, Status.REJECTED], submitted_at__isnull=False
    )
    for submitted, decided_at in decided.filter(decided_at__isnull=False).values_list("submitted_at", "decided_at"):
        day = timezone.localtime(decided_at).date()
        if not first <= day.strftime("%Y-%m") <= last:
            continue
        row = rows.setdefault(day.strftime("%Y-%m"), {"decided": 0, "within": 0})
        row["decided"] += 1
        row["within"] += (day - timezone.localtime(submitted).date()).days <= ADJUSTMENT_STANDARD_DAYS
    return [
        {"month": month, **row, "share": round(100 * row["within"] / row["decided"], 1)}
        for month, row in sorted(rows.items())
    ]

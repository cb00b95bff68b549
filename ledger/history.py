"""A business's import history from the revenue ledger: what the affinity questions of business
registration ask about (businesses.affinity, which this module feeds from LedgerConfig.ready)."""

from django.db.models import Min, Q, Sum

from registry.adapters import ImportHistory, TransactionFact

from .balances import cents
from .models import EntryType, LedgerEntry, Statement


def ledger_history(bn9: str) -> ImportHistory:
    """The business's history from the ledger of its program accounts, oldest first (empty when the
    ledger holds nothing for it). A transaction's duties and taxes are what its CAD versions
    assessed net of corrections (a transaction corrected to nothing is left out); a payment that was
    reversed is left out; a statement counts in its latest version, dated its statement date."""
    entries = LedgerEntry.objects.filter(program_account__business__bn9=bn9)
    assessed = entries.filter(
        Q(entry_type=EntryType.ASSESSMENT) | Q(entry_type=EntryType.REVERSAL, reverses__entry_type=EntryType.ASSESSMENT)
    ).exclude(transaction_number="")
    transactions = (
        assessed.values("transaction_number")
        .annotate(total=Sum("amount"), first=Min("effective_date"))
        .order_by("first", "transaction_number")
    )
    payments = (
        entries.filter(entry_type=EntryType.PAYMENT, reversals__isnull=True)
        .order_by("effective_date", "pk")
        .values_list("effective_date", "amount")
    )
    latest = {}  # (account, period end) → its latest version, in statement date order
    for statement in Statement.objects.filter(program_account__business__bn9=bn9).order_by(
        "statement_date", "program_account__number", "version"
    ):
        latest[statement.program_account_id, statement.period_end] = statement
    return ImportHistory(
        transactions=tuple(
            TransactionFact(row["transaction_number"], row["first"], cents(row["total"]))
            for row in transactions
            if cents(row["total"]) > 0
        ),
        payments=tuple((day, -amount) for day, amount in payments),
        statements=tuple((s.statement_date, s.closing_balance) for s in latest.values()),
    )

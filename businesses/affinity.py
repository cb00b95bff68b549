"""Affinity questions: facts only someone running the business knows, from its import history.
[CBSA] asks 2 of 3 with dates the user picks; we ask each question whose data exists, about the
latest facts [DESIGN]: a transaction number with its duties and taxes, the last payment amount
and the last statement-of-account balance ($0.00 balances are too easy to guess, so not asked).
`import_history` is the one source: the business's own history in the revenue ledger once it has
any, else the history the registry recorded (a business with no portal history yet)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from registry.adapters import ImportHistory, TransactionFact, registry

TRANSACTION = "transaction"
PAYMENT = "payment"
STATEMENT = "statement"


def import_history(bn9: str) -> ImportHistory:
    history = ledger_history(bn9)
    return registry().history(bn9) if history.is_empty else history


def ledger_history(bn9: str) -> ImportHistory:
    """The business's history from the ledger of its program accounts, oldest first (empty when the
    ledger holds nothing for it). A transaction's duties and taxes are what its CAD versions
    assessed net of corrections (a transaction corrected to nothing is left out); a payment that was
    reversed is left out; a statement counts in its latest version, dated its statement date."""
    from django.db.models import Min, Q, Sum

    from ledger.balances import cents
    from ledger.models import EntryType, LedgerEntry, Statement

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


@dataclass(frozen=True)
class Answers:
    transaction_number: str = ""
    duties_and_taxes: Decimal | None = None
    last_payment: Decimal | None = None
    last_statement_balance: Decimal | None = None


def last_statement_balances(history: ImportHistory) -> set[Decimal]:
    """The balances of the last statements: one per program account when several share the last
    statement date (each account has its own statement; any of them is a right answer)."""
    if not history.statements:
        return set()
    last = history.statements[-1][0]
    return {_cents(balance) for day, balance in history.statements if day == last}


def questions(history: ImportHistory) -> list[str]:
    asked = []
    if history.transactions:
        asked.append(TRANSACTION)
    if history.payments:
        asked.append(PAYMENT)
    balances = last_statement_balances(history)
    if balances and 0 not in balances:
        asked.append(STATEMENT)
    return asked


def _cents(value) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return None


def answers_are_right(history: ImportHistory, answers: Answers) -> bool:
    """True when every question asked is answered right. Says nothing about which one was wrong."""
    asked = questions(history)
    right = True
    if TRANSACTION in asked:
        number = "".join(ch for ch in answers.transaction_number if ch.isascii() and ch.isdigit())
        known = {t.number: t.duties_and_taxes for t in history.transactions}
        right &= number in known and _cents(answers.duties_and_taxes) == _cents(known[number])
    if PAYMENT in asked:
        right &= _cents(answers.last_payment) == _cents(history.payments[-1][1])
    if STATEMENT in asked:
        right &= _cents(answers.last_statement_balance) in last_statement_balances(history)
    return right

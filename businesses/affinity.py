"""Affinity questions: facts only someone running the business knows, from its import history.
[CBSA] asks 2 of 3 with dates the user picks; we ask each question whose data exists, about the
latest facts [DESIGN]: a transaction number with its duties and taxes, the last payment amount
and the last statement-of-account balance ($0.00 balances are too easy to guess, so not asked).
`import_history` is the one source: the business's own history in the revenue ledger once it has
any (ledger.history, registered from LedgerConfig.ready), else the history the registry recorded
(a business with no portal history yet)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from registry.adapters import ImportHistory, registry

TRANSACTION = "transaction"
PAYMENT = "payment"
STATEMENT = "statement"


_history_sources = []  # the business's own history, most authoritative first (ledger.history)


def register_history(source) -> None:
    """`source(bn9)` gives an ImportHistory from the portal's own records (empty when none)."""
    _history_sources.append(source)


def import_history(bn9: str) -> ImportHistory:
    for source in _history_sources:
        history = source(bn9)
        if not history.is_empty:
            return history
    return registry().history(bn9)


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

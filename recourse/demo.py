"""Maple's "Appeals and compliance" page is not empty: the late June CAD's C288 notice and the
overdue statement's C336 (the penalties run), and a Statement of Adjustment from a value
re-determination by olivia (supervisor) of a CAD Maple accounted itself. Idempotent."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from declarations.models import Declaration
from penalties import services as penalties

from . import services
from .models import Issue, StatementOfAdjustment

MAPLE = "123456782"


def seed(stdout=None):
    olivia = User.objects.filter(email="olivia@cbsa.example").first()
    if olivia is None:
        return
    penalties.late_accounting_run(timezone.localdate())
    penalties.ledger_penalty_notices(timezone.localdate())  # the ledger demo's overdue statement: C336
    if StatementOfAdjustment.objects.filter(program_account__business__bn9=MAPLE).exists():
        return
    declaration = (
        Declaration.objects.filter(program_account__business__bn9=MAPLE, submitted_by_business__bn9=MAPLE)
        .exclude(status="withdrawn")
        .filter(current_version=1)
        .order_by("release_date")
        .first()
    )
    if declaration is None:
        return
    try:
        statement = services.redetermine(
            olivia,
            declaration,
            _with_royalties(declaration.version().payload),
            issue=Issue.VALUE,
            subject="Royalties paid to the vendor",
            reasons="The price paid did not include the royalties paid to the vendor as a condition of sale "
            "(Customs Act s.48(5)(a)(iv)): 5 % added to the value for duty.",
        )
    except services.RecourseError as refused:
        if stdout:
            stdout.write(f"  no demo statement of adjustment: {refused.messages[0]}")
        return
    if stdout:
        stdout.write(f"  Statement of adjustment {statement.number} and a C288 notice for Maple Leaf Imports")


def _with_royalties(payload: dict) -> dict:
    """The CAD with each line's value and each invoice's amount raised by 5 %."""
    raised = dict(payload)
    raised["lines"] = [line | {"value": _plus(line["value"])} for line in payload["lines"]]
    raised["invoices"] = [invoice | {"amount": _plus(invoice["amount"])} for invoice in payload["invoices"]]
    return raised


def _plus(value) -> str:
    return str((Decimal(str(value)) * Decimal("1.05")).quantize(Decimal("0.01")))

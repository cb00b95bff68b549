"""The receipt of a payment: what was paid on each program account and which transactions it cleared
(page and PDF, rendered like the ledger's statements)."""

from django.template.loader import render_to_string
from django.utils import translation

from ledger.models import Allocation


def context(payment) -> dict:
    lines = list(payment.lines.all())  # as fetched: payments_for keeps the lines the reader may see
    for line in lines:
        line.cleared = (
            Allocation.objects.filter(credit=line.entry).select_related("debit").order_by("debit__due_date", "id")
            if line.entry
            else []
        )
    return {"lines": lines}


def receipt_pdf(payment) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "payments/receipt_pdf.html",
        {"payment": payment, "LANGUAGE_CODE": translation.get_language(), **context(payment)},
    )
    return HTML(string=html).write_pdf()

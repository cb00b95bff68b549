"""The demo story of Maple Leaf Imports: 30 CADs over ten months through the services (a correction,
an approved adjustment with interest, a pending one, a withdrawal and a late CAD), and they are the
only assessments in its ledger; the ledger's days run between them, so statements close in date
order, the statements are paid but one, which is overdue with interest and the C336 penalty.
Loading it again changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessment.models import ExchangeRate
from assessment_engine import parse_rate
from declarations import demo, transaction_numbers
from declarations.models import Declaration, DeclarationLine, DeclarationVersion, Kind, Status
from ledger import balances
from ledger.models import Allocation, EntryType, LedgerEntry, Statement
from tariff.models import Chapter, Rate, Section, TariffLine


@pytest.fixture
def demo_tariff(tariff_rows, olivia, maple):
    """The demo's other classifications (wine by the litre, coffee by the kilogram) and the Bank of
    Canada's USD and EUR rates for 2025 (flat, for the test); Northern acting for Maple; the ledger
    demo's prescribed rate."""
    from delegation import demo as delegation_demo
    from ledger import demo as ledger_demo

    delegation_demo.seed()
    ledger_demo.seed()
    section = Section.objects.create(number=2, roman="II", title_en="Vegetable products")
    Chapter.objects.create(number="09", section=section, title_en="Coffee, tea, maté and spices")
    since = {"valid_from": dt.date(2020, 1, 1), "version": tariff_rows}
    for code, chapter, unit, rates in [
        ("2204212100", "22", "LTR", {"MFN": "4.68 ¢/litre", "CEUT": "Free"}),
        ("0901210020", "09", "KGM", {"MFN": "Free", "CEUT": "Free"}),
    ]:
        for row, level in ((code[:8], "tariff_item"), (code, "classification")):
            TariffLine.objects.create(
                code=row,
                printed_code=row,
                level=level,
                chapter=chapter,
                parent_code=row[:4],
                description_en=f"Goods {row}",
                unit_of_measure=unit if row == code else "",
                **since,
            )
        for treatment, text in rates.items():
            Rate.objects.create(
                code=code[:8], treatment=treatment, text=text, structured=parse_rate(text).to_dict(), **since
            )
    day = dt.date(2024, 12, 20)
    while day <= dt.date(2025, 10, 31):
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(currency="USD", date=day, cad_per_unit=Decimal("1.37")),
                ExchangeRate(currency="EUR", date=day, cad_per_unit=Decimal("1.55")),
            ]
        )
        day += dt.timedelta(days=1)


def test_the_demo_declares_ten_months_and_is_idempotent(demo_tariff):
    demo.seed(months=0)  # the story as written (2025)
    counts = [model.objects.count() for model in (Declaration, DeclarationVersion, LedgerEntry, Allocation, Statement)]
    demo.seed(months=0)  # the story as written (2025)
    assert [
        model.objects.count() for model in (Declaration, DeclarationVersion, LedgerEntry, Allocation, Statement)
    ] == counts
    assert counts[0] == 30
    versions = DeclarationVersion.objects
    assert versions.filter(kind=Kind.CORRECTION, status=Status.ACCEPTED).count() == 1
    assert versions.filter(kind=Kind.ADJUSTMENT, status=Status.ACCEPTED, interest__gt=0).count() == 1
    assert versions.filter(kind=Kind.ADJUSTMENT, status=Status.PENDING).count() == 1
    assert Declaration.objects.filter(status=Status.WITHDRAWN).count() == 1
    assert Declaration.objects.filter(submitted_by_business__bn9="123026635").count() == 10
    assert DeclarationVersion.objects.filter(number=1, is_late=True).count() == 1  # penalties' run charges it
    assert {line.tariff_treatment for line in DeclarationLine.objects.all()} >= {"MFN", "CEUT", "UST"}
    call_command("check_ledger")


def test_every_assessment_is_a_real_cad_with_a_valid_number(demo_tariff):
    demo.seed(months=0)  # the story as written (2025)
    numbers = set(Declaration.objects.values_list("transaction_number", flat=True))
    assessed = LedgerEntry.objects.filter(entry_type__in=[EntryType.ASSESSMENT, EntryType.REVERSAL])
    assert assessed.count() >= 30 and set(assessed.values_list("transaction_number", flat=True)) == numbers
    assert all(transaction_numbers.validate(number) == number and len(number) == 14 for number in numbers)
    first = LedgerEntry.objects.filter(entry_type=EntryType.ASSESSMENT).order_by("effective_date").first()
    assert first.effective_date.month == 1  # the history starts in January


def test_statements_close_month_by_month_and_one_is_left_overdue(demo_tariff, maple):
    demo.seed(months=0)  # the story as written (2025)
    rm0001, rm0002 = maple.program_accounts.order_by("number")[:2]
    periods = [dt.date(2025, month, 17) for month in range(1, 11)]
    issued = list(Statement.objects.filter(program_account=rm0001).order_by("issued_at", "pk"))
    assert [s.period_end for s in issued] == periods and all(s.version == 1 for s in issued)
    for before, after in zip(issued, issued[1:], strict=False):
        assert after.opening_balance == before.closing_balance
    assert Statement.objects.filter(program_account=rm0002).count() == 9  # its first CAD is in the second period
    late = DeclarationVersion.objects.get(is_late=True)
    posted = LedgerEntry.objects.get(source_key=f"CAD:{late.declaration.transaction_number}:00001")
    # Released Sat 14 Jun 2025, accounted 26 Jun: billed on its deadline, Fri 20 Jun (s.33.4(2)(a)),
    # so due with the period ending 17 Jul 2025.
    assert (posted.effective_date, posted.due_date) == (dt.date(2025, 6, 20), dt.date(2025, 7, 31))
    # RM0001 paid its September statement short: overdue, with interest and the C336 penalty
    last_day = dt.date(2025, 10, 31)
    owed, late_amounts = balances.balances([rm0001.pk], last_day), balances.overdue([rm0001.pk], last_day)
    assert 0 < late_amounts[rm0001.pk] <= owed[rm0001.pk]
    assert (
        LedgerEntry.objects.filter(
            program_account=rm0001, entry_type=EntryType.INTEREST, effective_date__month=10
        ).count()
        == 30
    )
    assert LedgerEntry.objects.filter(
        program_account=rm0001, reference="C336", effective_date=dt.date(2025, 10, 2)
    ).exists()
    assert balances.overdue([rm0002.pk], last_day)[rm0002.pk] == 0  # RM0002 paid every statement

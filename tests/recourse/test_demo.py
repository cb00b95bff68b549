"""The demo gives Maple's "Appeals and compliance" page a penalty notice and a statement of
adjustment, and loading it again changes nothing."""

from declarations import demo as declarations_demo
from ledger.models import EntryType, LedgerEntry
from penalties.models import PenaltyNotice
from recourse import demo
from recourse.models import StatementOfAdjustment
from tests.declarations.test_demo import demo_tariff  # noqa: F401 (fixture)


def test_the_demo_gives_maple_a_c288_notice_and_a_statement_of_adjustment_once(demo_tariff):  # noqa: F811
    declarations_demo.seed(months=0)  # the story of 2025, as tests/declarations/test_demo.py reads it
    demo.seed()
    demo.seed()
    assert PenaltyNotice.objects.filter(contravention="C288", status="issued").count() == 1
    c336 = LedgerEntry.objects.filter(entry_type=EntryType.PENALTY, reference="C336", reversals__isnull=True)
    assert PenaltyNotice.objects.filter(contravention="C336").count() == c336.count() > 0
    statement = StatementOfAdjustment.objects.get()
    assert statement.program_account.business.bn9 == "123456782" and statement.delta > 0
    assert statement.ledger_entry.amount == statement.delta

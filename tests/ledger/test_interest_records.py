"""What the interest and C336 runs record: each day's working on its entry and each run's batch in the
audit trail (Customs Act s.33.4(1); D11-6-5 para. 2), so a figure can be checked by hand."""

import datetime as dt
from decimal import Decimal

from audit.models import AuditEntry
from ledger import interest, statements
from ledger.models import EntryType, LedgerEntry

from .factories import post, rate

DUE = dt.date(2025, 1, 31)


def test_a_day_s_interest_entry_shows_its_principal_rate_exact_amount_carry_and_rule(rm0001):
    rate("7")
    post(rm0001, amount="10000.00", day=dt.date(2025, 1, 10), due_date=DUE)
    interest.nightly_run(DUE + dt.timedelta(days=1))
    interest.nightly_run(DUE + dt.timedelta(days=2))
    first, second = LedgerEntry.objects.filter(entry_type=EntryType.INTEREST).order_by("effective_date")
    # 10,000 × 13 % / 365 = 3.5616438356…: 3.56 posted, 0.00164384 (to 8 decimals) carried into the next day's.
    assert Decimal(first.explanation.pop("carried_in")) == 0  # nothing carried into the first day
    assert first.explanation == {
        "principal": "10000.00",
        "days": 1,
        "rate": "13.0000",
        "rate_kind": "specified",
        "exact": str(Decimal("10000.00") * Decimal("13.0000") / 100 / 365),
        "rule": "Customs Act s.33.4(1); D11-6-5 para. 2",
    }
    assert (second.explanation["principal"], second.explanation["carried_in"]) == ("10003.56", "0.00164384")
    assert (first.due_date, first.source_key) == (DUE + dt.timedelta(days=1), "INT:2025-02-01")
    run = AuditEntry.objects.filter(action="ledger.interest_run").order_by("pk").first()
    assert {k: run.after[k] for k in ("day", "rate", "rate_kind", "accounts", "source")} == {
        "day": "2025-02-01",
        "rate": "13.0000",
        "rate_kind": "specified",
        "accounts": 1,
        "source": "INT:2025-02-01",
    }


def test_the_c336_run_records_its_day_contravention_and_total(rm0001):
    rate("7")
    post(rm0001, amount="1000.00", day=dt.date(2025, 3, 20))
    statements.close_period(dt.date(2025, 4, 17))  # due 1 May
    assert interest.late_payment_penalties(dt.date(2025, 5, 2)) == 1
    [run] = AuditEntry.objects.filter(action="ledger.penalty_run")
    assert {k: run.after[k] for k in ("day", "contravention", "total")} == {
        "day": "2025-05-02",
        "contravention": "C336",
        "total": "200.00",
    }
    assert LedgerEntry.objects.get(entry_type=EntryType.PENALTY).reference == "C336"


def test_the_catch_up_reports_each_day_it_runs_and_the_last_day_run(rm0001):
    rate("7")
    post(rm0001, amount="36500.00", day=dt.date(2025, 1, 10), due_date=DUE)
    assert interest.last_run() is None
    assert interest.catch_up(DUE + dt.timedelta(days=1)) == 1  # the first time: that day only
    heard = []
    assert interest.catch_up(DUE + dt.timedelta(days=3), lambda done, total: heard.append((done, total))) == 2
    assert heard == [(1, 2), (2, 2)]
    assert interest.last_run() == DUE + dt.timedelta(days=3)

"""Each dashboard figure equals plain SQL over the same rows; charts are SVG drawn on the server;
the CSV export carries the same figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from audit.models import AuditEntry
from declarations import services as declarations
from declarations.models import Declaration, DeclarationVersion
from ledger.balances import cents
from ledger.models import EntryType, LedgerEntry
from ledger.posting import post_entry
from rights import OfficerRole
from rulings.models import RulingRequest
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import RM2, cad, interest_rate, line, on_day  # noqa: F401 (fixtures)
from workbench import dashboards

pytestmark = pytest.mark.django_db

START, END = dt.date(2024, 12, 1), dt.date(2025, 3, 31)
POSTGRES = connection.vendor == "postgresql"


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def month(column: str) -> str:
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')" if POSTGRES else f"strftime('%%Y-%%m', {column})"


@pytest.fixture
def ledger_rows(rm0001, maple):
    rm0002 = maple.program_accounts.get(number=RM2)
    postings = [
        (rm0001, EntryType.ASSESSMENT, "1000.00", dt.date(2025, 1, 6), dt.date(2025, 1, 31)),
        (rm0001, EntryType.ASSESSMENT, "-120.50", dt.date(2025, 1, 9), dt.date(2025, 1, 31)),
        (rm0001, EntryType.PAYMENT, "-400.00", dt.date(2025, 1, 30), dt.date(2025, 1, 30)),
        (rm0001, EntryType.INTEREST, "3.17", dt.date(2025, 2, 5), dt.date(2025, 2, 5)),
        (rm0002, EntryType.ASSESSMENT, "250.25", dt.date(2025, 1, 20), dt.date(2025, 2, 28)),
        (rm0002, EntryType.PENALTY, "100.00", dt.date(2025, 2, 10), dt.date(2025, 3, 31)),
        (rm0002, EntryType.PAYMENT, "-250.25", dt.date(2025, 2, 27), dt.date(2025, 2, 27)),
    ]
    for n, (account, kind, amount, day, due) in enumerate(postings):
        post_entry(account, kind, Decimal(amount), effective_date=day, due_date=due, source_key=f"dash-{n}")


def test_revenue_assessed_and_collected_by_period_equals_sql(ledger_rows):
    rows = sql(
        "SELECT billing_period_end,"
        " SUM(CASE WHEN entry_type IN ('assessment', 'interest', 'penalty') THEN amount END),"
        " SUM(CASE WHEN entry_type = 'payment' THEN amount END)"
        " FROM ledger_ledgerentry WHERE billing_period_end BETWEEN %s AND %s"
        " GROUP BY billing_period_end ORDER BY billing_period_end",
        [START, END],
    )
    expected = [
        {"period": _date(period), "assessed": cents(assessed), "collected": -cents(collected)}
        for period, assessed, collected in rows
    ]
    assert dashboards.revenue(START, END) == expected and len(expected) >= 2


def _date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def test_overdue_debt_equals_sql_over_the_entries(ledger_rows):
    day = dt.date(2025, 3, 5)  # no clearing ran: no allocation changes the figure
    rows = sql(
        "SELECT program_account_id, SUM(amount),"
        " SUM(CASE WHEN amount > 0 AND due_date >= %s THEN amount ELSE 0 END)"
        " FROM ledger_ledgerentry WHERE effective_date <= %s GROUP BY program_account_id",
        [day, day],
    )
    owing = [cents(balance) - cents(not_due) for _account, balance, not_due in rows]
    owing = [amount for amount in owing if amount > 0]
    assert dashboards.overdue_debt(day) == {"total": sum(owing), "accounts": len(owing)}
    assert sum(owing) > 0


def test_cad_volumes_and_rejection_reasons_equal_sql(alice, maple, tariff_rows, usd_rates, interest_rate, on_day):  # noqa: F811
    on_day(dt.date(2025, 1, 6))
    for _n in range(2):
        declarations.submit(alice, cad())
    declarations.submit(alice, cad(release_office="ABCD"))  # rejected: never saved, audited
    declarations.submit(alice, cad(lines=[]))
    assert AuditEntry.objects.filter(action="declarations.rejected").count() == 2
    start, end = dt.date.today() - dt.timedelta(days=1), dt.date.today() + dt.timedelta(days=1)
    saved = dict(
        sql(f"SELECT {month('created_at')}, COUNT(*) FROM declarations_declaration WHERE status <> 'draft' GROUP BY 1")
    )
    rejected = dict(
        sql(
            f"SELECT {month('created_at')}, COUNT(*) FROM audit_auditentry"
            " WHERE action = 'declarations.rejected' GROUP BY 1"
        )
    )
    expected = [
        {"month": m, "accepted": saved.get(m, 0), "rejected": rejected.get(m, 0)}
        for m in sorted(set(saved) | set(rejected))
    ]
    assert dashboards.cad_volumes(start, end) == expected
    assert Declaration.objects.count() == 2
    if POSTGRES:
        reasons = "SELECT e->>'code', COUNT(*) FROM audit_auditentry a, jsonb_array_elements(a.after->'errors') e"
    else:
        reasons = (
            "SELECT json_extract(e.value, '$.code'), COUNT(*) FROM audit_auditentry a, json_each(a.after, '$.errors') e"
        )
    counted = dict(sql(reasons + " WHERE a.action = 'declarations.rejected' GROUP BY 1"))
    assert {row["code"]: row["count"] for row in dashboards.rejection_reasons(start, end)} == counted and counted


def test_service_standard_compliance_equals_sql(alice, rm0001):
    rendered = [(dt.date(2025, 1, 2), dt.date(2025, 3, 1), 0), (dt.date(2024, 9, 1), dt.date(2025, 3, 20), 30)]
    rendered += [(dt.date(2024, 10, 1), dt.date(2025, 3, 25), 0)]
    for n, (submitted, decided, paused) in enumerate(rendered):
        RulingRequest.objects.create(
            case_number=f"T-{n}",
            kind="classification",
            status="rendered",
            program_account=rm0001,
            submitted_by_business=rm0001.business,
            created_by=alice,
            submitted_on=submitted,
            rendered_on=decided,
            paused_days=paused,
        )
    days = "(rendered_on - submitted_on)" if POSTGRES else "(julianday(rendered_on) - julianday(submitted_on))"
    rows = sql(
        f"SELECT {month('rendered_on')}, kind, COUNT(*), SUM(CASE WHEN {days} - paused_days <= 120 THEN 1 ELSE 0 END)"
        " FROM rulings_rulingrequest WHERE status = 'rendered' GROUP BY 1, 2 ORDER BY 1, 2"
    )
    figures = [(r["month"], r["kind"], r["rendered"], r["within"]) for r in dashboards.standard_compliance(START, END)]
    assert figures == [tuple(row) for row in rows] and figures[0][2:] == (3, 1)


def test_adjustment_standard_compliance_equals_sql(alice, maple, tariff_rows, usd_rates, interest_rate, on_day):  # noqa: F811
    # received and decided at noon in Ottawa: the same calendar day in UTC, which the SQL reads
    times = [((2025, 1, 2), (2025, 3, 1)), ((2024, 11, 1), (2025, 3, 20)), ((2024, 12, 1), (2025, 3, 1))]
    for n, (received, decided) in enumerate(times):
        on_day(dt.date(2025, 1, 6))
        number = declarations.submit(alice, cad()).declaration.transaction_number
        on_day(dt.date(2025, 2, 10))  # after the payment due date: an adjustment
        version = declarations.amend(alice, number, cad(line(value="40000.00")), expected_version=1, reason="x").version
        DeclarationVersion.objects.filter(pk=version.pk).update(
            status="accepted" if n else "rejected",
            submitted_at=dt.datetime(*received, 17, tzinfo=dt.UTC),
            decided_at=dt.datetime(*decided, 17, tzinfo=dt.UTC),
        )
    days = (
        "DATE_PART('day', decided_at - submitted_at)" if POSTGRES else "julianday(decided_at) - julianday(submitted_at)"
    )
    rows = sql(
        f"SELECT {month('decided_at')}, COUNT(*), SUM(CASE WHEN {days} <= 90 THEN 1 ELSE 0 END)"
        " FROM declarations_declarationversion WHERE kind = 'adjustment' AND status IN ('accepted', 'rejected')"
        " GROUP BY 1 ORDER BY 1"
    )
    figures = [(r["month"], r["decided"], r["within"]) for r in dashboards.adjustment_compliance(START, END)]
    assert figures == [tuple(row) for row in rows] and figures == [("2025-03", 3, 2)]


def test_the_dashboard_page_draws_svg_charts_and_exports_the_same_figures_as_csv(ledger_rows, officers, as_person):
    client = as_person(officers[OfficerRole.AUDITOR])
    page = client.get("/fr/cbsa/dashboard/", {"start": "2024-12-01", "end": "2025-03-31"}).content.decode()
    assert page.count("<svg") == 2 and "<script" not in page.split("<main", 1)[1].split("</main>")[0]
    export = client.get("/en/cbsa/dashboard/", {"start": "2024-12-01", "end": "2025-03-31", "format": "csv"})
    lines = export.content.decode().splitlines()
    for row in dashboards.revenue(START, END):
        assert f"revenue_assessed,{row['period']},,{row['assessed']}" in lines


def test_a_period_ending_before_it_starts_is_refused_in_french(officers, as_person, maple):
    page = as_person(officers[OfficerRole.AUDITOR]).get(
        "/fr/cbsa/dashboard/", {"start": "2025-03-01", "end": "2025-01-01"}
    )
    assert page.status_code == 200 and "La période commence après sa fin." in page.content.decode()


def test_entries_outside_the_period_are_not_counted(ledger_rows):
    assert dashboards.revenue(dt.date(2030, 1, 1), dt.date(2030, 12, 31)) == []
    assert LedgerEntry.objects.exists()

"""Automatic late-accounting penalties (C288, C292) from real 2025 dates: the nightly run, its
catch-up and idempotency, escalation by history, and the outage relief (issue 21 item 1, issue 24
item 6)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from declarations import services as declarations
from ledger.models import EntryType, LedgerEntry
from penalties import catalogue, services
from penalties.models import NoticeStatus, PenaltyNotice, PenaltyRun
from tests.declarations.conftest import cad

D = dt.date


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _late_cad(alice, on_day):
    on_day(D(2025, 1, 14))  # released Fri 3 Jan 2025: five business days, due Fri 10 Jan
    outcome = declarations.submit(alice, cad())
    assert outcome.version.cad_due_date == D(2025, 1, 10) and outcome.version.is_late
    return outcome


def test_a_late_cad_draws_one_c288_notice_posted_to_the_ledger_with_its_due_date(maple, alice, tariff_rows, on_day):
    outcome = _late_cad(alice, on_day)
    progress = []
    assert services.late_accounting_run(D(2025, 1, 14), lambda done, total: progress.append((done, total))) == (1, 0)
    notice = PenaltyNotice.objects.get()
    assert (notice.contravention, notice.level, notice.amount, notice.status) == (
        "C288",
        1,
        Decimal("100.00"),
        "issued",
    )
    assert notice.occurred_on == D(2025, 1, 14) and notice.transaction_number == outcome.declaration.transaction_number
    entry = LedgerEntry.objects.get(entry_type=EntryType.PENALTY)
    assert (entry, entry.amount, entry.reference) == (notice.ledger_entry, notice.amount, "C288")
    assert notice.due_date == entry.due_date == D(2025, 1, 14)
    assert progress == [(1, 1)]
    # Running again (or the next night) raises nothing twice.
    assert services.late_accounting_run(D(2025, 1, 15)) == (0, 0)
    assert LedgerEntry.objects.filter(entry_type=EntryType.PENALTY).count() == 1


def test_a_cad_accounted_on_time_draws_no_penalty(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 1, 10))  # the deadline day itself
    assert not declarations.submit(alice, cad()).version.is_late
    assert services.late_accounting_run(D(2025, 1, 10)) == (0, 0)
    assert not PenaltyNotice.objects.exists()


def test_the_catch_up_runs_every_missed_day_once(maple, alice, tariff_rows, on_day):
    PenaltyRun.objects.create(day=D(2025, 1, 11))
    _late_cad(alice, on_day)
    assert services.catch_up(D(2025, 1, 15)) == (1, 0)
    assert list(PenaltyRun.objects.order_by("day").values_list("day", flat=True)) == [
        D(2025, 1, 11),
        D(2025, 1, 12),
        D(2025, 1, 13),
        D(2025, 1, 14),
        D(2025, 1, 15),
    ]
    # Issued on the first night after it was accounted (14 Jan), not on the day the run caught up.
    assert PenaltyNotice.objects.get().issued_on == D(2025, 1, 14)
    assert services.catch_up(D(2025, 1, 15)) == (0, 0)


def test_no_late_accounting_penalty_for_a_deadline_inside_a_declared_outage_or_two_hours_after(
    maple, alice, olivia, tariff_rows, on_day
):
    _late_cad(alice, on_day)
    # The deadline (Fri 10 Jan) ends at midnight: an outage that ended at 22:30 relieves it (within 2 hours).
    outage = services.declare_outage(
        olivia,
        starts_at=_at(D(2025, 1, 10), 18),
        ends_at=_at(D(2025, 1, 10), 22, 30),
        reason="Portal down",
        message_en="The portal is unavailable.",
        message_fr="Le portail n'est pas disponible.",
    )
    assert services.late_accounting_run(D(2025, 1, 14)) == (0, 1)
    notice = PenaltyNotice.objects.get()
    assert (notice.status, notice.waived_by_outage) == (NoticeStatus.WAIVED, outage)
    assert not LedgerEntry.objects.filter(entry_type=EntryType.PENALTY).exists()


def test_an_outage_that_ended_more_than_two_hours_before_the_deadline_waives_nothing(
    maple, alice, olivia, tariff_rows, on_day
):
    _late_cad(alice, on_day)
    services.declare_outage(
        olivia,
        starts_at=_at(D(2025, 1, 10), 8),
        ends_at=_at(D(2025, 1, 10), 21, 59),  # 2 h 1 min before midnight
        reason="Portal down",
        message_en="The portal is unavailable.",
        message_fr="Le portail n'est pas disponible.",
    )
    assert services.late_accounting_run(D(2025, 1, 14)) == (1, 0)


def test_an_outage_declared_after_the_run_cancels_the_notices_it_relieves(maple, alice, olivia, tariff_rows, on_day):
    _late_cad(alice, on_day)
    services.late_accounting_run(D(2025, 1, 14))
    services.declare_outage(
        olivia,
        starts_at=_at(D(2025, 1, 10), 23),
        ends_at=_at(D(2025, 1, 11), 1),
        reason="Portal down",
        message_en="The portal is unavailable.",
        message_fr="Le portail n'est pas disponible.",
    )
    notice = PenaltyNotice.objects.get()
    assert notice.status == NoticeStatus.CANCELLED
    assert sum(LedgerEntry.objects.filter(reference="C288").values_list("amount", flat=True)) == 0


def test_c005_escalates_by_history_within_twelve_months_after_the_thirty_day_delay(maple, rm0001, officer):
    def assess(day, reference):
        return services.assess(
            officer, rm0001, "C005", occurred_on=day, reference=reference, reason="Wrong origin", today=day
        )

    first = assess(D(2025, 1, 6), "A")
    within_delay = assess(D(2025, 1, 20), "B")  # 14 days after the first notice: no escalation to level 2
    second = assess(D(2025, 2, 10), "C")  # 35 days after it
    third = assess(D(2025, 3, 10), "D")
    fourth = assess(D(2025, 4, 10), "E")
    assert [n.level for n in (first, within_delay, second, third, fourth)] == [1, 1, 2, 3, 3]
    assert [n.amount for n in (first, within_delay, second, third, fourth)] == [
        Decimal("150.00"),
        Decimal("150.00"),
        Decimal("225.00"),
        Decimal("450.00"),
        Decimal("450.00"),
    ]
    # Past the 12-month retention period the history is forgotten: E (10 Apr 2025) is the last.
    assert assess(D(2026, 4, 9), "F").level == 3
    assert assess(D(2027, 4, 11), "G").level == 1


def test_c070_levels_are_the_published_amounts(maple, rm0001, officer):
    amounts = [
        services.assess(
            officer,
            rm0001,
            "C070",
            occurred_on=D(2025, 1, 6) + dt.timedelta(days=40 * i),
            reference=str(i),
            reason="x",
            today=D(2025, 12, 1),
        ).amount
        for i in range(4)
    ]
    assert amounts == [Decimal("1200.00"), Decimal("2400.00"), Decimal("4800.00"), Decimal("4800.00")]


def test_c336_takes_its_amount_from_the_catalogue(settings):
    from ledger.interest import late_payment_amount

    settings.CARM_LATE_PAYMENT_PENALTY = Decimal("1.00")  # the fallback is not used: the catalogue is
    assert late_payment_amount() == catalogue.get("C336").amount(1) == Decimal("200.00")


def test_the_ledger_s_c336_gets_a_notice_at_the_next_run_and_may_be_appealed(maple, rm0001, alice, on_day):
    from ledger import posting
    from recourse import services as recourse

    entry = posting.post_entry(
        rm0001,
        EntryType.PENALTY,
        "200.00",
        effective_date=D(2025, 2, 1),
        source_key="C336:2025-01-17",
        reference="C336",
    )
    assert services.catch_up(D(2025, 2, 1)) == (0, 0)
    notice = PenaltyNotice.objects.get()
    assert (notice.contravention, notice.amount, notice.ledger_entry, notice.issued_on) == (
        "C336",
        entry.amount,
        entry,
        D(2025, 2, 1),
    )
    assert services.ledger_penalty_notices(D(2025, 2, 2)) == 0  # once
    on_day(D(2025, 3, 1))
    assert recourse.appeal_penalty(alice, notice, grounds="Paid on time at the bank").notice == notice


def test_the_late_accounting_contraventions_are_cbsa_s_published_flat_100_per_b3():
    # C288 and C292 as the CBSA AMPS pages give them (penalties/data/README.md): flat $100, 12 months.
    for code, deadline in (("C288", "five business days"), ("C292", "twenty-fourth day")):
        item = catalogue.get(code)
        assert item.verified and f"/contraventions-infractions/{code.lower()}-eng.html" in item.source
        assert item.amounts == (Decimal("100.00"),) and item.retention_months == 12
        assert deadline in item.description_en and "$3,300" in item.description_en

"""The AMPS amount rules as pure functions, at their boundaries: the catalogue's levels ("3rd and
subsequent"), the retention period counted in calendar months, the 90 days to appeal (Customs Act
s.129(1)) and the outage relief (a deadline during an outage or within two hours after it)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from penalties import catalogue, services

D = dt.date


@pytest.mark.parametrize(("level", "amount"), [(1, "150.00"), (2, "225.00"), (3, "450.00"), (4, "450.00")])
def test_c005_charges_each_level_s_published_amount_and_the_third_for_every_later_one(level, amount):
    assert catalogue.get("C005").amount(level) == Decimal(amount)


def test_a_flat_rate_contravention_has_one_amount_at_every_level():
    c288 = catalogue.get("C288")
    assert [c288.amount(level) for level in (1, 2, 5)] == [Decimal("100.00")] * 3


def test_a_code_not_in_the_catalogue_is_refused():
    with pytest.raises(KeyError):
        catalogue.get("C999")


@pytest.mark.parametrize(
    ("day", "months", "before"),
    [
        (D(2025, 4, 10), 12, D(2024, 4, 10)),  # the retention period: the same day a year before
        (D(2025, 3, 31), 1, D(2025, 2, 28)),  # a month without that day: its last day
        (D(2024, 3, 31), 1, D(2024, 2, 29)),
        (D(2025, 1, 31), 1, D(2024, 12, 31)),  # across the new year, into December
        (D(2025, 12, 31), 1, D(2025, 11, 30)),
        (D(2026, 1, 31), 1, D(2025, 12, 31)),  # back into December of the year before
        (D(2027, 4, 11), 36, D(2024, 4, 11)),  # C070's 36 months
    ],
)
def test_the_retention_period_counts_back_calendar_months_to_the_same_day_or_the_month_s_last(day, months, before):
    assert services._months_before(day, months) == before


def test_a_notice_may_be_appealed_within_90_days_of_its_issue_s129():
    assert services.appeal_deadline(SimpleNamespace(issued_on=D(2025, 1, 6))) == D(2025, 4, 6)


def test_a_deadline_day_ends_at_local_midnight():
    moment = services.deadline_moment(D(2025, 3, 8))
    assert timezone.localtime(moment).replace(tzinfo=None) == dt.datetime(2025, 3, 9, 0, 0)


def _outage(starts_at, ends_at):
    return SimpleNamespace(starts_at=starts_at, ends_at=ends_at)


def test_an_outage_relieves_a_deadline_from_its_start_to_two_hours_after_its_end_and_no_longer():
    midnight = services.deadline_moment(D(2025, 3, 8))
    tick = dt.timedelta(microseconds=1)
    starting_at_midnight = _outage(midnight, midnight + dt.timedelta(hours=1))
    ended_two_hours_before = _outage(midnight - dt.timedelta(hours=3), midnight - dt.timedelta(hours=2))
    assert services.relieving_outage(D(2025, 3, 8), [starting_at_midnight]) is starting_at_midnight
    assert services.relieving_outage(D(2025, 3, 8), [ended_two_hours_before]) is ended_two_hours_before
    too_late = _outage(midnight + tick, midnight + dt.timedelta(hours=1))
    too_early = _outage(midnight - dt.timedelta(hours=3), midnight - dt.timedelta(hours=2) - tick)
    assert services.relieving_outage(D(2025, 3, 8), [too_late, too_early]) is None


def test_a_notice_is_relieved_in_parts_up_to_its_amount_then_cancelled_and_never_beyond(maple, rm0001, officer):
    from ledger.models import LedgerEntry
    from penalties.models import NoticeStatus

    notice = services.assess(
        officer, rm0001, "C005", occurred_on=D(2025, 1, 6), reference="A", reason="Wrong origin", today=D(2025, 1, 6)
    )
    notice = services.relieve(notice, Decimal("50.00"), officer=officer, reason="Part", today=D(2025, 1, 7))
    assert (notice.status, notice.details["relieved"]) == (NoticeStatus.REDUCED, "50.00")
    notice = services.relieve(notice, Decimal("25.00"), officer=officer, reason="Part", today=D(2025, 1, 7))
    notice.refresh_from_db()
    assert (notice.status, notice.details["relieved"]) == (NoticeStatus.REDUCED, "75.00")
    with pytest.raises(services.PenaltyError) as refused:  # a cent more than the 75.00 left
        services.relieve(notice, Decimal("75.01"), officer=officer, reason="Too much", today=D(2025, 1, 7))
    assert refused.value.code == "too_much"
    notice = services.relieve(notice, Decimal("75.00"), officer=officer, reason="Rest", today=D(2025, 1, 7))
    assert (notice.status, notice.details["relieved"]) == (NoticeStatus.CANCELLED, "150.00")
    credits = LedgerEntry.objects.filter(reference="C005", amount__lt=0).order_by("id")
    assert [(c.amount, c.source_key, c.reverses_id) for c in credits] == [  # parts reverse no entry
        (Decimal("-50.00"), f"NPAREL:{notice.number}:50.00", None),
        (Decimal("-25.00"), f"NPAREL:{notice.number}:75.00", None),
        (Decimal("-75.00"), f"NPAREL:{notice.number}:150.00", None),
    ]
    relieved = AuditEntry.objects.filter(action="penalties.notice_relieved").order_by("pk")
    assert [a.after["relieved"] for a in relieved] == ["50.00", "75.00", "150.00"]
    with pytest.raises(services.PenaltyError):  # nothing left of a cancelled notice
        services.relieve(notice, Decimal("0.01"), officer=officer, reason="Again", today=D(2025, 1, 7))


def test_a_notice_relieved_whole_at_once_reverses_its_entry_and_only_penalty_or_appeal_officers_may(
    maple, rm0001, officer, recourse_officer, alice
):
    from django.core.exceptions import PermissionDenied

    from ledger.models import LedgerEntry

    notice = services.assess(
        officer, rm0001, "C005", occurred_on=D(2025, 1, 6), reference="A", reason="Wrong origin", today=D(2025, 1, 6)
    )
    with pytest.raises(PermissionDenied):
        services.relieve(notice, Decimal("150.00"), officer=alice, reason="Mine", today=D(2025, 1, 7))
    refused = AuditEntry.objects.filter(action="access.denied").latest("pk")  # who was refused, on which notice
    assert (refused.actor, refused.after["pk"]) == (alice, str(notice.pk))
    services.relieve(notice, Decimal("150.00"), officer=recourse_officer, reason="Appeal allowed", today=D(2025, 1, 7))
    credit = LedgerEntry.objects.get(reference="C005", amount__lt=0)
    assert credit.reverses == notice.ledger_entry


def test_c005_escalates_to_level_two_thirty_days_after_the_first_notice_not_before(maple, rm0001, officer):
    def assess(day, reference):
        return services.assess(officer, rm0001, "C005", occurred_on=day, reference=reference, reason="x", today=day)

    assess(D(2025, 1, 6), "A")
    assert assess(D(2025, 2, 4), "B").level == 1  # 29 days after the first notice
    assert assess(D(2025, 2, 5), "C").level == 2  # 30 days: "unless 30 days have transpired"

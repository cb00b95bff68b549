"""Pre-authorized debit: agreements with validated bank numbers and the accepted, versioned text;
payments scheduled for a date, posted that day, then settled or returned NSF (which reverses exactly
the credit the payment made)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from ledger.models import EntryType, LedgerEntry
from payments import services, tasks
from payments.models import PadAgreement, Payment, Status
from tests.ledger.factories import rate
from tests.ledger.test_interest_law import _charged, _interest, _nights, _unpaid_statement

from .conftest import N2, N, agreement, balance, rows


def tomorrow():
    """Read when a test runs, not when the module is collected: a run crossing midnight in Toronto
    would otherwise schedule a debit for what has become today (refused: "from tomorrow")."""
    return timezone.localdate() + dt.timedelta(days=1)


def schedule(who, pad, *given, day=None, key="pad-1"):
    return services.request_payment(who, rows(*given), agreement=pad, debit_date=day or tomorrow(), key=key)[0]


def test_an_agreement_keeps_the_text_version_accepted_and_is_audited(bam, rm0001):
    pad = agreement(bam, rm0001)
    assert pad.agreement_text.version == 1 and "Payments Canada" in pad.agreement_text.text_en
    assert "Paiements Canada" in pad.agreement_text.text("fr")
    assert pad.masked_account == "••••567"
    assert AuditEntry.objects.filter(action="payments.pad_agreement_created", object_id=str(pad.pk)).exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("institution", "01"),
        ("institution", "0012"),
        ("institution", "abc"),
        ("transit", "1234"),
        ("transit", "123456"),
        ("account_number", "123456"),
        ("account_number", "1234567890123"),
        ("account_number", "12345a7"),
    ],
)
def test_bad_bank_numbers_are_refused(bam, rm0001, field, value):
    with pytest.raises(ValidationError) as error:
        agreement(bam, rm0001, **{field: value})
    assert field in error.value.message_dict
    assert not PadAgreement.objects.exists()


def test_an_outdated_text_version_must_be_accepted_again(bam, rm0001):
    with pytest.raises(ValidationError) as error:
        agreement(bam, rm0001, text_version=0)
    assert error.value.code == "stale_text"


def test_a_pad_payment_posts_on_its_date_and_settles(bam, owed, rm0001):
    pad = agreement(bam, rm0001)
    payment = schedule(bam, pad, (N, "balance"))
    assert payment.status == Status.SCHEDULED and balance(rm0001) == 350
    assert services.submit_due_pads(timezone.localdate()) == []  # not yet its date
    [posted] = services.submit_due_pads(tomorrow())
    assert posted.status == Status.COMPLETED and balance(rm0001) == 0
    assert posted.lines.get().entry.effective_date == tomorrow()
    settled = services.settle_pad(posted, "settled", tomorrow() + dt.timedelta(days=2))
    assert settled.status == Status.SETTLED and balance(rm0001) == 0


def test_a_returned_pad_reverses_exactly_the_credit_it_made(bam, owed, rm0001):
    payment = schedule(bam, agreement(bam, rm0001), (N, "amount", "120.00"))
    services.submit_due_pads(tomorrow())
    credit = payment.lines.get().entry
    returned = services.settle_pad(payment, "nsf", tomorrow() + dt.timedelta(days=2))
    line = returned.lines.get()
    assert returned.status == Status.RETURNED
    assert line.return_entry.reverses == credit and line.return_entry.amount == -credit.amount == 120
    assert "NSF" in line.return_entry.description
    assert balance(rm0001) == 350
    services.settle_pad(returned, "nsf", tomorrow() + dt.timedelta(days=3))  # the bank says it again
    assert LedgerEntry.objects.filter(reverses=credit).count() == 1
    assert AuditEntry.objects.filter(action="payments.pad_returned").count() == 1


@pytest.mark.parametrize(
    ("debited", "returned"),
    [
        (dt.date(2025, 5, 1), dt.date(2025, 5, 6)),  # nights run since: recalculated, but not the return's own
        (dt.date(2025, 5, 2), dt.date(2025, 5, 3)),  # the day after the debit: nothing to recalculate
        (dt.date(2025, 5, 1), dt.date(2025, 5, 2)),  # on the due date, back the next day: C336 that night too
    ],
)
def test_a_pad_returned_before_the_nights_run_draws_the_interest_of_its_day_as_if_never_paid(
    bam, rm0001, maple, monkeypatch, debited, returned
):
    # Customs Act s.33.4(1): interest runs until the amount "has been paid in full"; a dishonoured debit
    # pays nothing, so the day it comes back draws interest like every day before it (Interpretation
    # Act s.27(3)). RM0002, which never paid, is the reference, night for night.
    rate("7")
    rm0002 = maple.program_accounts.get(number=N2)
    for account in (rm0001, rm0002):
        _unpaid_statement(account)  # 1,000.00 due on 1 May 2025
    monkeypatch.setattr(timezone, "localdate", lambda: debited - dt.timedelta(days=1))
    payment = schedule(bam, agreement(bam, rm0001), (N, "balance"), day=debited)
    services.submit_due_pads(debited)
    _nights(dt.date(2025, 5, 2), returned - dt.timedelta(days=1))
    services.settle_pad(payment, "nsf", returned)  # the bank's answer, before that night's run
    _nights(returned, returned + dt.timedelta(days=2))
    assert _interest(rm0001) == _interest(rm0002) > 0
    assert _charged(rm0001, EntryType.PENALTY) == _charged(rm0002, EntryType.PENALTY) > 0


def test_the_pad_run_uses_the_banks_settlement_report(bam, owed, rm0001, monkeypatch):
    good = schedule(bam, agreement(bam, rm0001), (N, "amount", "100.00"), key="a")
    bad = schedule(bam, agreement(bam, rm0001, account_number="1234999"), (N, "amount", "50.00"), key="b")
    debit_day = tomorrow()
    monkeypatch.setattr(timezone, "localdate", lambda: debit_day)
    assert tasks.pad_run() == {"submitted": 2, "settled": 0}
    monkeypatch.setattr(timezone, "localdate", lambda: debit_day + dt.timedelta(days=1))
    assert tasks.pad_run() == {"submitted": 0, "settled": 2}
    good.refresh_from_db(), bad.refresh_from_db()
    assert (good.status, bad.status) == (Status.SETTLED, Status.RETURNED)
    assert balance(rm0001) == 250


@pytest.mark.parametrize("days_ahead", [0, 400])
def test_a_debit_date_must_be_from_tomorrow_to_a_year_ahead(bam, owed, rm0001, days_ahead):
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    with pytest.raises(ValidationError) as error:
        schedule(bam, agreement(bam, rm0001), (N, "balance"), day=day)
    assert error.value.code == "bad_date"


def test_a_pad_pays_only_its_own_account_and_only_while_in_force(bam, owed, rm0001, rm0002):
    from tests.ledger.factories import post

    post(rm0002, amount="10.00")
    pad = agreement(bam, rm0001)
    with pytest.raises(ValidationError):
        schedule(bam, pad, (N2, "balance"))
    scheduled = schedule(bam, pad, (N, "balance"), key="x")
    pad = services.cancel_agreement(bam, pad)
    scheduled.refresh_from_db()
    assert scheduled.status == Status.CANCELLED
    with pytest.raises(ValidationError) as error:
        schedule(bam, pad, (N, "balance"), key="y")
    assert error.value.code == "no_agreement"
    assert not Payment.objects.filter(status=Status.SCHEDULED).exists()


def test_the_settlement_file_settles_returns_and_reports_bad_lines(bam, owed, rm0001, tmp_path, capsys):
    from django.core.management import call_command

    good = schedule(bam, agreement(bam, rm0001), (N, "amount", "100.00"), key="a")
    bad = schedule(bam, agreement(bam, rm0001), (N, "amount", "50.00"), key="b")
    services.submit_due_pads(tomorrow())
    path = tmp_path / "settlement.csv"
    path.write_text(
        f"reference,outcome\n{good.reference},settled\n{bad.reference},NSF\nP000,settled\n{good.reference},maybe\n"
    )
    call_command("apply_pad_settlement", str(path))
    out = capsys.readouterr()
    assert "1 settled, 1 returned (NSF), 0 unchanged, 2 errors" in out.out
    assert "line 4: unknown PAD payment reference" in out.err and "line 5: The outcome must be" in out.err
    call_command("apply_pad_settlement", str(path))
    assert "0 settled, 0 returned (NSF), 2 unchanged" in capsys.readouterr().out
    assert balance(rm0001) == 250  # 350 - 100 settled; the 50 returned is owing again

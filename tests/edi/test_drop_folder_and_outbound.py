"""The drop folder (issue #22.2) and daily notices and statements by EDI (issue #22.4)."""

import datetime as dt
from decimal import Decimal

import pytest

from declarations.models import Declaration
from edi import channels, drop_folder, edifact, outbound, wco_xml
from edi.models import Kind, Message, Subscription
from ledger import statements

from .conftest import message


@pytest.fixture
def inbox(settings, tmp_path, broker, northern):
    settings.EDI_DROP_FOLDER = str(tmp_path)
    channels.configure(broker, northern)
    folder = tmp_path / northern.bn9
    folder.mkdir()
    return folder


def test_a_dropped_file_is_filed_answered_in_the_outbox_and_moved_to_done(inbox, tariff_rows, today):
    (inbox / "cad-1.edi").write_bytes(edifact.dumps(message(reference="DROP-1")))
    assert drop_folder.sweep() == 1
    [answer] = (inbox / "outbox").iterdir()
    assert "GIS+39'" in answer.read_text() and answer.suffix == ".edi"
    assert [p.name.endswith("-cad-1.edi") for p in (inbox / "done").iterdir()] == [True]
    assert Declaration.objects.count() == 1 and Message.objects.get(source="drop").business.bn9 == inbox.name


def test_a_file_dropped_again_gets_the_same_answer_and_files_nothing_twice(inbox, tariff_rows, today):
    raw = wco_xml.dumps(message(reference="DROP-2"))
    (inbox / "a.xml").write_bytes(raw)
    drop_folder.sweep()
    (inbox / "b.xml").write_bytes(raw)
    drop_folder.sweep()
    answers = sorted((inbox / "outbox").iterdir())
    assert len(answers) == 2 and answers[0].read_bytes() == answers[1].read_bytes()
    assert Declaration.objects.count() == 1


@pytest.fixture
def posted(maple, alice, tariff_rows, today):
    """A CAD accepted and the notice of the day its entry was posted (the clock's day, not `today`'s)."""
    from django.utils import timezone

    from declarations import services as cads
    from ledger.models import LedgerEntry

    outcome = cads.submit(alice, message().payload)
    outcome.day = timezone.localtime(LedgerEntry.objects.get().posted_at).date()
    statements.daily_notices(outcome.day)
    return outcome


def test_an_importer_directs_its_daily_notices_to_its_brokers_channel(posted, alice, broker, northern, rm0001):
    channel = channels.configure(broker, northern, format="edifact").channel
    assert channels.subscribe(alice, rm0001, Subscription.Document.NOTICES, channel).error is None
    assert outbound.send(posted.day) == 1
    sent = Message.objects.get(kind=Kind.NOTICE)
    assert sent.business == northern and "UNH+1+FINSTA:D:96B:UN'" in sent.raw
    assert posted.declaration.transaction_number in sent.raw
    assert outbound.send(posted.day) == 0  # sent once


def test_a_notice_in_xml_carries_the_days_total(posted, alice, maple, rm0001):
    channel = channels.configure(alice, maple).channel
    channels.subscribe(alice, rm0001, Subscription.Document.NOTICES, channel)
    outbound.send(posted.day)
    raw = Message.objects.get(kind=Kind.NOTICE).raw
    assert f"<Total>{Decimal(posted.version.total):.2f}</Total>" in raw and f"<Day>{posted.day}</Day>" in raw


def test_a_subscription_cannot_name_the_channel_of_a_business_without_a_relationship(alice, rm0001, tidewater, tina):
    foreign = channels.configure(tina, tidewater).channel
    outcome = channels.subscribe(alice, rm0001, Subscription.Document.STATEMENTS, foreign)
    assert outcome.error[1] == "invalid_channel" and not Subscription.objects.exists()


def test_a_statement_issued_on_the_day_goes_out_as_xml(alice, maple, rm0001):
    from ledger.models import Statement

    channel = channels.configure(alice, maple).channel
    channels.subscribe(alice, rm0001, Subscription.Document.STATEMENTS, channel)
    Statement.objects.create(
        program_account=rm0001,
        period_start=dt.date(2024, 12, 18),
        period_end=dt.date(2025, 1, 17),
        statement_date=dt.date(2025, 1, 25),
        due_date=dt.date(2025, 1, 31),
        opening_balance=0,
        closing_balance=Decimal("10.00"),
        amount_due=Decimal("10.00"),
        overdue=0,
        content={},
        checksum="0" * 64,
    )
    assert outbound.send(dt.date(2025, 1, 25)) == 1
    assert "<AmountDue>10.00</AmountDue>" in Message.objects.get(kind=Kind.STATEMENT).raw

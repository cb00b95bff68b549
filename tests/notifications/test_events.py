"""Every event kind reaches the people who may know of it, and only them: roles, delegation (assigned
employees, the importer's visibility rules, the payments term) and the actor left out, in each
person's language, through their channels."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from access import services as access
from businesses.models import Business, ProgramAccount
from declarations import services as declarations
from delegation import services as delegation
from delegation.models import Relationship
from ledger import interest, statements
from ledger.models import EntryType
from notifications import services
from notifications.catalogue import KINDS
from notifications.models import Delivery, Notification
from penalties import services as penalties
from recourse import services as recourse
from tests.declarations.conftest import cad, line
from tests.ledger.factories import post
from tests.payments.conftest import DECLINE, N, agreement, pay, rows

from .conftest import told


def test_an_access_request_reaches_those_who_decide_it_in_their_language(
    maple, alice, pam, reader, bob, charlie, commits, mailoutbox
):
    alice.preferred_language = "fr"
    alice.save()
    with commits():
        access.request_access(charlie, "123456782", "I keep the books.")
    assert told("access_request.received") == {alice.email, pam.email}  # not rita (Reader), not bob
    to_alice = next(m for m in mailoutbox if m.to == [alice.email])
    assert to_alice.subject == "Demande d'accès reçue"
    assert "Charlie Outsider demande l'accès à Maple Leaf Imports Inc." in to_alice.body
    html = to_alice.alternatives[0][0]
    assert 'lang="fr"' in html and "<p>Charlie Outsider demande l&#x27;accès à Maple Leaf Imports Inc." in html
    to_pam = next(m for m in mailoutbox if m.to == [pam.email])
    assert to_pam.subject == "Access request received"


def test_the_decision_on_an_access_request_reaches_the_requester_only(maple, alice, charlie, commits):
    request = access.request_access(charlie, "123456782", "I keep the books.")
    with commits():
        access.decide_request(alice, request, approve=False, reason="We do not know you.")
    assert told("access_request.decided") == {charlie.email}
    [notice] = Notification.objects.filter(kind="access_request.decided")
    assert notice.message == "Your request for access to Maple Leaf Imports Inc. was rejected."


def test_a_relationship_request_reaches_its_deciders_and_the_approval_the_provider(
    maple, alice, reader, bob, northern, commits
):
    with commits():
        pending = delegation.request_relationship(bob, northern, maple.bn9, scope="business")
    assert told("relationship.requested") == {alice.email}  # the actor (bob) and a Reader are not told
    with commits():
        delegation.approve(alice, pending)
    assert told("relationship.approved") == {bob.email}


def test_both_sides_are_warned_30_and_7_days_ahead_and_told_when_it_expired(relate, brenda, alice, bob, commits):
    relationship = relate("business", role="editor", person=brenda)
    today = timezone.localdate()
    Relationship.objects.filter(pk=relationship.pk).update(expires_on=today + dt.timedelta(days=20))
    with commits():
        delegation.expire_relationships(today)
    assert told("relationship.expiring_30") == {alice.email, bob.email}  # the managers, not brenda
    Relationship.objects.filter(pk=relationship.pk).update(expires_on=today + dt.timedelta(days=5))
    delegation.expire_relationships(today)
    assert told("relationship.expiring_7") == {alice.email, bob.email}
    Relationship.objects.filter(pk=relationship.pk).update(expires_on=today - dt.timedelta(days=1))
    delegation.expire_relationships(today)
    assert told("relationship.expired") == {alice.email, bob.email}
    delegation.expire_relationships(today)  # the nightly run again: told once
    assert Notification.objects.filter(kind="relationship.expired").count() == 2


def test_a_cad_accepted_reaches_who_may_see_it_and_not_a_broker_limited_to_its_own_records(
    maple, alice, reader, relate, bob, brenda, tariff_rows, on_day, commits
):
    limited = {"sees_importer": False, "sees_others": False}  # sees what Northern submitted only
    relationship = relate("business", role="editor", person=brenda, **limited)
    on_day(dt.date(2025, 1, 6))
    with commits():
        first = declarations.submit(alice, cad())
    assert told("declaration.accepted") == {reader.email}  # alice did it; brenda may not see Maple's own CADs
    [notice] = Notification.objects.filter(kind="declaration.accepted")
    number = first.declaration.transaction_number
    assert notice.message == f"1 CAD(s) accepted for account 123456782RM0001: {number}."
    Relationship.objects.filter(pk=relationship.pk).update(sees_importer_records=True)
    with commits():
        declarations.submit(alice, cad())
    assert told("declaration.accepted") == {reader.email, brenda.email}  # bob is not assigned to Maple


def test_a_rejected_cad_is_told_to_the_person_who_sent_it(maple, alice, reader, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    outcome = declarations.submit(alice, cad(line(classification="9999999999")))
    assert outcome.errors
    assert told("declaration.rejected") == {alice.email}
    [notice] = Notification.objects.filter(kind="declaration.rejected")
    assert notice.message.startswith("1 CAD submission(s) rejected (—): ")


def test_an_adjustment_decided_reaches_the_importer_s_people(maple, alice, reader, olivia, tariff_rows, on_day):
    on_day(dt.date(2025, 1, 6))
    first = declarations.submit(alice, cad())
    on_day(dt.date(2025, 2, 10))
    number = first.declaration.transaction_number
    pending = declarations.amend(alice, number, cad(line(value="40000.00")), expected_version=1, reason="Price revised")
    declarations.decide_adjustment(pending.version, approve=False, officer=olivia, reason="No evidence")
    assert told("declaration.adjustment_decided") == {alice.email, reader.email}  # not the officer
    notice = Notification.objects.get(kind="declaration.adjustment_decided", recipient=alice)
    assert notice.message == f"The adjustment 00002 of CAD {number} was rejected."


def test_a_statement_reaches_the_account_s_people_and_a_broker_only_where_it_may_pay(
    maple, rm0001, alice, reader, relate, brenda, commits
):
    relationship = relate("business", role="editor", person=brenda)
    post(rm0001, EntryType.ASSESSMENT, "3547.50", day=dt.date(2025, 1, 6))
    with commits():
        statements.close_period(dt.date(2025, 1, 17))
    january = Notification.objects.filter(kind="statement.issued", context__period_end="2025-01-17")
    assert {n.recipient.email for n in january} == {alice.email, reader.email}
    notice = january.get(recipient=alice)
    assert notice.message == (
        "The statement of account 123456782RM0001 for the period ending 2025-01-17 is issued: "
        "$3,547.50 due on 2025-01-31."
    )
    Relationship.objects.filter(pk=relationship.pk).update(allows_payments=True)
    with commits():
        statements.close_period(dt.date(2025, 2, 17))
    february = Notification.objects.filter(kind="statement.issued", context__period_end="2025-02-17")
    assert brenda.email in {n.recipient.email for n in february}


def test_payments_received_and_failed_reach_the_account_s_people_and_the_payer(
    settings, maple, rm0001, bam, reader, relate, brenda
):
    settings.CARM_PAYMENT_RECONCILE_AFTER = 0
    relate("business", role="editor", person=brenda)  # no payments term: not told
    post(rm0001, EntryType.ASSESSMENT, "350.00", day=dt.date(2025, 3, 20))
    pay(bam, (N, "balance"), number=DECLINE, key="declined")
    assert told("payment.failed") == {bam.email, reader.email}
    pay(bam, (N, "balance"))
    assert told("payment.received") == {bam.email, reader.email}
    [failed] = Notification.objects.filter(kind="payment.failed", recipient=bam)
    assert failed.message.endswith("of $350.00 failed: nothing was charged.")


def test_a_returned_pad_payment_is_told(maple, rm0001, bam, reader):
    from payments import services as payments

    post(rm0001, EntryType.ASSESSMENT, "120.00", day=dt.date(2025, 3, 20))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    [payment] = payments.request_payment(
        bam, rows((N, "amount", "120.00")), agreement=agreement(bam, rm0001), debit_date=tomorrow, key="pad-1"
    )[:1]
    payments.submit_due_pads(tomorrow)
    payments.settle_pad(payment, "nsf", tomorrow + dt.timedelta(days=2))
    assert told("payment.returned") == {bam.email, reader.email}


def test_an_unpaid_statement_is_overdue_and_draws_the_c336_penalty_both_told(maple, rm0001, alice, reader):
    post(rm0001, EntryType.ASSESSMENT, "3547.50", day=dt.date(2025, 1, 6))
    statements.close_period(dt.date(2025, 1, 17))  # due 31 January 2025
    assert interest.late_payment_penalties(dt.date(2025, 2, 1)) == 1
    assert told("amount.overdue") == told("penalty.issued") == {alice.email, reader.email}
    overdue = Notification.objects.get(kind="amount.overdue", recipient=alice)
    assert (
        overdue.message == "$3,547.50 is overdue on account 123456782RM0001 since 2025-02-01; interest applies daily."
    )
    penalty = Notification.objects.get(kind="penalty.issued", recipient=alice)
    assert penalty.message == "A $200.00 penalty (C336) was assessed on account 123456782RM0001."


def test_postings_that_are_no_penalty_cost_the_posting_s_transaction_no_query(rm0001):
    """A CAD batch posts an assessment per CAD: notifications looks at them for penalties only, without
    a savepoint (two round trips a batch) when there is none."""
    from audit.models import AuditEntry
    from notifications.subscribers import _on_recorded

    postings = [AuditEntry(action="ledger.posted", object_id=str(n), after={"type": "assessment"}) for n in range(1, 4)]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        _on_recorded(AuditEntry, entries=postings)
    assert queries.captured_queries == []


def test_a_late_cad_s_c288_penalty_reaches_who_may_see_the_cad(
    maple, alice, reader, relate, brenda, tariff_rows, on_day
):
    # may pay, yet not see Maple's own CADs
    relate("business", role="editor", person=brenda, allows_payments=True, sees_importer=False, sees_others=False)
    on_day(dt.date(2025, 1, 14))  # released Fri 3 Jan: due Fri 10 Jan
    declarations.submit(alice, cad())
    penalties.late_accounting_run(dt.date(2025, 1, 14))  # the nightly run raises it
    assert told("penalty.issued") == {alice.email, reader.email}
    notice = Notification.objects.get(kind="penalty.issued", recipient=reader)
    assert notice.message == "A $100.00 penalty (C288) was assessed on account 123456782RM0001."


def test_a_statement_of_adjustment_and_an_appeal_s_steps_reach_who_may_see_them(
    maple, alice, reader, olivia, tariff_rows, on_day
):
    on_day(dt.date(2025, 1, 8))
    declaration = declarations.submit(alice, cad()).declaration
    on_day(dt.date(2025, 3, 3))
    statement = recourse.redetermine(
        olivia, declaration, cad(line(value="45000.00")), issue="value", subject="Royalties", reasons="Royalties"
    )
    assert told("adjustment_statement.issued") == {alice.email, reader.email}
    notice = Notification.objects.get(kind="adjustment_statement.issued", recipient=alice)
    assert statement.number in notice.message and "2025-06-01" in notice.message
    post(statement.program_account, EntryType.PAYMENT, -statement.delta, dt.date(2025, 3, 4))
    appeal = recourse.request_redetermination(alice, statement, grounds="Not a condition of sale")
    recourse.share_rationale(olivia, appeal, "The royalties relate to the goods.")
    assert told("appeal.rationale_shared") == {alice.email, reader.email}
    on_day(dt.date(2025, 4, 3))
    recourse.decide(olivia, appeal, "denied", reasons="A condition of sale.")
    assert told("appeal.decided") == {alice.email, reader.email}
    decided = Notification.objects.get(kind="appeal.decided", recipient=alice)
    assert decided.message == f"Your request {appeal.number} was decided: denied, $0.00 relieved."
    with translation.override("fr"):
        assert (
            decided.message
            == f"Une décision a été rendue sur votre demande {appeal.number} : rejetée, 0,00\xa0$ remis."
        )


def test_events_of_apps_to_come_reach_their_audience(maple, rm0001, alice, reader, bob):
    services.emit(
        "security.shortfall",
        program_account=rm0001,
        key="sec-1",
        context={"business": "Maple", "shortfall": Decimal("5000.00")},
    )
    assert told("security.shortfall") == {alice.email, reader.email}
    services.emit(
        "ruling.status_changed", people=[alice], key="r-1", context={"reference": "R-2026-1", "status": "issued"}
    )
    services.emit("appeal.deadline", people=[bob], key="a-1", context={"reference": "A-1", "deadline": "2026-12-31"})
    assert (told("ruling.status_changed"), told("appeal.deadline")) == ({alice.email}, {bob.email})


def test_security_usage_reaches_the_account_s_money_audience_in_both_languages(maple, rm0001, alice, reader):
    """security.watch_usage's crossings (tests/security/test_usage_notices.py drives them end to end)."""
    context = {"business": "Maple", "account": rm0001.number, "percent": 80, "amount": Decimal("8000.00")}
    services.emit("security.usage", program_account=rm0001, key="u-1", context={**context, "covered": Decimal("10000")})
    assert told("security.usage") == {alice.email, reader.email}
    notice = Notification.objects.get(kind="security.usage", recipient=alice)
    assert "reaches 80 % of what its security covers ($8,000.00 of $10,000.00)" in notice.message
    with translation.override("fr"):
        assert "atteignent 80 % de ce que couvre sa garantie (8\xa0000,00\xa0$ sur 10\xa0000,00\xa0$)" in notice.message


def test_every_kind_of_the_catalogue_is_covered_here():
    """A kind added to the catalogue needs a test here that names it."""
    source = "".join(path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_*.py"))
    assert [code for code in KINDS if f'"{code}"' not in source] == []


def test_an_event_told_twice_is_told_once(maple, rm0001, alice):
    services.emit("security.review_increase", program_account=rm0001, key="review-1", context={"required": "1000"})
    services.emit("security.review_increase", program_account=rm0001, key="review-1", context={"required": "1000"})
    assert Notification.objects.filter(kind="security.review_increase", recipient=alice).count() == 1


def test_a_broker_limited_to_one_account_hears_only_of_that_account(maple, rm0001, alice, relate, brenda, commits):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    relate("program", accounts=[rm0002.number], role="editor", person=brenda, allows_payments=True)
    for account in (rm0001, rm0002):
        post(account, EntryType.ASSESSMENT, "100.00", day=dt.date(2025, 1, 6))
    with commits():
        statements.close_period(dt.date(2025, 1, 17))
    told_brenda = Notification.objects.filter(kind="statement.issued", recipient=brenda)
    assert [n.program_account.number for n in told_brenda] == ["123456782RM0002"]


def test_a_revoked_relationship_tells_its_people_nothing_more(maple, rm0001, alice, relate, brenda):
    relationship = relate("business", role="editor", person=brenda, allows_payments=True)
    delegation.revoke(alice, relationship, reason="We changed brokers.")
    services.emit("amount.overdue", program_account=rm0001, key="OD-1", context={"overdue": "10.00"})
    assert brenda.email not in told("amount.overdue")


def test_a_statement_close_asks_nothing_per_account_that_nobody_could_be_told_of(maple):
    """The close's notices cost queries per account someone could be told of, not per account:
    5,000 bench accounts once spent 13 s in recipient look-ups inside the close."""
    business = Business.objects.create(
        bn9="900000002", legal_name="Nobody Imports", address_line="1 Main", city="Ottawa", province="ON",
        postal_code="K1A0A1",
    )  # fmt: skip
    accounts = [ProgramAccount.objects.create(business=business, number=f"900000002RM{n:04d}") for n in range(1, 21)]
    for account in accounts[:2]:
        post(account, EntryType.ASSESSMENT, "10.00", day=dt.date(2025, 1, 6))
    for account in accounts:
        post(account, EntryType.ASSESSMENT, "10.00", day=dt.date(2025, 2, 6))
    with CaptureQueriesContext(connection) as two_accounts:
        assert len(statements.close_period(dt.date(2025, 1, 17))) == 2
    with CaptureQueriesContext(connection) as twenty_accounts:
        assert len(statements.close_period(dt.date(2025, 2, 17))) == 20
    assert len(twenty_accounts) == len(two_accounts)


def test_a_statement_close_tells_each_person_through_their_channels_with_one_write_each(
    maple, rm0001, alice, reader, commits
):
    """The close's notices: each person's channels (their preference, else the business default,
    SMS only with a phone; a money event not held for the digest) read once, the notifications and their
    deliveries written by one INSERT each, however many statements."""
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    services.set_profile(alice, phone="613 555 0123", daily_digest=True)
    services.set_preference(alice, "statement.issued", {"email", "sms"})
    services.set_business_default(alice, maple, "statement.issued", {"inbox"})  # reader's: no choice of her own
    for account in (rm0001, rm0002):
        post(account, EntryType.ASSESSMENT, "100.00", day=dt.date(2025, 1, 6))
    with CaptureQueriesContext(connection) as queries, commits():
        statements.close_period(dt.date(2025, 1, 17))
    inserts = [q["sql"].split(" (")[0] for q in queries if q["sql"].startswith('INSERT INTO "notifications_')]
    assert inserts == ['INSERT INTO "notifications_notification"', 'INSERT INTO "notifications_delivery"']
    notices = Notification.objects.filter(kind="statement.issued").order_by("program_account__number")
    to_alice = notices.filter(recipient=alice)
    assert [n.program_account for n in to_alice] == [rm0001, rm0002] and not any(n.in_inbox for n in to_alice)
    for notice in to_alice:
        assert {(d.channel, d.status) for d in notice.deliveries.all()} == {("email", "sent"), ("sms", "sent")}
    to_reader = notices.filter(recipient=reader)
    assert to_reader and all(n.in_inbox for n in to_reader)
    assert not Delivery.objects.filter(notification__in=to_reader).exists()


def test_a_close_s_batch_told_meanwhile_by_a_concurrent_close_falls_back_to_emit_each_event(
    maple, rm0001, alice, reader, commits
):
    """emit_each writes a batch in one INSERT; if a concurrent close told one of its notices meanwhile
    (unique recipient, kind, key), each event goes through emit instead, which tells the rest once."""
    from notifications.recipients import account_money_each

    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    for account in (rm0001, rm0002):
        post(account, EntryType.ASSESSMENT, "100.00", day=dt.date(2025, 1, 6))
    issued = statements.close_period(dt.date(2025, 1, 17))  # its own notices wait for the commit
    assert not Notification.objects.exists()
    audiences = account_money_each([statement.program_account for statement in issued])
    events = [
        {
            "program_account": statement.program_account,
            "subject": statement,
            "audience": audiences[statement.program_account_id],
            "link": "",
            "context": {"account": statement.program_account.number, "period_end": "2025-01-17"},
        }
        for statement in issued
    ]
    everyone = {(person.email, event["subject"].pk) for event in events for person in event["audience"]}
    assert (alice.email, issued[0].pk) in everyone and len(everyone) > 2
    [meanwhile] = services.emit("statement.issued", **{**events[0], "audience": [alice]})  # the concurrent close
    with commits():
        made = services.emit_each("statement.issued", events)
    told_now = {(n.recipient.email, n.key.split(":")[1]) for n in made}
    assert told_now == {(email, str(pk)) for email, pk in everyone} - {(alice.email, str(issued[0].pk))}
    assert Notification.objects.count() == len(everyone)  # each told once, the meanwhile one kept
    assert Notification.objects.filter(pk=meanwhile.pk).exists()

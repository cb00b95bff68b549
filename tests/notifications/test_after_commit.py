"""The money path's notices (a CAD batch, a statement close) are told once their transaction has
committed, asking then who may know; a batch tells the people single submissions would; a close asks
each person's rights once for all their accounts, not once per statement."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import OuterRef
from django.test.utils import CaptureQueriesContext

import rights
from access.grants import works_for
from businesses.models import Business, ProgramAccount
from declarations import services as declarations
from delegation import services as delegation
from ledger import statements
from ledger.models import EntryType
from notifications.models import Notification
from notifications.recipients import account_money_each, businesses_with_people
from rights import Action
from tests.declarations.conftest import cad
from tests.ledger.factories import post

from .conftest import told


class RolledBack(Exception):
    pass


def numbers_told(kind) -> dict[str, list[str]]:
    """Each person told of `kind` -> the transaction numbers their notices list."""
    told = {}
    for notice in Notification.objects.filter(kind=kind).select_related("recipient").order_by("pk"):
        told.setdefault(notice.recipient.email, []).extend(notice.context["transaction_numbers"].split(", "))
    return {email: sorted(numbers) for email, numbers in told.items()}


def test_a_batch_of_cads_tells_the_people_single_submissions_tell(
    maple, alice, reader, relate, brenda, tariff_rows, on_day, commits
):
    relate("business", role="editor", person=brenda)  # sees Maple's own CADs
    on_day(dt.date(2025, 1, 6))
    with commits():
        singles = [declarations.submit(alice, cad()).declaration.transaction_number for _ in range(3)]
    one_by_one = numbers_told("declaration.accepted")
    Notification.objects.all().delete()
    with commits():
        outcomes = declarations.submit_batch(alice, [(f"R-{n}", cad()) for n in range(3)])
    batched = [outcome.declaration.transaction_number for outcome in outcomes]
    assert one_by_one == {reader.email: sorted(singles), brenda.email: sorted(singles)}  # alice did it
    assert numbers_told("declaration.accepted") == {reader.email: sorted(batched), brenda.email: sorted(batched)}
    assert Notification.objects.filter(kind="declaration.accepted").count() == 2  # one notice a person a batch


def test_a_batch_only_its_submitter_could_hear_of_is_told_in_three_queries(maple, alice, tariff_rows, on_day, commits):
    """Who is around the batch's businesses is asked first: when it is the submitter alone (never
    told), no account, declaration or person is read (the bench's importer, most API batches)."""
    from accounts.models import User
    from audit.models import AuditEntry
    from notifications.subscribers import tell_recorded

    User.objects.exclude(pk=alice.pk).update(is_active=False)
    on_day(dt.date(2025, 1, 6))
    with commits():
        declarations.submit_batch(alice, [(f"R-{n}", cad()) for n in range(3)])
    entries = list(AuditEntry.objects.filter(action="declarations.submitted").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        tell_recorded("declarations.submitted", entries)
    # the versions (the audit entries a subquery), the relationships, the staff (role grants and groups at once)
    asked = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]  # the test's transaction
    assert len(asked) == 3
    assert told("declaration.accepted") == set()


def test_a_close_nobody_could_hear_of_is_told_in_one_query(maple, rm0001, alice, commits):
    """The period is read from the close's audit entry inside the query of the statements among
    businesses with people: nobody to tell (the bench's accounts, most closes' accounts) is one round trip."""
    from accounts.models import User
    from audit.models import AuditEntry
    from notifications.subscribers import tell_recorded

    post(rm0001, EntryType.ASSESSMENT, "100.00", day=dt.date(2025, 1, 6))
    User.objects.update(is_active=False)
    with commits():
        assert statements.close_period(dt.date(2025, 1, 17))
    entries = list(AuditEntry.objects.filter(action="ledger.period_closed").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        tell_recorded("ledger.period_closed", entries)
    assert len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) == 1  # not the test's
    assert told("statement.issued") == set()


def test_a_submission_or_close_rolled_back_tells_nobody(maple, rm0001, alice, reader, tariff_rows, on_day, commits):
    on_day(dt.date(2025, 1, 6))
    post(rm0001, EntryType.ASSESSMENT, "100.00", day=dt.date(2025, 1, 6))
    with commits():
        try:
            with transaction.atomic():
                declarations.submit(alice, cad())
                statements.close_period(dt.date(2025, 1, 17))
                raise RolledBack
        except RolledBack:
            pass
    assert told("declaration.accepted") == told("statement.issued") == set()
    with commits():
        declarations.submit(alice, cad())
        statements.close_period(dt.date(2025, 1, 17))
    assert told("declaration.accepted") == {reader.email}
    assert told("statement.issued") == {alice.email, reader.email}


def test_who_may_know_is_asked_when_told_not_when_recorded(
    maple, alice, reader, relate, brenda, tariff_rows, on_day, commits
):
    relationship = relate("business", role="editor", person=brenda)
    on_day(dt.date(2025, 1, 6))
    with commits(), transaction.atomic():
        declarations.submit(alice, cad())
        delegation.revoke(alice, relationship, reason="We changed brokers.")  # before the submission commits
    assert told("declaration.accepted") == {reader.email}


def _money_rule(user, account) -> bool:
    """account_money's rule for one person and one account, asked the slow way."""
    works = Business.objects.filter(pk=account.business_id).filter(works_for(user, OuterRef("pk"))).exists()
    return rights.may(user, Action.PAY, account) or (rights.may(user, Action.VIEW, account) and works)


@pytest.mark.parametrize("allows_payments", [True, False])
def test_a_close_asks_each_person_s_rights_once_for_all_their_accounts(
    maple, alice, reader, relate, bob, brenda, allows_payments
):
    rm0002 = maple.program_accounts.get(number="123456782RM0002")
    relate("program", accounts=[rm0002.number], role="editor", person=brenda, allows_payments=allows_payments)
    for n in range(3, 13):
        ProgramAccount.objects.create(business=maple, number=f"123456782RM{n:04d}")
    accounts = list(maple.program_accounts.select_related("business").order_by("number"))
    with CaptureQueriesContext(connection) as two:
        account_money_each(accounts[:2])
    with CaptureQueriesContext(connection) as twelve:
        audiences = account_money_each(accounts)
    assert len(twelve) == len(two)
    around = {alice, reader, bob, brenda}  # Maple's people and Northern's
    assert {account.number: {u.email for u in audiences[account.pk]} for account in accounts} == {
        account.number: {u.email for u in around if _money_rule(u, account)} for account in accounts
    }
    assert (brenda in audiences[rm0002.pk]) is allows_payments


def test_who_has_people_is_asked_each_time_though_its_sql_is_compiled_once(charlie):
    """recipients.businesses_with_people keeps its compiled SQL (compiling its four subqueries cost
    ~3 ms a close): the people it finds are those of the moment, not of the first call."""
    from access.models import RoleGrant

    business = Business.objects.create(
        bn9="900000010", legal_name="Later Imports", address_line="1 Main", city="Ottawa", province="ON",
        postal_code="K1A0A1",
    )  # fmt: skip

    def with_people():
        return set(Business.objects.filter(pk__in=businesses_with_people()).values_list("pk", flat=True))

    assert business.pk not in with_people()
    RoleGrant.objects.create(business=business, user=charlie, role="bam")
    assert business.pk in with_people()
    charlie.is_active = False
    charlie.save()
    assert business.pk not in with_people()

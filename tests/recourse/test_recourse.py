"""Compliance actions and recourse (issue 21 items 2 and 3): an officer's re-determination makes a
CAD version, a ledger delta and a Statement of Adjustment; s.60 requests (90 days, grouped by
issue, only once paid); s.129 penalty appeals (90 days, late with a reason up to a year, one per
notice); decisions to the cent; the CITT step; who may do what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.formats import money
from declarations import services as declarations
from ledger import posting
from ledger.interest import RateKind, interest_owed
from ledger.models import EntryType, LedgerAccount, LedgerEntry
from penalties import services as penalties
from penalties.models import NoticeStatus
from recourse import services
from recourse.models import Decision, Issue, Status
from security import services as security
from security.models import SecurityProgram
from tests.declarations.conftest import cad, line

D = dt.date
PDF = b"%PDF-1.4 evidence"


def _balance(account):
    return LedgerAccount.objects.get(program_account=account).balance


def _accounted(alice, on_day):
    on_day(D(2025, 1, 8))  # released Fri 3 Jan, accounted on time
    return declarations.submit(alice, cad()).declaration


MARCH_3 = D(2025, 3, 3)


def _statement(officer, declaration, on_day, day=MARCH_3, value="45000.00", subject="2201.10.00"):
    on_day(day)
    return services.redetermine(
        officer,
        declaration,
        cad(line(value=value)),
        issue=Issue.VALUE,
        subject=subject,
        reasons="The transaction value left out the royalties paid to the vendor.",
    )


def _pay(account, amount, day):
    posting.post_entry(account, EntryType.PAYMENT, -amount, effective_date=day, source_key=f"PAY:{day}:{amount}")


@pytest.fixture
def statement(maple, rm0001, alice, officer, tariff_rows, on_day):
    return _statement(officer, _accounted(alice, on_day), on_day)


def test_a_re_determination_makes_a_cad_version_a_ledger_delta_and_a_statement_of_adjustment(
    maple, rm0001, alice, officer, tariff_rows, on_day
):
    declaration = _accounted(alice, on_day)
    before = _balance(rm0001)
    statement = _statement(officer, declaration, on_day)
    declaration.refresh_from_db()
    version = declaration.version()
    assert (version.number, version.kind, version.status) == (
        2,
        "adjustment",
        "accepted",
    ) and version == statement.version
    assert statement.delta == version.total - declaration.versions.get(number=1).total and statement.delta > 0
    assert statement.ledger_entry.amount == statement.delta and _balance(rm0001) == before + statement.delta
    assert statement.request_deadline == D(2025, 6, 1)  # 90 days after 3 Mar 2025 (s.60(1))
    assert "royalties" in statement.reasons


def test_only_a_trade_officer_or_supervisor_re_determines(
    maple, rm0001, alice, revenue_officer, recourse_officer, tariff_rows, on_day
):
    declaration = _accounted(alice, on_day)
    for person in (alice, revenue_officer, recourse_officer):
        with pytest.raises(PermissionDenied):
            _statement(person, declaration, on_day)


def test_a_request_for_re_determination_waits_until_the_duties_and_interest_are_paid(statement, alice, rm0001, on_day):
    on_day(D(2025, 3, 10))
    with pytest.raises(services.RecourseError) as refused:
        services.request_redetermination(alice, statement, grounds="The royalties are not a condition of sale.")
    assert refused.value.code == "not_paid" and f"${statement.delta:,.2f}" in str(refused.value.messages[0])
    _pay(rm0001, statement.delta - Decimal("0.01"), D(2025, 3, 10))
    with pytest.raises(services.RecourseError):
        services.request_redetermination(alice, statement, grounds="x")
    _pay(rm0001, Decimal("0.01"), D(2025, 3, 10))
    appeal = services.request_redetermination(alice, statement, grounds="The royalties are not a condition of sale.")
    assert appeal.status == Status.ACKNOWLEDGED and list(appeal.statements.all()) == [statement]


def _appeal_deposit(alice, account, amount, program=SecurityProgram.APPEALS):
    """A cash deposit given as security and received (held) by CBSA."""
    deposit = security.open_deposit(alice, account, amount, program=program)
    return security.deposit_paid(deposit, f"REF-{deposit.pk}")


def test_a_request_is_accepted_on_security_for_appeals_instead_of_payment(statement, alice, rm0001, on_day):
    on_day(D(2025, 3, 10))
    owing = statement.delta
    _appeal_deposit(alice, rm0001, owing, program=SecurityProgram.RPP)  # RPP security secures no appeal
    _appeal_deposit(alice, rm0001, owing - Decimal("0.01"))
    for language, words in (("en", "free now"), ("fr", "garantie pour les appels")):
        with translation.override(language), pytest.raises(services.RecourseError) as refused:
            services.request_redetermination(alice, statement, grounds="Royalties")
        message = str(refused.value.messages[0])
        assert refused.value.code == "not_paid" and words in message
        # each amount written as the language writes it (1 773,75 $ in French)
        assert money(owing, language) in message and money(owing - Decimal("0.01"), language) in message
    _appeal_deposit(alice, rm0001, Decimal("0.01"))
    appeal = services.request_redetermination(alice, statement, grounds="Royalties")
    assert appeal.secured == owing and appeal.status == Status.ACKNOWLEDGED
    assert services.security_relied_on(rm0001) == owing


def test_security_relied_on_by_an_open_request_is_not_counted_twice_and_is_freed_by_its_decision(
    maple, rm0001, alice, officer, recourse_officer, tariff_rows, on_day
):
    first = _statement(officer, _accounted(alice, on_day), on_day)
    other = _statement(officer, _accounted(alice, on_day), on_day, day=D(2025, 3, 5), subject="0901.21.00")
    on_day(D(2025, 3, 10))
    _appeal_deposit(alice, rm0001, max(first.delta, other.delta))
    appeal = services.request_redetermination(alice, first, grounds="Royalties")
    with pytest.raises(services.RecourseError) as refused:
        services.request_redetermination(alice, other, grounds="Coffee")
    assert refused.value.code == "not_paid"
    services.decide(recourse_officer, appeal, Decision.DENIED, reasons="The royalties are a condition of sale.")
    assert services.security_relied_on(rm0001) == 0
    assert services.request_redetermination(alice, other, grounds="Coffee").secured == other.delta


def test_a_bond_for_appeals_is_not_rpp_security_and_stays_while_a_request_relies_on_it(
    statement, maple, alice, rm0001, sam, sureco, on_day
):
    on_day(D(2025, 3, 10))
    security.nominate(alice, maple, sureco)
    bond = security.post_bond(
        sam,
        maple,
        number="AP-1",
        amount=statement.delta,
        valid_from=D(2025, 3, 10),
        allocations=[(rm0001, statement.delta)],
        program=SecurityProgram.APPEALS,
    )
    assert security.posted(rm0001).total == 0 and security.appeal_security(rm0001) == statement.delta
    services.request_redetermination(alice, statement, grounds="Royalties")
    with pytest.raises(ValidationError) as refused:
        security.cancel(sam, bond)
    assert refused.value.code == "covers_open_appeal"


def test_a_request_for_re_determination_after_ninety_days_is_refused(statement, alice, rm0001, on_day):
    _pay(rm0001, statement.delta, D(2025, 3, 10))
    on_day(D(2025, 6, 2))  # the 90 days ended on 1 Jun
    with pytest.raises(services.RecourseError) as refused:
        services.request_redetermination(alice, statement, grounds="x")
    assert refused.value.code == "past_deadline" and "2025-06-01" in str(refused.value.messages[0])


def test_statements_on_the_same_issue_are_grouped_in_one_request(maple, rm0001, alice, officer, tariff_rows, on_day):
    first = _statement(officer, _accounted(alice, on_day), on_day)
    second = _statement(officer, _accounted(alice, on_day), on_day, day=D(2025, 3, 5))
    other = _statement(officer, _accounted(alice, on_day), on_day, day=D(2025, 3, 6), subject="0901.21.00")
    _pay(rm0001, first.delta + second.delta + other.delta, D(2025, 3, 10))
    on_day(D(2025, 3, 10))
    appeal = services.request_redetermination(alice, second, grounds="Royalties")
    assert set(appeal.statements.all()) == {first, second} and appeal.disputed == first.delta + second.delta
    assert appeal.deadline == first.request_deadline
    with pytest.raises(services.RecourseError) as refused:
        services.request_redetermination(alice, first, grounds="again")
    assert refused.value.code == "already_requested"
    assert set(services.request_redetermination(alice, other, grounds="Coffee").statements.all()) == {other}


def test_an_allowed_request_credits_the_duties_with_refund_interest_to_the_cent(
    statement, alice, rm0001, recourse_officer, interest_rate, on_day
):
    _pay(rm0001, statement.delta, D(2025, 3, 10))
    on_day(D(2025, 3, 10))
    appeal = services.request_redetermination(alice, statement, grounds="Royalties")
    before = _balance(rm0001)
    on_day(D(2025, 5, 1))
    decided = services.decide(recourse_officer, appeal, Decision.ALLOWED, reasons="Not a condition of sale.")
    interest = interest_owed(statement.delta, statement.ledger_entry.due_date, D(2025, 5, 1), RateKind.PRESCRIBED)
    assert interest > 0 and (decided.relief, decided.interest) == (statement.delta, interest)
    assert _balance(rm0001) == before - statement.delta - interest
    credits = LedgerEntry.objects.filter(reference=appeal.number).order_by("pk")
    assert [(e.entry_type, e.amount) for e in credits] == [
        (EntryType.REVERSAL, -statement.delta),
        (EntryType.INTEREST, -interest),
    ]
    assert decided.further_recourse_deadline == D(2025, 7, 30)  # CITT within 90 days (s.67(1))


def test_a_partly_allowed_request_waits_for_the_client_s_thirty_days_and_credits_the_relief(
    statement, alice, rm0001, recourse_officer, interest_rate, on_day
):
    _pay(rm0001, statement.delta, D(2025, 3, 10))
    on_day(D(2025, 3, 10))
    appeal = services.request_redetermination(alice, statement, grounds="Royalties")
    services.share_rationale(recourse_officer, appeal, "The royalties relate to the goods.")
    assert appeal.documents_until == D(2025, 4, 9)
    services.add_document(alice, appeal, SimpleUploadedFile("licence.pdf", PDF))
    with pytest.raises(services.RecourseError) as early:
        services.decide(recourse_officer, appeal, Decision.PARTLY, reasons="Part", relief="10.00")
    assert early.value.code == "documents_open"
    on_day(D(2025, 4, 10))
    with pytest.raises(services.RecourseError):
        services.add_document(alice, appeal, SimpleUploadedFile("late.pdf", PDF))
    before = _balance(rm0001)
    with pytest.raises(services.RecourseError):
        services.decide(recourse_officer, appeal, Decision.PARTLY, reasons="Part", relief=str(statement.delta))
    decided = services.decide(recourse_officer, appeal, Decision.PARTLY, reasons="Part", relief="10.00")
    assert decided.relief == Decimal("10.00")
    interest = interest_owed(Decimal("10.00"), statement.ledger_entry.due_date, D(2025, 4, 10), RateKind.PRESCRIBED)
    assert _balance(rm0001) == before - Decimal("10.00") - interest


def test_a_denied_request_changes_nothing_in_the_ledger_and_may_go_to_the_citt_within_ninety_days(
    statement, alice, rm0001, recourse_officer, on_day
):
    _pay(rm0001, statement.delta, D(2025, 3, 10))
    on_day(D(2025, 3, 10))
    appeal = services.request_redetermination(alice, statement, grounds="Royalties")
    before = _balance(rm0001)
    decided = services.decide(recourse_officer, appeal, Decision.DENIED, reasons="Condition of sale.")
    assert _balance(rm0001) == before and decided.relief == 0
    on_day(D(2025, 6, 9))
    with pytest.raises(services.RecourseError) as late:
        services.record_further_recourse(alice, decided, filed_on=D(2025, 6, 9), reference="AP-2025-001")
    assert late.value.code == "past_deadline"
    filed = services.record_further_recourse(alice, decided, filed_on=D(2025, 6, 8), reference="AP-2025-001")
    assert filed.further_recourse_reference == "AP-2025-001"


def test_the_tribunal_appeal_is_recorded_on_the_request_page_and_a_wrong_date_refused_keeping_the_file_number(
    client, statement, alice, rm0001, recourse_officer, on_day
):
    _pay(rm0001, statement.delta, D(2025, 3, 10))
    on_day(D(2025, 3, 10))
    appeal = services.request_redetermination(alice, statement, grounds="Royalties")
    services.decide(recourse_officer, appeal, Decision.DENIED, reasons="Condition of sale.")
    client.force_login(alice)
    url = f"/en/appeals/{appeal.number}/"
    assert 'name="reference"' in client.get(url).content.decode()
    bad = client.post(url, {"what": "tribunal", "filed_on": "2025-02-30", "reference": "AP-2025-001"})
    assert bad.status_code == 400 and "AP-2025-001" in bad.content.decode()
    done = client.post(url, {"what": "tribunal", "filed_on": "2025-03-10", "reference": "AP-2025-001"})
    assert done.status_code == 302 and done["Location"] == url
    assert type(appeal).objects.get(pk=appeal.pk).further_recourse_reference == "AP-2025-001"


# --- s.129 penalty appeals -------------------------------------------------------------------------


@pytest.fixture
def notice(maple, rm0001, officer):
    return penalties.assess(
        officer,
        rm0001,
        "C005",
        occurred_on=D(2025, 1, 6),
        reference="INV-1",
        reason="Wrong origin",
        today=D(2025, 1, 6),
    )


def test_a_penalty_appeal_within_ninety_days_partly_allowed_reduces_the_penalty_to_the_cent(
    notice, alice, rm0001, recourse_officer, on_day
):
    on_day(D(2025, 4, 6))  # the 90th day
    appeal = services.appeal_penalty(alice, notice, grounds="The origin certificate was valid.")
    before = _balance(rm0001)
    decided = services.decide(recourse_officer, appeal, Decision.PARTLY, reasons="First occurrence", relief="60.00")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.REDUCED and decided.relief == Decimal("60.00")
    assert _balance(rm0001) == before - Decimal("60.00")
    assert sum(LedgerEntry.objects.filter(reference="C005").values_list("amount", flat=True)) == Decimal("90.00")


def test_an_allowed_penalty_appeal_cancels_the_notice(notice, alice, rm0001, recourse_officer, on_day):
    on_day(D(2025, 2, 1))
    appeal = services.appeal_penalty(alice, notice, grounds="x")
    services.decide(recourse_officer, appeal, Decision.ALLOWED, reasons="Valid certificate.")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CANCELLED
    assert sum(LedgerEntry.objects.filter(reference="C005").values_list("amount", flat=True)) == 0


def test_a_late_penalty_appeal_needs_a_reason_and_ends_a_year_after_the_ninety_days(notice, alice, on_day):
    on_day(D(2025, 4, 7))  # a day late
    with pytest.raises(services.RecourseError) as refused:
        services.appeal_penalty(alice, notice, grounds="x")
    assert refused.value.code == "late_reason_required" and "2025-04-06" in str(refused.value.messages[0])
    on_day(D(2026, 4, 7))  # a year and a day after the 90 days
    with pytest.raises(services.RecourseError) as too_late:
        services.appeal_penalty(alice, notice, grounds="x", late_reason="Office closed")
    assert too_late.value.code == "past_late_limit"
    on_day(D(2026, 4, 6))
    appeal = services.appeal_penalty(alice, notice, grounds="x", late_reason="Our customs manager was on leave.")
    assert appeal.late_reason == "Our customs manager was on leave."


def test_a_notice_is_appealed_once(notice, alice, on_day):
    on_day(D(2025, 2, 1))
    services.appeal_penalty(alice, notice, grounds="x")
    with pytest.raises(services.RecourseError) as twice:
        services.appeal_penalty(alice, notice, grounds="again")
    assert twice.value.code == "already_appealed"


def test_a_broker_files_for_its_client_and_another_business_may_not(notice, broker, other_business_user, on_day):
    on_day(D(2025, 2, 1))
    with pytest.raises(PermissionDenied):
        services.appeal_penalty(other_business_user, notice, grounds="x")
    appeal = services.appeal_penalty(broker, notice, grounds="Filed by the broker")
    assert appeal.submitted_by_business.bn9 != notice.program_account.business.bn9  # Northern, the broker


def test_only_a_recourse_officer_or_supervisor_decides(notice, alice, officer, revenue_officer, olivia, on_day):
    on_day(D(2025, 2, 1))
    appeal = services.appeal_penalty(alice, notice, grounds="x")
    for person in (alice, officer, revenue_officer):
        with pytest.raises(PermissionDenied):
            services.decide(person, appeal, Decision.DENIED, reasons="No")
    assert services.decide(olivia, appeal, Decision.DENIED, reasons="No").status == Status.DECIDED


def test_a_document_of_the_wrong_type_is_refused_in_english_and_french_and_nothing_is_lost(notice, alice, on_day):
    on_day(D(2025, 2, 1))
    appeal = services.appeal_penalty(alice, notice, grounds="x")
    services.add_document(alice, appeal, SimpleUploadedFile("ok.pdf", PDF))
    for language, words in (("en", "Attach a PDF"), ("fr", "PDF")):
        with translation.override(language), pytest.raises(services.RecourseError) as refused:
            services.add_document(alice, appeal, SimpleUploadedFile("evil.exe", b"MZ\x90\x00"))
        assert refused.value.code == "wrong_type" and words in str(refused.value.messages[0])
    assert [d.name for d in appeal.documents.all()] == ["ok.pdf"]


def test_the_officer_queue_lists_open_requests_by_their_next_step(notice, alice, recourse_officer, on_day):
    on_day(D(2025, 2, 1))
    appeal = services.appeal_penalty(alice, notice, grounds="x")
    [item] = services.officer_queue()
    assert (item.subject, item.deadline) == (appeal, D(2025, 3, 3))
    services.share_rationale(recourse_officer, appeal, "Rationale")
    assert services.officer_queue()[0].deadline == D(2025, 3, 3)  # 30 days for documents

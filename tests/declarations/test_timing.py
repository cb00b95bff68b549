"""When a CAD and its changes are due, and why (issue 15 items 8-11): declarations.timing through the
services, with real 2025 dates; the ledger entries carry the same dates."""

import datetime as dt
from decimal import Decimal

from audit.models import AuditEntry
from businesses import account_programs
from businesses.models import ProgramAccount
from declarations import services
from declarations.models import Status
from ledger import statements
from ledger.models import EntryType, LedgerEntry
from penalties import services as penalties
from security import services as security
from security.models import RppStatus

from .conftest import RM1, cad, line

D = dt.date
JAN_1 = D(2025, 1, 1)


def _assessment(outcome, version="00001"):
    return LedgerEntry.objects.get(source_key=f"CAD:{outcome.declaration.transaction_number}:{version}")


def _program(officer, program="regular", since=JAN_1, **more):
    account = ProgramAccount.objects.get(number=RM1)
    return account_programs.record(
        officer, account, effective_from=since, accounting_program=program, reason="Test", **more
    )


def test_cad_accounted_after_the_17th_is_billed_on_the_next_statement_s33_4_2_a(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 4, 22))  # released Wed 16 Apr 2025, accounted Tue 22 Apr (on time: deadline 25 Apr)
    outcome = services.submit(alice, cad(release_date=D(2025, 4, 16)))
    assert outcome.code == 39 and not outcome.version.is_late
    assert outcome.version.payment_due_date == D(2025, 5, 30)
    entry = _assessment(outcome)
    assert (entry.effective_date, entry.due_date, entry.billing_period_end) == (
        D(2025, 4, 22),
        D(2025, 5, 30),
        D(2025, 5, 17),
    )


def test_late_cad_filed_after_its_period_closed_is_due_on_its_prescribed_day_s33_4_2_a(
    maple, alice, tariff_rows, on_day
):
    on_day(D(2025, 3, 3))
    services.submit(alice, cad(release_date=D(2025, 3, 3)))
    on_day(D(2025, 3, 25))
    statements.close_period(D(2025, 3, 17))
    on_day(D(2025, 4, 2))  # released Mon 10 Mar, deadline Mon 17 Mar: 16 days late
    outcome = services.submit(alice, cad(release_date=D(2025, 3, 10)))
    assert outcome.version.is_late and outcome.version.payment_due_date == D(2025, 3, 31)
    entry = _assessment(outcome)
    # Dated into the open period (the issued statement never changes), due when the law says: overdue.
    assert (entry.effective_date, entry.due_date) == (D(2025, 3, 18), D(2025, 3, 31))
    assert entry.explanation["document_date"] == "2025-03-17"
    penalties.late_accounting_run(D(2025, 4, 2))  # the nightly run raises the late-accounting notice
    penalty = LedgerEntry.objects.get(transaction_number=outcome.declaration.transaction_number, reference="C288")
    assert penalty.amount == Decimal("100.00")


def test_correction_filed_before_the_25th_is_on_that_statement_and_due_with_it(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 3, 20))
    first = services.submit(alice, cad(release_date=D(2025, 3, 20)))
    assert first.version.payment_due_date == D(2025, 5, 1)
    on_day(D(2025, 4, 22))
    fixed = services.amend(
        alice,
        first.declaration.transaction_number,
        cad(line(value="40000.00"), release_date=D(2025, 3, 20)),
        expected_version=1,
    )
    assert fixed.code == 39 and fixed.version.kind == "correction"
    entry = _assessment(fixed, "00002")
    assert (entry.effective_date, entry.due_date, entry.amount) == (D(2025, 4, 17), D(2025, 5, 1), fixed.version.delta)
    assert fixed.version.due_basis["correction"]["rule"] == "correction_on_statement"
    on_day(D(2025, 4, 25))
    [statement] = statements.close_period(D(2025, 4, 17))
    assert statement.amount_due == first.version.total + fixed.version.delta


def test_correction_filed_after_the_statement_is_due_in_the_current_cycle(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 3, 20))
    first = services.submit(alice, cad(release_date=D(2025, 3, 20)))
    on_day(D(2025, 4, 25))
    statements.close_period(D(2025, 4, 17))
    on_day(D(2025, 4, 28))
    fixed = services.amend(
        alice,
        first.declaration.transaction_number,
        cad(line(value="40000.00"), release_date=D(2025, 3, 20)),
        expected_version=1,
    )
    entry = _assessment(fixed, "00002")
    assert (entry.effective_date, entry.due_date) == (D(2025, 4, 28), D(2025, 5, 30))
    assert fixed.version.payment_due_date == D(2025, 5, 1)  # the CAD's own due date does not move


def test_cash_cad_is_due_at_release_not_on_the_next_statement(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 6, 2))
    outcome = services.submit(alice, cad(release_date=D(2025, 6, 2), cad_type="cash"))
    assert outcome.version.payment_due_date == D(2025, 6, 2)
    assert _assessment(outcome).due_date == D(2025, 6, 2)


def test_rpp_cad_of_an_account_not_enrolled_in_rpp_is_due_at_release(maple, alice, olivia, tariff_rows, on_day):
    # The RPP enrolment is security's (its one truth): enrolled in January, ended from 21 May.
    account = ProgramAccount.objects.get(number=RM1)
    security.decide_enrolment(olivia, account, RppStatus.ENROLLED, "Test", today=JAN_1)
    security.decide_enrolment(olivia, account, RppStatus.ENDED, "Test", today=D(2025, 5, 21))
    # Released while still enrolled: due with the period ending Tue 17 Jun 2025, whose 10th weekday
    # is Canada Day, deferred to Wed 2 Jul.
    on_day(D(2025, 5, 20))
    before = services.submit(alice, cad(release_date=D(2025, 5, 20)))
    assert before.version.payment_due_date == D(2025, 7, 2)
    on_day(D(2025, 6, 3))
    outcome = services.submit(alice, cad(release_date=D(2025, 6, 2)))
    # (tariff_schedule: the fixture tariff is a 2020 schedule, named on every 2025 CAD)
    assert outcome.code == 39 and [w.code for w in outcome.warnings] == ["tariff_schedule", "rpp_not_enrolled"]
    assert outcome.version.payment_due_date == D(2025, 6, 2)
    assert _assessment(outcome).due_date == D(2025, 6, 2)


def test_clvs_account_accounting_on_the_24th_itself_is_on_time_and_not_warned(
    maple, alice, olivia, tariff_rows, on_day
):
    _program(olivia, program="clvs")
    on_day(D(2025, 2, 24))  # released Fri 3 Jan 2025: to account by 24 Feb, and it is 24 Feb
    outcome = services.submit(alice, cad())
    assert outcome.version.cad_due_date == D(2025, 2, 24) and not outcome.version.is_late
    assert not {"late_accounting", "rpp_not_enrolled"} & {w.code for w in outcome.warnings}  # RPP enrolled
    assert not LedgerEntry.objects.filter(
        transaction_number=outcome.declaration.transaction_number, entry_type="penalty"
    )


def test_clvs_account_is_late_after_the_24th_and_draws_c292(maple, alice, olivia, tariff_rows, on_day):
    _program(olivia, program="clvs")
    on_day(D(2025, 2, 25))  # released Fri 3 Jan 2025: to account by 24 Feb
    outcome = services.submit(alice, cad())
    assert outcome.version.cad_due_date == D(2025, 2, 24) and outcome.version.is_late
    assert [w.message for w in outcome.warnings if w.code == "late_accounting"] == [
        "Accounted after the deadline of 2025-02-24: late accounting, AMPS C292."
    ]
    assert outcome.version.payment_due_date == D(2025, 3, 31)  # 10th weekday after 17 Mar
    penalties.late_accounting_run(D(2025, 2, 25))
    penalty = LedgerEntry.objects.get(transaction_number=outcome.declaration.transaction_number, entry_type="penalty")
    assert (penalty.reference, penalty.amount) == ("C292", Decimal("100.00"))


def test_only_an_officer_changes_an_account_s_program_and_it_is_audited(maple, alice, olivia):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _program(alice, program="csa")
    row = _program(olivia, program="csa")
    assert AuditEntry.objects.filter(action="businesses.account_program_changed", object_id=str(row.pk)).exists()
    account = ProgramAccount.objects.get(number=RM1)
    assert account_programs.on(account, D(2024, 12, 31)).accounting_program == "regular"
    assert account_programs.on(account, D(2025, 1, 1)).accounting_program == "csa"


def test_csa_importer_s_chosen_period_sets_its_deadline_and_due_date_s10_3(maple, alice, olivia, tariff_rows, on_day):
    _program(olivia, program="csa", csa_period="cycle")
    on_day(D(2025, 1, 6))  # released Fri 3 Jan 2025, in the period 18 Dec - 17 Jan
    outcome = services.submit(alice, cad())
    # s.10.3(1)(b), (3): the 10th weekday after Fri 17 Jan 2025, Fri 31 Jan (the calendar month gives 3 Mar)
    assert (outcome.version.cad_due_date, outcome.version.payment_due_date) == (D(2025, 1, 31), D(2025, 1, 31))
    assert outcome.version.due_basis["deadline"]["source"] == "SOR/86-1062 s.10.3(3)"
    assert _assessment(outcome).due_date == D(2025, 1, 31)


def test_csa_importer_on_the_calendar_month_is_due_the_10th_weekday_after_the_17th_of_the_next_s10_3_2(
    maple, alice, olivia, tariff_rows, on_day
):
    _program(olivia, program="csa")  # the calendar month unless chosen otherwise
    on_day(D(2025, 1, 6))
    outcome = services.submit(alice, cad())
    # 10 weekdays after Mon 17 Feb 2025 (Family Day counted: SOR/86-1062 s.2 "weekday"): Mon 3 Mar
    assert outcome.version.payment_due_date == D(2025, 3, 3)


def test_a_csa_importer_keeps_the_period_it_chose_s10_3_4(maple, olivia):
    import pytest
    from django.core.exceptions import ValidationError

    _program(olivia, program="csa", csa_period="cycle")
    with pytest.raises(ValidationError) as refused:
        _program(olivia, program="csa", csa_period="month", since=D(2025, 6, 1))
    assert refused.value.code == "csa_period_fixed"
    with pytest.raises(ValidationError) as unknown:
        _program(olivia, program="csa", csa_period="week", since=D(2025, 6, 1))
    assert unknown.value.code == "invalid_choice"
    _program(olivia, program="csa", csa_period="cycle", since=D(2025, 6, 1))  # same period: fine


def test_correction_more_than_90_days_after_reason_to_believe_is_flagged_s32_2(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    on_day(D(2025, 6, 10))
    late = services.amend(
        alice,
        number,
        cad(line(value="40000.00")),
        expected_version=1,
        reason="Origin",
        reason_to_believe_on="2025-03-01",
    )
    assert late.code == 42 and late.version.correction_late
    assert late.version.reason_to_believe_on == D(2025, 3, 1)
    assert "correction_after_90_days" in [w.code for w in late.warnings]


def test_correction_within_90_days_of_reason_to_believe_is_not_flagged_s32_2(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    on_day(D(2025, 1, 8))
    fixed = services.amend(
        alice, number, cad(line(value="40000.00")), expected_version=1, reason_to_believe_on="2024-10-10"
    )
    assert fixed.code == 39 and not fixed.version.correction_late  # 90 days exactly


def test_reason_to_believe_date_is_checked(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    future = services.amend(alice, number, cad(), expected_version=1, reason_to_believe_on="2025-02-01")
    assert [(e.code, e.pointer) for e in future.errors] == [("future_date", "/reason_to_believe_on")]
    bad = services.amend(alice, number, cad(), expected_version=1, reason_to_believe_on="01/02/2025")
    assert [(e.code, e.pointer) for e in bad.errors] == [("invalid_date", "/reason_to_believe_on")]


def test_refund_after_four_years_needs_an_officer_s_authority_s74(maple, alice, olivia, tariff_rows, on_day):
    on_day(D(2024, 1, 8))  # released Fri 5 Jan 2024, accounted Mon 8 Jan 2024
    number = services.submit(alice, cad(release_date=D(2024, 1, 5))).declaration.transaction_number
    on_day(D(2028, 1, 10))  # four years ended 8 Jan 2028
    refund = services.amend(
        alice, number, cad(line(value="20000.00"), release_date=D(2024, 1, 5)), expected_version=1, reason="Overvalued"
    )
    assert refund.code == 42 and "refund_time_barred" in [w.code for w in refund.warnings]
    assert refund.version.due_basis["refund_limit"]["day"] == "2028-01-08"
    refused = services.decide_adjustment(refund.version, approve=True, officer=olivia)
    assert [(e.code, e.pointer) for e in refused.errors] == [("refund_time_barred", "/time_limit_override")]
    authority = "Customs Act s.61(1): to give effect to a CITT decision"
    approved = services.decide_adjustment(refund.version, approve=True, officer=olivia, time_limit_override=authority)
    assert approved.version.status == Status.ACCEPTED and approved.version.time_limit_override == authority
    audited = AuditEntry.objects.get(action="declarations.adjustment_approved", object_id=str(refund.version.pk))
    assert audited.after["time_limit_override"] == authority
    assert LedgerEntry.objects.get(source_key=f"CAD:{number}:00002").entry_type == EntryType.ASSESSMENT


def test_refund_within_four_years_is_not_flagged_s74(maple, alice, tariff_rows, on_day):
    on_day(D(2024, 1, 8))
    number = services.submit(alice, cad(release_date=D(2024, 1, 5))).declaration.transaction_number
    on_day(D(2028, 1, 7))
    refund = services.amend(
        alice, number, cad(line(value="20000.00"), release_date=D(2024, 1, 5)), expected_version=1, reason="Overvalued"
    )
    assert refund.code == 42 and "refund_limit" not in refund.version.due_basis


def test_cad_page_shows_why_each_due_date_in_english_and_french(client, maple, alice, tariff_rows, on_day):
    from tests.conftest import sign_in

    on_day(D(2025, 3, 24))  # released Sat 22 Mar 2025: Mon 24 Mar is day 1, the deadline Fri 28 Mar
    number = services.submit(alice, cad(release_date=D(2025, 3, 22))).declaration.transaction_number
    sign_in(client, alice)
    english = client.get(f"/en/declarations/{number}/").content.decode()
    assert "Why these dates" in english and "Accounting due date: 2025-03-28" in english
    assert "makes the first business day after it day 1 (here 2025-03-24)" in english and "AMPS C288" in english
    assert "Payment due date: 2025-05-01" in english and "billing period ending 2025-04-17" in english
    assert "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-33.4.html" in english
    french = client.get(f"/fr/declarations/{number}/").content.decode()
    assert (
        "Pourquoi ces dates" in french
        and "le premier jour ouvrable suivant est le jour 1 (ici le 2025-03-24)" in french
    )
    assert "période de facturation se terminant le 2025-04-17" in french


def test_a_correction_s_reason_to_believe_date_is_taken_on_the_change_form(client, maple, alice, tariff_rows, on_day):
    from tests.conftest import sign_in

    from .test_pages import form_data

    on_day(D(2025, 1, 6))
    number = services.submit(alice, cad()).declaration.transaction_number
    sign_in(client, alice)
    url = f"/en/declarations/{number}/change/"
    bad = client.post(
        url, form_data(cad(line(value="40000.00")), expected_version=1, reason_to_believe_on="2025-13-01")
    )
    assert bad.status_code == 200 and "Give a date as YYYY-MM-DD." in bad.content.decode()
    good = client.post(
        url, form_data(cad(line(value="40000.00")), expected_version=1, reason_to_believe_on="2024-12-20")
    )
    assert good.status_code == 302
    version = services.visible_declarations(alice).get(transaction_number=number).version()
    assert (version.number, version.reason_to_believe_on, version.correction_late) == (2, D(2024, 12, 20), False)


def test_the_api_takes_the_reason_to_believe_date_and_answers_why_the_dates(api, broker, tariff_rows, on_day):
    on_day(D(2025, 1, 6))
    call = api(broker)
    created = call("post", "declarations", cad()).json()
    basis = created["due_basis"]
    assert (basis["deadline"]["day"], basis["deadline"]["rule"], basis["deadline"]["penalty"]) == (
        "2025-01-10",
        "five_business_days",
        "C288",
    )
    assert (basis["payment"]["day"], basis["payment"]["inputs"]["billed_on"]) == ("2025-01-31", "2025-01-06")
    number = created["transaction_number"]
    body = {"expected_version": 1, "declaration": cad(line(value="40000.00")), "reason_to_believe_on": "yesterday"}
    bad = call("post", f"declarations/{number}/versions", body)
    assert (bad.status_code, bad.json()["errors"][0]["field"], bad.json()["errors"][0]["code"]) == (
        400,
        "/reason_to_believe_on",
        "invalid_date",
    )
    fixed = call("post", f"declarations/{number}/versions", {**body, "reason_to_believe_on": "2024-09-01"}).json()
    assert (fixed["reason_to_believe_on"], fixed["correction_late"]) == ("2024-09-01", True)
    assert fixed["due_basis"]["correction"]["rule"] == "correction_current_cycle"
    assert "correction_after_90_days" in [warning["code"] for warning in fixed["warnings"]]


def test_an_officer_approves_a_late_refund_on_the_page_only_with_an_authority_s74(
    client, maple, alice, olivia, tariff_rows, on_day
):
    from tests.conftest import sign_in

    on_day(D(2024, 1, 8))
    number = services.submit(alice, cad(release_date=D(2024, 1, 5))).declaration.transaction_number
    on_day(D(2028, 1, 10))
    refund = services.amend(
        alice, number, cad(line(value="20000.00"), release_date=D(2024, 1, 5)), expected_version=1, reason="Overvalued"
    )
    sign_in(client, olivia)
    url = f"/en/declarations/adjustments/{refund.version.pk}/"
    page = client.get(url).content.decode()
    assert "Refund time limit: 2028-01-08" in page and "Customs Act s.74(3)(b)" in page
    refused = client.post(url, {"decision": "approve", "reason": ""}).content.decode()
    assert "name the authority you approve it under" in refused
    authority = "Customs Act s.61(1): to give effect to a CITT decision"
    assert client.post(url, {"decision": "approve", "time_limit_override": authority}).status_code == 302
    refund.version.refresh_from_db()
    assert (refund.version.status, refund.version.time_limit_override) == (Status.ACCEPTED, authority)

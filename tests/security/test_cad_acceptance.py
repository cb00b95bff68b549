import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from declarations import services as declarations
from security import services
from security.models import RppStatus
from tests.declarations.conftest import cad, line

from .conftest import enrol, secured

D = dt.date
RELEASE = D(2025, 6, 2)


def _codes(outcome):
    return [e.code for e in outcome.errors]


def test_rpp_cad_is_refused_for_an_account_not_enrolled_and_accepted_as_cash(maple, alice, tariff_rows, on_day):
    on_day(RELEASE)
    refused = declarations.submit(alice, cad(release_date=RELEASE))
    assert _codes(refused) == ["rpp_not_enrolled"] and refused.declaration is None
    accepted = declarations.submit(alice, cad(release_date=RELEASE, cad_type="cash"))
    assert accepted.errors == [] and accepted.version.payment_due_date == RELEASE


def test_rpp_cad_is_refused_when_the_security_is_short_of_the_requirement(
    maple, rm0001, alice, sam, sureco, tariff_rows, on_day
):
    on_day(RELEASE)
    secured(rm0001, alice, sam, sureco, amount="4000.00")  # a new importer: $5,000 required
    refused = declarations.submit(alice, cad(release_date=RELEASE))
    assert _codes(refused) == ["rpp_insufficient_security"]
    assert "$1,000.00" in str(refused.errors[0].message)


def test_rpp_cad_is_accepted_for_an_enrolled_account_whose_security_meets_its_requirement(
    maple, rm0001, alice, sam, sureco, tariff_rows, on_day
):
    on_day(RELEASE)
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    outcome = declarations.submit(alice, cad(release_date=RELEASE))
    assert outcome.errors == [] and outcome.version.cad_type == "rpp"


def test_rpp_cad_released_before_the_end_of_the_transition_needs_no_security(maple, alice, tariff_rows, on_day):
    on_day(D(2025, 5, 20))
    outcome = declarations.submit(alice, cad(release_date=D(2025, 5, 19)))
    assert outcome.errors == []


def test_rpp_cad_of_a_suspended_account_is_refused(maple, rm0001, alice, ravi, tariff_rows, on_day):
    on_day(RELEASE)
    enrol(rm0001, D(2025, 5, 1))
    services.decide_enrolment(ravi, rm0001, RppStatus.SUSPENDED, "review deadline missed", today=D(2025, 6, 1))
    assert _codes(declarations.submit(alice, cad(release_date=RELEASE))) == ["rpp_not_enrolled"]


def _usage(outcome):
    return [w.message for w in outcome.warnings if w.code == "rpp_security_usage"]


def test_a_batch_warns_on_the_unpaid_activity_of_its_earlier_cads(
    maple, rm0001, alice, sam, sureco, tariff_rows, on_day
):
    on_day(RELEASE)
    secured(rm0001, alice, sam, sureco, amount="5000.00")  # stands for $10,000 of a month's duties and taxes
    outcomes = declarations.submit_batch(
        alice, [(f"W{n}", cad(line(value="38000.00"), release_date=RELEASE)) for n in range(3)]
    )
    assert [o.version.total for o in outcomes] == [Decimal("4493.50")] * 3  # 45 %, then 90 %, then 135 % unpaid
    assert [len(_usage(o)) for o in outcomes] == [0, 1, 1]
    assert "80%" in str(_usage(outcomes[1])[0]) and "100%" in str(_usage(outcomes[2])[0])


def test_the_cads_of_a_batch_past_the_same_threshold_are_warned_alike_each_with_its_account(
    maple, rm0001, alice, sam, sureco, tariff_rows, on_day
):
    on_day(RELEASE)
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    outcomes = declarations.submit_batch(
        alice, [(f"W{n}", cad(line(value="38000.00"), release_date=RELEASE)) for n in range(4)]
    )  # 45 %, 90 %, 135 %, 180 % unpaid: the last two past 100 %
    warned = [[str(message) for message in _usage(o)] for o in outcomes]
    expected = f"Unpaid RPP activity on account {rm0001.number} reaches 100% of what its security covers."
    assert warned[2] == warned[3] == [expected]
    assert warned[1] == [expected.replace("100%", "80%")]


def test_a_batch_reads_the_security_position_once_however_many_cads(
    maple, rm0001, alice, sam, sureco, tariff_rows, on_day
):
    on_day(RELEASE)
    secured(rm0001, alice, sam, sureco, amount="5000.00")

    def queries(count, run):
        items = [(f"Q{run}-{n}", cad(line(value="100.00"), release_date=RELEASE)) for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            outcomes = declarations.submit_batch(alice, items)
        assert all(o.errors == [] for o in outcomes)
        return len(captured)

    queries(2, "warm")  # first uses (the tariff's kept classifications, the token, ...) not counted
    assert queries(3, "a") == queries(6, "b")


def test_billing_and_the_rpp_rule_read_the_enrolment_once_a_batch(
    maple, rm0001, alice, sam, sureco, tariff_rows, on_day
):
    on_day(RELEASE)
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    items = [(f"E{n}", cad(line(value="100.00"), release_date=RELEASE)) for n in range(3)]
    with CaptureQueriesContext(connection) as captured:
        outcomes = declarations.submit_batch(alice, items)
    assert all(o.errors == [] for o in outcomes)
    assert all(o.version.payment_due_date > RELEASE for o in outcomes)  # enrolled: due on its statement
    assert len([q for q in captured if "security_enrolment" in q["sql"]]) == 1

import datetime as dt

from declarations import services as declarations
from security import services
from security.models import RppStatus
from tests.declarations.conftest import cad

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

"""The client-side API lists show a person's own grants and relationships (rights.held): an officer,
who may open any client's row, lists none of them there (the officer API and the client 360 are where
officers look); the importer still lists hers. One test per list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from access.models import AccessRequest
from declarations import services as declarations
from delegation.models import ClientGroup
from ledger import statements
from ledger.models import EntryType
from ledger.posting import post_entry
from payments.models import Payment, PaymentLine
from penalties import services as penalties
from rights import OfficerRole
from rulings.models import RulingRequest
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import cad, interest_rate  # noqa: F401 (fixtures)
from tests.delegation.conftest import bob, northern, relate  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _entry(rm0001, **_):
    post_entry(rm0001, EntryType.ASSESSMENT, Decimal("80.00"), effective_date=dt.date(2025, 1, 6), source_key="L1")


def _statement(rm0001, **_):
    _entry(rm0001)
    statements.close_period(dt.date(2025, 1, 17))


def _access_request(maple, charlie, **_):
    AccessRequest.objects.create(user=charlie, business=maple, note="I work here")


def _payment(rm0001, alice, **_):
    payment = Payment.objects.create(
        reference="P-LIST-1", method="card", amount=Decimal("5.00"), requested_by=alice, idempotency_key="k"
    )
    PaymentLine.objects.create(payment=payment, program_account=rm0001, amount=Decimal("5.00"))


def _ruling(rm0001, alice, maple, **_):
    RulingRequest.objects.create(
        case_number="R-LIST-1", kind="tariff", status="submitted", program_account=rm0001,
        submitted_by_business=maple, created_by=alice,
    )  # fmt: skip


def _notice(rm0001, officers, **_):
    today = timezone.localdate()
    penalties.assess(officers[OfficerRole.TRADE], rm0001, "C005", occurred_on=today, reference="I", reason="x")


def _relationship(relate, **_):
    relate()


def _client_group(relate, northern, **_):
    ClientGroup.objects.create(provider=northern, name="Importers").relationships.add(relate())


def _nothing(**_):
    pass


LISTS = [  # (URL, what puts a row of the client's in it, who lists it as their own)
    ("/api/v1/businesses", _nothing, "alice"),
    ("/api/v1/program-accounts", _nothing, "alice"),
    ("/api/v1/role-grants", _nothing, "alice"),
    ("/api/v1/access-requests", _access_request, "alice"),
    ("/api/v1/ledger/entries", _entry, "alice"),
    ("/api/v1/ledger/balances", _entry, "alice"),
    ("/api/v1/ledger/statements", _statement, "alice"),
    ("/api/v1/payments", _payment, "alice"),
    ("/api/v1/rulings", _ruling, "alice"),
    ("/api/v1/relationships", _relationship, "alice"),
    ("/api/v1/client-groups", _client_group, "bob"),
    ("/api/v1/security/positions", _nothing, "alice"),
    ("/api/v1/appeals", _notice, "alice"),
]


def _rows(response) -> list:
    body = response.json()
    if isinstance(body, dict) and "results" in body:
        return body["results"]
    if isinstance(body, dict):  # the appeals overview: three lists
        return [row for rows in body.values() for row in rows]
    return body


@pytest.mark.parametrize(("url", "make", "owner"), LISTS, ids=[row[0] for row in LISTS])
def test_an_officer_lists_no_client_rows_where_the_client_lists_hers(
    request, officers, as_person, alice, charlie, maple, rm0001, url, make, owner
):
    fixtures = {"alice": alice, "charlie": charlie, "maple": maple, "rm0001": rm0001, "officers": officers}
    if make in (_relationship, _client_group):
        fixtures |= {"relate": request.getfixturevalue("relate"), "northern": request.getfixturevalue("northern")}
    make(**fixtures)
    person = alice if owner == "alice" else request.getfixturevalue("bob")
    owned = as_person(person).get(url)
    assert owned.status_code == 200 and _rows(owned), url  # the client's own row is there
    for role in (OfficerRole.AUDITOR, OfficerRole.SUPERVISOR):
        listed = as_person(officers[role]).get(url)
        assert listed.status_code == 200 and _rows(listed) == [], (url, role)


def test_an_officer_lists_no_clients_declarations_but_still_opens_one(
    officers,
    as_person,
    alice,
    maple,
    tariff_rows,
    usd_rates,
    interest_rate,  # noqa: F811 (fixtures)
):
    declaration = declarations.submit(alice, cad()).declaration
    assert _rows(as_person(alice).get("/api/v1/declarations"))
    officer = as_person(officers[OfficerRole.REVENUE])
    assert _rows(officer.get("/api/v1/declarations")) == []
    assert officer.get(f"/api/v1/declarations/{declaration.transaction_number}").status_code == 200

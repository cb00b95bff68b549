import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection

from audit.models import AuditEntry
from security import services
from security.models import Bond, BondStatus, SecurityEvent

from .conftest import RM2, duties, enrol

D = dt.date
MAY_1 = D(2025, 5, 1)


def _post(api_as, person, **changes):
    body = {"importer": "123456782", "number": "SB-1", "amount": "60000.00", "valid_from": "2025-05-01", **changes}
    return api_as(person)("post", "security/bonds", body)


def test_a_provider_posts_a_bond_allocated_across_two_rm_accounts_of_an_importer_that_named_it(
    api, maple, rm0001, rm0002, alice, sam, sureco
):
    services.nominate(alice, maple, sureco)
    shares = [{"account": rm0001.number, "amount": "40000.00"}, {"account": RM2, "amount": "20000.00"}]
    response = _post(api, sam, allocations=shares)
    assert response.status_code == 201, response.content
    bond = Bond.objects.get(number="SB-1")
    assert (bond.status, bond.allocated) == (BondStatus.ACTIVE, Decimal("60000.00"))
    assert services.posted(rm0002, MAY_1).bond == Decimal("20000.00")
    assert AuditEntry.objects.filter(action="security.bond_posted", object_id=str(bond.pk)).exists()
    assert list(SecurityEvent.objects.filter(bond=bond).values_list("kind", flat=True)) == [
        "posted",
        "allocated",
        "allocated",
    ]


def test_a_bond_posted_for_appeals_secures_appeals_and_not_rpp(api, maple, rm0001, alice, sam, sureco):
    services.nominate(alice, maple, sureco)
    shares = [{"account": rm0001.number, "amount": "60000.00"}]
    response = _post(api, sam, allocations=shares, program="appeals")
    assert response.status_code == 201 and response.json()["program"] == "appeals"
    assert services.appeal_security(rm0001, MAY_1) == Decimal("60000.00")
    assert services.posted(rm0001, MAY_1).total == 0
    wrong = _post(api, sam, number="SB-2", program="rent")
    assert wrong.status_code == 400 and not Bond.objects.filter(number="SB-2").exists()


def test_a_provider_cannot_post_a_bond_for_an_importer_that_did_not_name_it(api, maple, sam, sureco):
    response = _post(api, sam)
    assert response.status_code == 403
    assert not Bond.objects.exists()
    assert AuditEntry.objects.filter(action="access.denied").exists()


def test_a_person_without_the_provider_role_cannot_use_the_bond_api(api, maple, alice, sureco):
    services.nominate(alice, maple, sureco)
    assert _post(api, alice).status_code == 403


def test_a_provider_cannot_see_or_change_another_provider_s_bond(api, maple, rm0001, alice, sam, sureco, bea, bondwell):
    services.nominate(alice, maple, sureco)
    services.nominate(alice, maple, bondwell)
    bond = services.post_bond(sam, maple, number="SB-1", amount="10000.00", valid_from=MAY_1)
    as_bea = api(bea)
    assert as_bea("get", f"security/bonds/{bond.pk}").status_code == 404
    assert as_bea("patch", f"security/bonds/{bond.pk}", {"amount": "1.00"}).status_code == 404
    assert as_bea("post", f"security/bonds/{bond.pk}/cancel").status_code == 404
    assert as_bea("get", "security/bonds").json() == []
    with pytest.raises(PermissionDenied):
        services.cancel(bea, bond)
    bond.refresh_from_db()
    assert (bond.status, bond.amount) == (BondStatus.ACTIVE, Decimal("10000.00"))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": "0.00"}, "not_positive"),
        ({"amount": "-5.00"}, "not_positive"),
        ({"valid_to": "2025-04-30"}, "validity_reversed"),
        ({"allocations": [{"account": "123456782RM0001", "amount": "60000.01"}]}, "over_allocated"),
    ],
)
def test_bad_bonds_are_refused_with_a_specific_error_and_nothing_saved(api, maple, alice, sam, sureco, changes, code):
    services.nominate(alice, maple, sureco)
    response = _post(api, sam, **changes)
    assert response.status_code in {400, 409} and response.json()["errors"][0]["code"] == code
    assert not Bond.objects.exists()


def test_an_allocation_above_what_is_left_of_the_bond_is_refused(maple, rm0001, rm0002, alice, sam, sureco):
    services.nominate(alice, maple, sureco)
    bond = services.post_bond(
        sam, maple, number="SB-1", amount="10000.00", valid_from=MAY_1, allocations=[(rm0001, "7000.00")]
    )
    with pytest.raises(ValidationError) as refused:
        services.allocate(sam, bond, rm0002, "3000.01")
    assert refused.value.code == "over_allocated"
    services.allocate(sam, bond, rm0002, "3000.00")
    bond.refresh_from_db()
    assert bond.allocated == bond.amount


def test_a_bond_cannot_be_amended_below_what_it_covers(maple, rm0001, alice, sam, sureco):
    services.nominate(alice, maple, sureco)
    bond = services.post_bond(
        sam, maple, number="SB-1", amount="10000.00", valid_from=MAY_1, allocations=[(rm0001, "7000.00")]
    )
    with pytest.raises(ValidationError) as refused:
        services.amend(sam, bond, amount="6999.99")
    assert refused.value.code == "below_allocated"
    services.amend(sam, bond, amount="8000.00")
    assert [event.after["amount"] for event in SecurityEvent.objects.filter(bond=bond, kind="amended")] == ["8000.00"]


def test_cancelling_a_bond_that_covers_open_rpp_debt_is_refused_with_the_reason(api, maple, rm0001, alice, sam, sureco):
    enrol(rm0001)
    services.nominate(alice, maple, sureco)
    bond = services.post_bond(
        sam, maple, number="SB-1", amount="10000.00", valid_from=MAY_1, allocations=[(rm0001, "10000.00")]
    )
    duties(rm0001, D(2025, 6, 2), "2500.00", "C1")
    response = api(sam)("post", f"security/bonds/{bond.pk}/cancel")
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["code"] == "covers_open_debt" and "$2,500.00" in error["message"]
    bond.refresh_from_db()
    assert bond.status == BondStatus.ACTIVE


def test_a_bond_entered_by_the_importer_counts_only_once_its_provider_confirms_it(
    api, maple, rm0001, alice, sam, sureco
):
    bond = services.enter_bond(alice, rm0001, sureco, number="P-1", amount="5000.00", valid_from=MAY_1)
    assert services.posted(rm0001, MAY_1).bond == 0
    assert api(sam)("post", f"security/bonds/{bond.pk}/confirm").status_code == 200
    assert services.posted(rm0001, MAY_1).bond == Decimal("5000.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_cannot_exceed_the_bond(maple, rm0001, rm0002, alice, sam, sureco):
    services.nominate(alice, maple, sureco)
    bond = services.post_bond(sam, maple, number="SB-1", amount="10000.00", valid_from=MAY_1)
    start, outcomes = threading.Barrier(2), []

    def allocate(account):
        try:
            start.wait()
            services.allocate(sam, Bond.objects.get(pk=bond.pk), account, "6000.00")
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.code)
        except DatabaseError:  # SQLite may refuse the second writer outright ("table is locked")
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(account,)) for account in (rm0001, rm0002)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bond.refresh_from_db()
    assert outcomes.count("ok") == 1 and len(outcomes) == 2
    assert bond.allocated == Decimal("6000.00") == sum(a.amount for a in bond.allocations.all())

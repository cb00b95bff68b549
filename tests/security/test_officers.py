import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from notifications.models import Notification
from security import services
from security.models import BondChannel, BondStatus

from .conftest import secured

D = dt.date


def test_a_paper_bond_waits_in_the_officers_queue_and_counts_once_an_officer_records_it(
    maple, rm0001, alice, sureco, ravi
):
    bond = services.enter_bond(
        alice, rm0001, sureco, number="BSF259-1", amount="8000.00", valid_from=D(2025, 5, 1), paper=True
    )
    assert (bond.channel, bond.status) == (BondChannel.PAPER, BondStatus.AWAITING_OFFICER)
    assert [(item.kind, item.subject) for item in services.officer_queue(ravi)] == [("paper_bond", bond)]
    with pytest.raises(PermissionDenied):
        services.confirm_bond(alice, bond)
    services.confirm_bond(ravi, bond)
    assert services.posted(rm0001, D(2025, 6, 1)).bond == Decimal("8000.00")
    assert services.officer_queue(ravi) == []


def test_only_an_officer_with_manage_security_sees_the_queue(maple, alice):
    with pytest.raises(PermissionDenied):
        services.officer_queue(alice)


def test_cancelling_a_bond_tells_the_importer_its_account_falls_short(maple, rm0001, alice, sam, sureco):
    bond = secured(rm0001, alice, sam, sureco, amount="5000.00")
    services.cancel(sam, bond)
    notice = Notification.objects.get(kind="security.shortfall", recipient=alice)
    assert notice.context["shortfall"] in {"5000.00", "5000"} and "Maple" in notice.message

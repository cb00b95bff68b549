"""The rulings workflow on core.transitions: every event's status move is in the status table, the
database refuses an unknown status, and of two steps made from the same reading only one lands."""

import pytest
from django.db import IntegrityError, transaction

from rulings import services
from rulings.models import STATUS_TRANSITIONS, RulingRequest, Status
from tests.assessment.test_estimate_fixtures import WATER

from .conftest import FILED


def test_every_workflow_event_moves_the_status_as_the_status_table_allows():
    for event, step in services.TRANSITIONS.items():
        for source in step.sources:
            target = source if step.target is services.SAME else step.target
            assert STATUS_TRANSITIONS.allows(source, target), (event, source, target)


def test_the_database_refuses_a_status_that_is_not_one(filed):
    ruling = filed()
    with pytest.raises(IntegrityError), transaction.atomic():
        RulingRequest.objects.filter(pk=ruling.pk).update(status="approved")


def test_two_steps_from_the_same_reading_land_once(filed, olivia, oscar):
    ruling = filed()
    stale = RulingRequest.objects.get(pk=ruling.pk)
    services.transition(olivia, ruling, services.Event.RENDERED, today=FILED, classification=WATER, reasons="GIR 1.")
    with pytest.raises(services.Conflict) as refused:
        services.transition(olivia, stale, services.Event.REFUSED, today=FILED, reasons="Under appeal.")
    assert refused.value.errors[0].code == "conflict"
    stale.refresh_from_db()
    assert (stale.status, stale.outcome) == (Status.RENDERED, "ruling")

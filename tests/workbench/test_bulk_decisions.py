"""Bulk decisions on the queues whose decision is uniform (adjustments, refunds): each item through the
same service as a single decision, each audited, an item refused reported with its reason while the
others are decided; and the queues' service standards (the published one, or "no published standard"
with the item's age)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from declarations import services as declarations
from declarations.models import Status
from ledger.models import EntryType, LedgerEntry, RefundRequest
from ledger.posting import post_entry
from rights import OfficerRole
from tests.assessment.test_estimate_fixtures import tariff_rows, usd_rates  # noqa: F401 (fixtures)
from tests.declarations.conftest import cad, interest_rate, line, on_day  # noqa: F401 (fixtures)
from workbench import extensions, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunds(rm0001, alice):
    """A credit of 100.00 on RM0001 and three refund requests of it waiting for an officer."""
    post_entry(rm0001, EntryType.PAYMENT, Decimal("-100.00"), effective_date=dt.date(2025, 1, 6), source_key="credit")
    return [
        RefundRequest.objects.create(program_account=rm0001, amount=Decimal(amount), requested_by=alice)
        for amount in ("20.00", "30.00", "40.00")
    ]


def test_a_revenue_officer_approves_several_refunds_each_posted_and_audited(officers, refunds):
    remi = officers[OfficerRole.REVENUE]
    results = services.decide_many("refunds", [str(r.pk) for r in refunds[:2]], True, by=remi, reason="Credit seen")
    assert [row["error"] for row in results] == ["", ""]
    for refund in refunds[:2]:
        refund.refresh_from_db()
        assert refund.status == RefundRequest.Status.APPROVED and refund.decided_by == remi
        assert refund.reason == "Credit seen" and refund.entry.amount == refund.amount
    assert RefundRequest.objects.get(pk=refunds[2].pk).status == RefundRequest.Status.PENDING
    assert AuditEntry.objects.filter(action="ledger.refund_decided").count() == 2
    bulk = AuditEntry.objects.get(action="officer.bulk_decided").after
    assert bulk["decided"] == [str(r.pk) for r in refunds[:2]] and bulk["reason"] == "Credit seen"


def test_an_item_decided_meanwhile_is_reported_and_the_others_are_still_decided(officers, refunds):
    remi = officers[OfficerRole.REVENUE]
    services.decide_many("refunds", [str(refunds[0].pk)], False, by=remi, reason="Duplicate")
    keys = [str(r.pk) for r in refunds]
    results = services.decide_many("refunds", keys, False, by=remi, reason="No bank details")
    assert [bool(row["error"]) for row in results] == [True, False, False]
    assert "no longer open" in results[0]["error"]
    assert RefundRequest.objects.get(pk=refunds[0].pk).reason == "Duplicate"  # the first decision stands
    assert AuditEntry.objects.filter(action="officer.bulk_decided").order_by("pk").last().after["refused"] == {
        keys[0]: results[0]["error"]
    }


def test_only_an_officer_whose_role_decides_the_queue_may_decide_in_bulk(officers, refunds):
    with pytest.raises(PermissionDenied):
        services.decide_many("refunds", [str(refunds[0].pk)], True, by=officers[OfficerRole.TRADE], reason="x")
    assert RefundRequest.objects.filter(status=RefundRequest.Status.PENDING).count() == 3


def test_a_bulk_decision_needs_a_reason_and_a_queue_decided_uniformly(officers, refunds):
    remi = officers[OfficerRole.REVENUE]
    with pytest.raises(ValidationError):
        services.decide_many("refunds", [str(refunds[0].pk)], True, by=remi, reason=" ")
    with pytest.raises(ValidationError):
        services.decide_many("support", ["1"], True, by=officers[OfficerRole.SUPERVISOR], reason="x")


def test_the_queue_page_decides_the_selected_refunds_and_lists_each_refused_one(officers, as_person, refunds):
    client = as_person(officers[OfficerRole.REVENUE])
    RefundRequest.objects.filter(pk=refunds[1].pk).update(status=RefundRequest.Status.REJECTED)
    data = {"what": "decide", "items": [str(refunds[0].pk), str(refunds[1].pk)], "decide-decision": "approve"}
    response = client.post("/fr/cbsa/queues/refunds/", {**data, "decide-reason": "Crédit vérifié"}, follow=True)
    page = response.content.decode()
    assert RefundRequest.objects.get(pk=refunds[0].pk).status == RefundRequest.Status.APPROVED
    assert "1 élément(s) approuvé(s)." in page and "n’est plus ouvert" in page


def test_the_api_decides_in_bulk_and_reports_each_item(officers, as_person, refunds):
    client = as_person(officers[OfficerRole.REVENUE])
    body = {"items": [str(refunds[2].pk), "999999"], "decision": "reject", "reason": "No bank details"}
    response = client.post("/api/v1/cbsa/queues/refunds/decide", body, content_type="application/json")
    assert response.status_code == 200
    assert [(row["key"], row["decided"]) for row in response.json()] == [(str(refunds[2].pk), True), ("999999", False)]
    assert RefundRequest.objects.get(pk=refunds[2].pk).status == RefundRequest.Status.REJECTED
    refused = client.post("/api/v1/cbsa/queues/support/decide", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"]


@pytest.fixture
def pending(alice, maple, tariff_rows, interest_rate, on_day):  # noqa: F811 (fixtures)
    """An adjustment of Maple's CAD (dearer goods) waiting in the officers' queue."""
    on_day(dt.date(2025, 1, 6))
    first = declarations.submit(alice, cad())
    on_day(dt.date(2025, 2, 10))
    number = first.declaration.transaction_number
    return declarations.amend(alice, number, cad(line(value="40000.00")), expected_version=1, reason="Price revised")


def test_adjustments_are_approved_in_bulk_through_the_adjustment_decision(officers, pending):
    results = services.decide_many(
        "adjustments", [str(pending.version.pk)], True, by=officers[OfficerRole.REVENUE], reason="Invoice seen"
    )
    assert results[0]["error"] == ""
    pending.version.refresh_from_db()
    assert pending.version.status == Status.ACCEPTED and pending.version.decision_reason == "Invoice seen"
    assert LedgerEntry.objects.filter(document_version=pending.version.label).exists()
    assert AuditEntry.objects.filter(action="declarations.adjustment_approved").count() == 1


def test_the_adjustments_queue_counts_the_b2_standard_of_90_days_from_receipt(officers, pending):
    received = timezone.localtime(pending.version.submitted_at).date()
    row = services.queue_items("adjustments", officers[OfficerRole.REVENUE], today=received + dt.timedelta(days=111))[0]
    assert str(pending.version.pk) == row["key"] and (row["opened"], row["age"]) == (received, 111)
    assert row["deadline"] == received + dt.timedelta(days=90) and row["days_left"] == -21
    assert "90 calendar days" in str(extensions.queues["adjustments"].standard)


def test_a_queue_without_a_published_standard_shows_the_items_age_and_says_so(officers, as_person, refunds):
    row = services.queue_items("refunds", officers[OfficerRole.REVENUE])[0]
    assert row["deadline"] is None and row["age"] == 0
    page = as_person(officers[OfficerRole.REVENUE]).get("/en/cbsa/queues/refunds/").content.decode()
    assert "No published standard" in page and "Days waiting" in page
    french = as_person(officers[OfficerRole.REVENUE]).get("/fr/cbsa/queues/adjustments/").content.decode()
    assert "90 jours civils après réception de la demande" in french

"""One queue abstraction: open items with their service-standard deadline, assignment in bulk by a
supervisor (audited with the reason), to an officer whose role does the queue's work."""

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from core.queues import QueueItem
from rights import Action, OfficerRole
from workbench import extensions, services
from workbench.models import Assignment, SupportRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(alice, maple):
    return [SupportRequest.objects.create(subject=f"Q{n}", question="?", asked_by=alice) for n in range(3)]


def keys(items):
    return [str(item.pk) for item in items]


def test_a_supervisor_assigns_several_items_at_once_with_a_reason(officers, questions):
    remi = officers[OfficerRole.REVENUE]
    count = services.assign("support", keys(questions[:2]), remi, by=officers[OfficerRole.SUPERVISOR], reason="Load")
    rows = {row["key"]: row["officer"] for row in services.queue_items("support", remi)}
    assert count == 2 and rows == {str(questions[0].pk): remi, str(questions[1].pk): remi, str(questions[2].pk): None}
    assert AuditEntry.objects.get(action="officer.work_assigned").after["reason"] == "Load"


def test_reassigning_ends_the_open_assignment_and_keeps_it(officers, questions):
    olivia = officers[OfficerRole.SUPERVISOR]
    services.assign("support", keys(questions[:1]), officers[OfficerRole.REVENUE], by=olivia, reason="Load")
    services.assign("support", keys(questions[:1]), officers[OfficerRole.TRADE], by=olivia, reason="Holidays")
    assignments = Assignment.objects.filter(item=str(questions[0].pk)).order_by("pk")
    assert [a.ended_at is None for a in assignments] == [False, True]
    assert assignments.last().officer == officers[OfficerRole.TRADE]


def test_assigning_again_to_the_same_officer_changes_nothing(officers, questions):
    olivia, remi = officers[OfficerRole.SUPERVISOR], officers[OfficerRole.REVENUE]
    services.assign("support", keys(questions[:1]), remi, by=olivia, reason="Load")
    assert services.assign("support", keys(questions[:1]), remi, by=olivia, reason="Load") == 0
    assert Assignment.objects.count() == 1


def test_work_goes_only_to_an_officer_whose_role_does_it(officers, questions):
    with pytest.raises(ValidationError):
        services.assign(
            "support",
            keys(questions[:1]),
            officers[OfficerRole.AUDITOR],
            by=officers[OfficerRole.SUPERVISOR],
            reason="x",
        )


def test_an_item_no_longer_open_cannot_be_assigned(officers, questions):
    questions[0].status = SupportRequest.Status.ANSWERED
    questions[0].save()
    with pytest.raises(ValidationError):
        services.assign(
            "support",
            keys(questions[:1]),
            officers[OfficerRole.REVENUE],
            by=officers[OfficerRole.SUPERVISOR],
            reason="x",
        )


def test_only_a_supervisor_assigns(officers, questions):
    with pytest.raises(PermissionDenied):
        services.assign(
            "support", keys(questions[:1]), officers[OfficerRole.REVENUE], by=officers[OfficerRole.TRADE], reason="x"
        )


def test_a_queue_of_another_app_plugs_in_with_one_line_and_sorts_by_deadline(officers, monkeypatch):
    today = dt.date(2026, 3, 1)
    items = [
        {"pk": 7, "title": "Bond to record", "deadline": today + dt.timedelta(days=5), "url": "/x/7"},
        {"pk": 8, "title": "Late request", "deadline": today - dt.timedelta(days=2), "url": "/x/8"},
    ]
    monkeypatch.setitem(
        extensions.queues, "security", extensions.Queue("security", "Security", lambda: items, Action.MANAGE_SECURITY)
    )
    rows = services.queue_items("security", officers[OfficerRole.AUDITOR], today=today)
    assert [(row["key"], row["days_left"], row["link"]) for row in rows] == [("8", -2, "/x/8"), ("7", 5, "/x/7")]
    summary = {row["queue"].key: row for row in services.queue_summary(officers[OfficerRole.AUDITOR], today=today)}
    assert summary["security"]["open"] == 2 and summary["security"]["overdue"] == 1


def test_the_queue_page_assigns_the_ticked_items(officers, questions, as_person):
    client = as_person(officers[OfficerRole.SUPERVISOR])
    remi = officers[OfficerRole.REVENUE]
    response = client.post(
        "/en/cbsa/queues/support/", {"items": keys(questions[1:]), "officer": str(remi.pk), "reason": "Load"}
    )
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("item", flat=True)) == set(keys(questions[1:]))
    page = client.get("/en/cbsa/queues/support/").content.decode()
    assert page.count("remi@cbsa.example") >= 2


def test_a_ruling_queue_deadline_is_the_120_day_standard(officers, monkeypatch):
    from types import SimpleNamespace

    today = dt.date(2026, 3, 1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: today)
    ruling = SimpleNamespace(pk=1, days_left=10, case_number="R-1")
    queue = dataclasses.replace(extensions.queues["rulings"], items=lambda: [ruling])
    monkeypatch.setitem(extensions.queues, "rulings", queue)
    [row] = services.queue_items("rulings", officers[OfficerRole.TRADE], today=today)
    assert row["deadline"] == today + dt.timedelta(days=10) and row["days_left"] == 10


def test_the_queue_items_of_security_and_recourse_plug_in_without_adapters(officers, alice, monkeypatch):
    today = dt.date(2026, 3, 1)
    subject = SupportRequest.objects.create(subject="Bond 42", question="?", asked_by=alice)
    records = {
        "security": [QueueItem("paper_bond", subject, today + dt.timedelta(days=3))],  # no summary: the subject's
        "appeals": [QueueItem("s60", subject, today - dt.timedelta(days=1), "A-1 123456782RM0001")],
    }
    for key, items in records.items():
        queue = extensions.Queue(key, key, lambda items=items: items, Action.DECIDE_APPEALS)
        monkeypatch.setitem(extensions.queues, key, queue)
    [security] = services.queue_items("security", officers[OfficerRole.AUDITOR], today=today)
    [appeal] = services.queue_items("appeals", officers[OfficerRole.AUDITOR], today=today)
    assert (security["key"], security["title"], security["days_left"]) == (f"paper_bond-{subject.pk}", "Bond 42", 3)
    assert (appeal["key"], appeal["title"], appeal["days_left"]) == (f"s60-{subject.pk}", "A-1 123456782RM0001", -1)
    olivia, rose = officers[OfficerRole.SUPERVISOR], officers[OfficerRole.RECOURSE]
    assert services.assign("appeals", [appeal["key"]], rose, by=olivia, reason="Recourse") == 1

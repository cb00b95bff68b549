"""A client asks CBSA; the question waits in the officers' queue; an officer answers and the client
reads the answer. The auditor reads but does not answer."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import escape

from audit.models import AuditEntry
from rights import OfficerRole
from workbench import services
from workbench.models import SupportRequest

pytestmark = pytest.mark.django_db


def test_a_client_asks_an_officer_answers_and_the_client_reads_the_answer(alice, officers, as_person):
    client = as_person(alice)
    asked = client.post(
        "/en/support/", {"kind": "question", "bn9": "123456782", "subject": "Interest", "question": "Why?"}
    )
    assert asked.status_code == 302
    item = SupportRequest.objects.get()
    assert item.business.bn9 == "123456782" and AuditEntry.objects.filter(action="support.asked", actor=alice).exists()
    assert [row["key"] for row in services.queue_items("support", officers[OfficerRole.TRADE])] == [str(item.pk)]
    officer = as_person(officers[OfficerRole.TRADE])
    assert officer.post(f"/en/cbsa/support/{item.pk}/", {"answer": "A late payment."}).status_code == 302
    item.refresh_from_db()
    assert item.status == "answered" and item.answered_by == officers[OfficerRole.TRADE]
    assert not services.queue_items("support", officers[OfficerRole.TRADE])
    assert "A late payment." in as_person(alice).get("/fr/support/").content.decode()


def test_a_person_names_only_a_business_they_belong_to(charlie, maple):
    item = services.ask(user=charlie, subject="Hello", question="?", bn9="123456782")
    assert item.business is None and item.bn9 == "123456782"


def test_a_client_sees_only_their_own_requests(alice, charlie, maple, as_person):
    services.ask(user=charlie, subject="Charlie's secret", question="?")
    assert "Charlie's secret" not in as_person(alice).get("/en/support/").content.decode()


def test_a_malformed_business_number_is_refused_in_french(alice, maple, as_person):
    page = as_person(alice).post("/fr/support/", {"kind": "question", "bn9": "12AB", "subject": "x", "question": "y"})
    assert escape("Un numéro d'entreprise compte neuf chiffres.") in page.content.decode()
    assert not SupportRequest.objects.exists()


def test_the_auditor_reads_but_does_not_answer(alice, officers):
    item = services.ask(user=alice, subject="Hello", question="?")
    with pytest.raises(PermissionDenied):
        services.answer(item, "Yes", by=officers[OfficerRole.AUDITOR])
    item.refresh_from_db()
    assert item.status == "open"

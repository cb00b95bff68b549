"""Who may do what on a ruling request: the importer's people by role, a broker through delegation
(with and without visibility of the importer's records), other businesses, officers by role."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from rulings import services
from rulings.models import Status
from tests.assessment.test_estimate_fixtures import WATER

from .conftest import FILED

Event = services.Event


def test_the_importers_editor_files_and_its_reader_only_reads(draft, editor, reader, rm0001):
    ruling = draft(who=editor)
    assert services.submit(editor, ruling, today=FILED).status == Status.SUBMITTED
    assert services.visible_requests(reader).filter(pk=ruling.pk).exists()
    with pytest.raises(PermissionDenied):
        services.new_draft(reader, rm0001, "classification")
    with pytest.raises(PermissionDenied):
        services.transition(reader, ruling, Event.WITHDRAWN, today=FILED)


def test_a_delegated_broker_files_inside_the_clients_account(relate, brenda, rm0001, tariff_rows, maple, northern):
    relate("business", role="editor", person=brenda)
    ruling = services.new_draft(brenda, rm0001, "classification")
    assert ruling.program_account.business == maple and ruling.submitted_by_business == northern
    entry = AuditEntry.objects.get(action="ruling.draft_created")
    assert (entry.actor_business, entry.acting_for_business) == ("123026635", "123456782")


def test_a_broker_sees_the_importers_own_requests_only_when_the_importer_lets_it(relate, brenda, filed):
    ruling = filed()  # filed by the importer itself
    relate("business", role="reader", person=brenda, sees_importer=False)
    assert not services.visible_requests(brenda).filter(pk=ruling.pk).exists()


def test_a_broker_with_visibility_of_the_importers_records_sees_them(relate, brenda, filed):
    ruling = filed()
    relate("business", role="reader", person=brenda, sees_importer=True)
    assert services.visible_requests(brenda).filter(pk=ruling.pk).exists()
    with pytest.raises(PermissionDenied):  # a Reader assignment cannot act
        services.transition(brenda, ruling, Event.WITHDRAWN, today=FILED)


def test_another_business_neither_sees_nor_acts(filed, bob, rm0001):
    ruling = filed()
    assert not services.visible_requests(bob).filter(pk=ruling.pk).exists()
    with pytest.raises(PermissionDenied):
        services.new_draft(bob, rm0001, "classification")
    with pytest.raises(PermissionDenied):
        services.transition(bob, ruling, Event.WITHDRAWN, today=FILED)


def test_officers_see_filed_requests_but_not_drafts(draft, filed, oscar):
    unfiled, ruling = draft(), filed()
    visible = services.visible_requests(oscar)
    assert visible.filter(pk=ruling.pk).exists() and not visible.filter(pk=unfiled.pk).exists()


def test_only_the_assigned_officer_decides_and_applicants_never_do(filed, alice, oscar, olivia):
    ruling = filed()  # assigned to olivia
    for who in (oscar, alice):
        with pytest.raises(PermissionDenied):
            services.transition(who, ruling, Event.RENDERED, today=FILED, classification=WATER, reasons="GIR 1.")
    with pytest.raises(PermissionDenied):  # applicants do not assign either
        services.transition(alice, ruling, Event.ASSIGNED, today=FILED)
    services.transition(oscar, ruling, Event.ASSIGNED, today=FILED)  # any officer may take it over
    services.transition(oscar, ruling, Event.RENDERED, today=FILED, classification=WATER, reasons="GIR 1.")
    assert ruling.officer == oscar


def test_an_applicant_cannot_answer_for_an_officer(filed, alice):
    ruling = filed()
    with pytest.raises(PermissionDenied):
        services.transition(alice, ruling, Event.INFORMATION_REQUESTED, today=FILED)

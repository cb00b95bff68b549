"""Supervisors appoint and end officer roles, each change audited with its reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import rights
from audit.models import AuditEntry
from rights import Action, OfficerRole
from rights.models import OfficerAppointment
from workbench import services

pytestmark = pytest.mark.django_db


def test_a_supervisor_appoints_a_person_who_then_holds_the_roles_actions(officers, charlie):
    olivia = officers[OfficerRole.SUPERVISOR]
    services.appoint(charlie, OfficerRole.TRADE, by=olivia, reason="Joined the trade team")
    charlie.refresh_from_db()
    assert charlie.is_staff and rights.may(charlie, Action.DECIDE_RULINGS)
    entry = AuditEntry.objects.get(action="officer.appointed")
    assert entry.actor == olivia and entry.after["reason"] == "Joined the trade team"


def test_an_officer_without_the_appointing_action_is_refused_and_audited(officers, charlie):
    with pytest.raises(PermissionDenied):
        services.appoint(charlie, OfficerRole.TRADE, by=officers[OfficerRole.REVENUE], reason="Please")
    assert not OfficerAppointment.objects.filter(user=charlie).exists()
    assert AuditEntry.objects.filter(action="access.denied", actor=officers[OfficerRole.REVENUE]).exists()


def test_an_appointment_without_a_reason_is_refused(officers, charlie):
    with pytest.raises(ValidationError):
        services.appoint(charlie, OfficerRole.TRADE, by=officers[OfficerRole.SUPERVISOR], reason="  ")


def test_the_same_role_twice_is_a_clear_error_not_a_crash(officers):
    with pytest.raises(ValidationError, match="already holds"):
        services.appoint(
            officers[OfficerRole.TRADE], OfficerRole.TRADE, by=officers[OfficerRole.SUPERVISOR], reason="Again"
        )


def test_an_ended_appointment_is_kept_and_its_actions_are_gone(officers):
    tariq = officers[OfficerRole.TRADE]
    appointment = tariq.officer_appointments.get()
    services.end_appointment(appointment, by=officers[OfficerRole.SUPERVISOR], reason="Left CBSA")
    appointment.refresh_from_db()
    assert appointment.ended_at is not None and appointment.ended_by == officers[OfficerRole.SUPERVISOR]
    assert not rights.may(tariq, Action.DECIDE_RULINGS)
    assert AuditEntry.objects.get(action="officer.appointment_ended").after["reason"] == "Left CBSA"
    with pytest.raises(ValidationError):
        services.end_appointment(appointment, by=officers[OfficerRole.SUPERVISOR], reason="Twice")


def test_a_supervisor_cannot_end_her_own_supervisor_role(officers):
    olivia = officers[OfficerRole.SUPERVISOR]
    with pytest.raises(ValidationError):
        services.end_appointment(olivia.officer_appointments.get(), by=olivia, reason="Oops")
    assert rights.may(olivia, Action.APPOINT_OFFICERS)


def test_the_appointment_page_shows_a_missing_reason_next_to_the_field(officers, as_person):
    client = as_person(officers[OfficerRole.SUPERVISOR])
    page = client.post("/fr/cbsa/officers/", {"email": "alice@maple.example", "role": "auditor", "reason": ""})
    assert page.status_code == 200 and 'textarea-id="id_reason"' in page.content.decode()
    assert not OfficerAppointment.objects.filter(user__email="alice@maple.example").exists()
